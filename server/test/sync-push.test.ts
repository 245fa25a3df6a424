import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/uuid.ts';
import { formatHlc } from '@shared/sync/hlc.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

describe.each(DB_KINDS)('sync push on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const db = () => t.testDb.opened.db;
  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const member = (n = 0) => memberPhone(t.org, group().id, n);
  const householdsOf = (memberId: string) => t.org.households.filter((h) => h.memberId === memberId);
  const visitCount = async (ids: string[]) =>
    Number((await db().selectFrom('visits').select(db().fn.countAll().as('n')).where('id', 'in', ids).executeTakeFirstOrThrow()).n);
  const logOf = (clientId: string) => db().selectFrom('mutation_log').selectAll().where('client_id', '=', clientId).orderBy('mutation_id').execute();

  it('applies a batch once; the same batch again is all duplicates and changes nothing', async () => {
    const { phone, memberId } = member();
    const d = new TestDevice(t, phone);
    const [h1, h2] = householdsOf(memberId);
    const batch = [d.mutation('visit.create', visitArgs(h1!.id)), d.mutation('visit.create', visitArgs(h2!.id))];
    const first = await d.push(batch);
    expect(first).toEqual({ lastMutationId: 2, results: [{ id: 1, status: 'applied' }, { id: 2, status: 'applied' }] });
    const again = await d.push(batch);
    expect(again).toEqual({ lastMutationId: 2, results: [{ id: 1, status: 'duplicate' }, { id: 2, status: 'duplicate' }] });
    const ids = batch.map((m) => (m.args as { id: string }).id);
    expect(await visitCount(ids)).toBe(2);
    expect((await logOf(d.clientId)).map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('a push whose answer was lost is retried with more work: old ids skipped, new ones applied', async () => {
    const { phone, memberId } = member();
    const d = new TestDevice(t, phone);
    const h = householdsOf(memberId)[0]!;
    const m1 = d.mutation('visit.create', visitArgs(h.id));
    await d.push([m1]); // the answer never reached the phone
    const m2 = d.mutation('visit.create', visitArgs(h.id));
    const reply = await d.push([m1, m2]);
    expect(reply.results).toEqual([{ id: 1, status: 'duplicate' }, { id: 2, status: 'applied' }]);
    expect(await visitCount([m1, m2].map((m) => (m.args as { id: string }).id))).toBe(2);
  });

  it('refuses a gap with 409 and the expected id, storing nothing', async () => {
    const { phone, memberId } = member();
    const d = new TestDevice(t, phone);
    const h = householdsOf(memberId)[0]!;
    await d.push([d.mutation('visit.create', visitArgs(h.id))]);
    d.nextId = 5;
    const skipped = d.mutation('visit.create', visitArgs(h.id));
    const res = await d.pushRaw([skipped]);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'MUTATION_GAP', expected: 2 });
    expect(await visitCount([(skipped.args as { id: string }).id])).toBe(0);
    expect((await logOf(d.clientId)).length).toBe(1);
  });

  it('rejects an invalid and an out-of-scope mutation among good ones; the good land, the queue moves on', async () => {
    const { phone, memberId } = member();
    const other = member(1);
    const d = new TestDevice(t, phone);
    const mine = householdsOf(memberId)[0]!;
    const theirs = householdsOf(other.memberId)[0]!;
    const good1 = d.mutation('visit.create', visitArgs(mine.id));
    const invalid = d.mutation('visit.create', { ...visitArgs(mine.id), method: 'carrier_pigeon' });
    const outOfScope = d.mutation('visit.create', visitArgs(theirs.id));
    const good2 = d.mutation('visit.create', visitArgs(mine.id));
    const before = await db().selectFrom('visits').select(db().fn.countAll().as('n')).executeTakeFirstOrThrow();
    const reply = await d.push([good1, invalid, outOfScope, good2]);
    expect(reply.lastMutationId).toBe(4);
    expect(reply.results.map((r) => [r.id, r.status, r.code])).toEqual([
      [1, 'applied', undefined],
      [2, 'rejected', 'VALIDATION_FAILED'],
      [3, 'rejected', 'OUT_OF_SCOPE'],
      [4, 'applied', undefined],
    ]);
    expect(reply.results[2]!.message).toMatch(/[\u4e00-\u9fff]/);
    const after = await db().selectFrom('visits').select(db().fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(2);
    const log = await logOf(d.clientId);
    expect(log.map((r) => [r.status, r.code])).toEqual([['applied', null], ['rejected', 'VALIDATION_FAILED'], ['rejected', 'OUT_OF_SCOPE'], ['applied', null]]);
    // The answer was lost and the phone sends the batch again: it still learns why two were refused.
    const again = await d.push([good1, invalid, outOfScope, good2]);
    expect(again.results.map((r) => [r.id, r.status, r.code])).toEqual([
      [1, 'duplicate', undefined], [2, 'rejected', 'VALIDATION_FAILED'], [3, 'rejected', 'OUT_OF_SCOPE'], [4, 'duplicate', undefined],
    ]);
    expect((await logOf(d.clientId)).length).toBe(4);
    // What the member typed is kept with the reason.
    expect((log[2]!.args as { householdId: string }).householdId).toBe(theirs.id);
    const client = await db().selectFrom('sync_clients').selectAll().where('client_id', '=', d.clientId).executeTakeFirstOrThrow();
    expect(client.last_mutation_id).toBe(4);
  });

  it('a repeated visit id: identical content is a no-op, different content is rejected and logged', async () => {
    const { phone, memberId } = member();
    const d = new TestDevice(t, phone);
    const h = householdsOf(memberId)[0]!;
    const args = visitArgs(h.id);
    await d.push([d.mutation('visit.create', args)]);
    const same = await d.push([d.mutation('visit.create', args)]);
    expect(same.results[0]!.status).toBe('duplicate');
    const changed = await d.push([d.mutation('visit.create', { ...args, summary: '改过的内容' })]);
    expect(changed.results[0]).toMatchObject({ status: 'rejected', code: 'RECORD_ID_REUSED' });
    const stored = await db().selectFrom('visits').select('summary').where('id', '=', args.id).executeTakeFirstOrThrow();
    expect(stored.summary).toBe(args.summary);
  });

  it('converts a mutation queued by an older app version (schema 1) instead of refusing it', async () => {
    const { phone, memberId } = member();
    const d = new TestDevice(t, phone);
    const h = householdsOf(memberId)[0]!;
    const { summary, followUp, ...rest } = visitArgs(h.id);
    const v1 = d.mutation('visit.create', { ...rest, notes: summary, needsFollowUp: followUp });
    const res = await d.pushRaw([v1], 1);
    expect(res.json().results[0]).toEqual({ id: 1, status: 'applied' });
    const stored = await db().selectFrom('visits').select(['summary', 'follow_up']).where('id', '=', rest.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ summary, follow_up: true });
    const unsupported = await d.pushRaw([d.mutation('visit.create', visitArgs(h.id))], 99);
    expect(unsupported.json().results[0]).toMatchObject({ status: 'rejected', code: 'SCHEMA_VERSION_UNSUPPORTED' });
  });

  it('refuses a device that belongs to another user, and an unknown mutation name', async () => {
    const a = new TestDevice(t, member().phone);
    const h = householdsOf(member().memberId)[0]!;
    await a.push([a.mutation('visit.create', visitArgs(h.id))]);
    const b = new TestDevice(t, member(1).phone);
    const res = await t.app.inject({
      method: 'POST', url: '/api/sync/push', headers: await b.headers(),
      payload: { clientId: a.clientId, schemaVersion: 2, mutations: [] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CLIENT_NOT_YOURS');
    const unknown = await a.push([a.mutation('visit.teleport', {})]);
    expect(unknown.results[0]).toMatchObject({ status: 'rejected', code: 'MUTATION_UNKNOWN' });
  });

  it('clamps a clock far in the future to server time and reports the skew', async () => {
    const { phone, memberId } = member();
    const d = new TestDevice(t, phone);
    const h = householdsOf(memberId)[0]!;
    const future = formatHlc({ wall: t.clock.now.getTime() + 3 * 24 * 3600 * 1000, counter: 0, node: d.clientId });
    await d.push([{ id: 1, name: 'visit.create', args: visitArgs(h.id), hlc: future }]);
    const [log] = await logOf(d.clientId);
    expect(log!.clock_clamped).toBe(true);
    const client = await db().selectFrom('sync_clients').select('clock_skew_ms').where('client_id', '=', d.clientId).executeTakeFirstOrThrow();
    expect(Number(client.clock_skew_ms)).toBeGreaterThan(2 * 24 * 3600 * 1000);
  });

  it('rejects malformed bodies with 400 and a Chinese message', async () => {
    const d = new TestDevice(t, member().phone);
    const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: await d.headers(), payload: { clientId: 'x', mutations: 'no' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    const anon = await t.app.inject({ method: 'POST', url: '/api/sync/push', payload: { clientId: uuidv7(), schemaVersion: 2, mutations: [] } });
    expect(anon.statusCode).toBe(401);
    void staffPhone;
  });
});
