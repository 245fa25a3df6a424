import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/uuid.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

/**
 * Issue 14: a push of 50 visits is done per batch, not per visit — a bounded number of
 * statements (transaction control included, counted at the database), at most one savepoint,
 * and no row lock on a household to add a visit to it. A batch with a refusal in it still
 * applies the rest.
 */
describe.each(DB_KINDS)('the cost of a push on %s', (kind) => {
  let t: TestApp;
  let statements: string[] = [];
  beforeAll(async () => {
    t = await createTestApp(kind, {}, (e) => {
      if (e.level === 'query') statements.push(e.query.sql);
    });
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');

  async function counted(d: TestDevice, mutations: ReturnType<TestDevice['mutation']>[]) {
    statements = [];
    const reply = await d.push(mutations);
    return { reply, statements: [...statements] };
  }

  it('50 visits to a member\'s households from a known device: at most 13 statements (314 before issue 14), no savepoint, no household lock', async () => {
    const { phone, memberId } = memberPhone(t.org, group().id, 0);
    const households = t.org.households.filter((h) => h.memberId === memberId);
    const d = new TestDevice(t, phone);
    await d.push([d.mutation('visit.create', visitArgs(households[0]!.id))]); // the device is known from now on
    const batch = Array.from({ length: 50 }, (_, i) => d.mutation('visit.create', visitArgs(households[i % households.length]!.id)));
    const { reply, statements: run } = await counted(d, batch);
    expect(reply.results.every((r) => r.status === 'applied')).toBe(true);
    expect(run.length, run.join('\n')).toBeLessThanOrEqual(13);
    expect(run.filter((s) => /^\s*savepoint/i.test(s))).toEqual([]);
    expect(run.filter((s) => /for update/i.test(s) && /"households"|households/i.test(s) && !/sync_clients/i.test(s))).toEqual([]);
    const ids = batch.map((m) => (m.args as { id: string }).id);
    const stored = await t.testDb.opened.db.selectFrom('visits').select('id').where('id', 'in', ids).execute();
    expect(stored).toHaveLength(50);
  });

  it('a batch with refusals in it applies the rest, each result in order, in a bounded number of statements', async () => {
    const { phone, memberId } = memberPhone(t.org, group().id, 1);
    const households = t.org.households.filter((h) => h.memberId === memberId);
    const foreign = t.org.households.find((h) => h.memberId && h.memberId !== memberId && !households.includes(h))!;
    const d = new TestDevice(t, phone);
    await d.headers();
    const batch = Array.from({ length: 50 }, (_, i) =>
      d.mutation('visit.create', visitArgs(i === 10 || i === 40 ? foreign.id : households[i % households.length]!.id)),
    );
    const { reply, statements: run } = await counted(d, batch);
    expect(reply.results.map((r) => r.status)).toEqual(batch.map((_, i) => (i === 10 || i === 40 ? 'rejected' : 'applied')));
    expect(reply.results[10]).toMatchObject({ id: 11, code: 'OUT_OF_SCOPE' });
    // Each refused visit alone in a savepoint; the rest in batches around them.
    expect(run.filter((s) => /^\s*savepoint/i.test(s))).toHaveLength(2);
    expect(run.length, run.join('\n')).toBeLessThanOrEqual(40);
    const ids = batch.map((m) => (m.args as { id: string }).id);
    const stored = await t.testDb.opened.db.selectFrom('visits').select('id').where('id', 'in', ids).execute();
    expect(stored).toHaveLength(48);
  });

  it('a refusal after the batch wrote (a dispute\'s event) runs the push again one by one: each result as before, nothing doubled', async () => {
    const { phone, memberId } = memberPhone(t.org, group().id, 2);
    const households = t.org.households.filter((h) => h.memberId === memberId);
    const foreign = t.org.households.find((h) => h.memberId && h.memberId !== memberId)!;
    const d = new TestDevice(t, phone);
    const disputeId = uuidv7();
    const batch = [
      d.mutation('visit.create', visitArgs(households[0]!.id)),
      d.mutation('dispute.open', { id: disputeId, householdIds: [households[0]!.id], category: 'neighbour', description: '邻里噪音', openedAt: t.clock.now.toISOString() }),
      d.mutation('visit.create', visitArgs(foreign.id)),
      d.mutation('visit.create', visitArgs(households[1 % households.length]!.id)),
    ];
    const { reply, statements: run } = await counted(d, batch);
    expect(reply.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected', 'applied']);
    expect(run.filter((s) => /^\s*rollback\s*$/i.test(s))).toHaveLength(1); // the batch's attempt
    const db = t.testDb.opened.db;
    const visitIds = [0, 2, 3].map((i) => (batch[i]!.args as { id: string }).id);
    expect((await db.selectFrom('visits').select('id').where('id', 'in', visitIds).execute()).map((v) => v.id).sort()).toEqual([visitIds[0], visitIds[2]].sort());
    expect(await db.selectFrom('record_events').select('to_status').where('record_id', '=', disputeId).execute()).toEqual([{ to_status: 'open' }]);
    expect((await db.selectFrom('mutation_log').select('status').where('client_id', '=', d.clientId).orderBy('mutation_id').execute()).map((r) => r.status)).toEqual(['applied', 'applied', 'rejected', 'applied']);
    const again = await d.push(batch);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'rejected', 'duplicate']);
  });
});
