import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { uuidv7 } from '@shared/uuid.ts';
import { createTestNotesTable, useTestNotes } from './kinds/test-notes.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

useTestNotes();

const DAY = 24 * 3600_000;
/** Arguments nested `n` levels deep, as JSON text (JSON.stringify itself would run out of stack). */
const DEEP = '__deep__';
const deepJson = (n: number) => `${'{"a":'.repeat(n)}"x"${'}'.repeat(n)}`;

/**
 * No input can stop a phone's sync (issue 8, item 1): each poisonous mutation is refused on its
 * own, with its code and its arguments kept in the log as far as they can be stored, and the
 * queue moves on; bad telemetry and tampered cursors get clear answers and change nothing.
 */
describe.each(DB_KINDS)('poisonous input on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await createTestNotesTable(t.testDb.opened.db);
    // A column that refuses what the shared schema lets through: the database's own refusal.
    await sql`alter table test_notes add constraint test_notes_short check (length(text) <= 10)`.execute(t.testDb.opened.db);
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const db = () => t.testDb.opened.db;

  it('refuses each bad mutation alone and applies the rest of the batch', async () => {
    const m = memberPhone(t.org, group().id, 0);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!.id;
    const d = new TestDevice(t, m.phone);
    const ok = visitArgs(h);
    const bad = [
      d.mutation('visit.create', visitArgs(h, { summary: '路灯\u0000坏了' })),
      d.mutation('visit.create', visitArgs(h, { summary: '半个字\ud800' })),
      d.mutation('dispute.open', { id: uuidv7(), householdIds: [h], category: 'neighbour', description: 'NUL\u0000', openedAt: t.clock.now.toISOString() }),
      d.mutation('household.update', { id: h, changes: { notes: { value: '备注\u0000', baseVersion: 0 } } }),
      d.mutation('visit.create', visitArgs(h, { visitedAt: '0000-01-01T00:00:00Z' })),
      d.mutation('visit.create', visitArgs(h, { visitedAt: '2026-06-30T23:59:60Z' })),
      { ...d.mutation('visit.create', visitArgs(h)), hlc: `ffffffffffffffff-0000-${d.clientId}` },
      d.mutation('visit.create', DEEP),
      d.mutation('test_note.add', { id: uuidv7(), householdId: h, text: '这段便签比数据库允许的长' }),
    ];
    const good = d.mutation('visit.create', ok);
    const body = JSON.stringify({ clientId: d.clientId, schemaVersion: 2, mutations: [...bad, good] }).replace(`"${DEEP}"`, deepJson(5000));
    const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { ...(await d.headers()), 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode, res.body).toBe(200);
    const { results, lastMutationId } = res.json() as { results: { id: number; status: string; code?: string; message?: string }[]; lastMutationId: number };
    expect(lastMutationId).toBe(good.id);
    expect(results.map((r) => r.status)).toEqual([...bad.map(() => 'rejected'), 'applied']);
    expect(results.slice(0, 8).every((r) => r.code === 'VALIDATION_FAILED')).toBe(true);
    expect(results[8]).toMatchObject({ code: 'MUTATION_FAILED' });
    // People read the reasons: Chinese, no schema paths.
    for (const r of results.slice(0, -1)) expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    for (const r of results.slice(0, -1)) expect(r.message).not.toMatch(/must|\/summary|pattern/);
    expect(await db().selectFrom('visits').select('id').where('id', '=', ok.id).execute()).toHaveLength(1);
    const log = await db().selectFrom('mutation_log').select(['mutation_id', 'status', 'args']).where('client_id', '=', d.clientId).orderBy('mutation_id').execute();
    expect(log.map((l) => l.status)).toEqual(results.map((r) => r.status));
    expect(JSON.stringify(log[0]!.args)).toContain('路灯');

    // The phone's next pull goes through and acknowledges everything.
    const page = await d.pullPage();
    expect(page.lastMutationId).toBe(good.id);
  });

  it('refuses telemetry out of range with 400 and a reason, leaving the device’s record as it was', async () => {
    const m = memberPhone(t.org, group().id, 1);
    const d = new TestDevice(t, m.phone);
    await d.pull();
    const row = () => db().selectFrom('sync_clients').selectAll().where('client_id', '=', d.clientId).executeTakeFirstOrThrow();
    const before = await row();
    for (const telemetry of [{ outboxLength: 3_000_000_000 }, { storageQuota: 1e19 }, { lastErrorAt: '0000-01-01T00:00:00Z' }, { lastError: 'a\u0000b' }, { deviceTime: '2026-02-30T25:00:00Z' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/sync/pull', headers: await d.headers(), payload: { clientId: d.clientId, cursor: d.cursor, telemetry } });
      expect(res.statusCode, JSON.stringify(telemetry)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
    }
    expect(await row()).toEqual(before);
  });

  it('restarts a device whose cursor was tampered with, instead of failing', async () => {
    const m = memberPhone(t.org, group().id, 2);
    const d = new TestDevice(t, m.phone);
    await d.pull();
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const real = JSON.parse(Buffer.from(d.cursor!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = [
      'abc', b64('abc'), b64(null), b64({ ...real, k: 'x' }), b64({ ...real, v: -1 }), b64({ ...real, v: 'abc' }), b64({ ...real, s: { t: -1, after: 'not-a-uuid' } }),
    ];
    for (const cursor of tampered) {
      const res = await t.app.inject({ method: 'POST', url: '/api/sync/pull', headers: await d.headers(), payload: { clientId: d.clientId, cursor } });
      expect(res.statusCode, cursor).toBe(200);
      expect((res.json() as { patch: { op: string }[] }).patch[0]).toEqual({ op: 'clear' });
    }
  });

  it('checks a visit’s own date like its stamp: refused when ahead of the phone’s clock, clamped when the phone’s clock runs ahead', async () => {
    const m = memberPhone(t.org, group().id, 3);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!.id;
    const d = new TestDevice(t, m.phone);
    const future = d.mutation('visit.create', visitArgs(h, { visitedAt: new Date(t.clock.now.getTime() + 5 * 365 * DAY).toISOString() }));
    const [r] = (await d.push([future])).results;
    expect(r).toMatchObject({ status: 'rejected', code: 'TIME_IN_FUTURE' });

    // A phone two days ahead dates the visit by its own clock: the server keeps its own time.
    const ahead = new TestDevice(t, m.phone);
    const when = new Date(t.clock.now.getTime() + 2 * DAY);
    const args = visitArgs(h, { visitedAt: when.toISOString() });
    const stamp = `${when.getTime().toString(16).padStart(16, '0')}-0000-${ahead.clientId}`;
    const [r2] = (await ahead.push([{ id: 1, name: 'visit.create', args, hlc: stamp }])).results;
    expect(r2!.status).toBe('applied');
    const stored = await db().selectFrom('visits').select('visited_at').where('id', '=', args.id).executeTakeFirstOrThrow();
    expect(Math.abs(new Date(stored.visited_at).getTime() - t.clock.now.getTime())).toBeLessThan(60_000);
  });

  it('stops flagging a phone’s clock once it reports the right time', async () => {
    const m = memberPhone(t.org, group().id, 4);
    const d = new TestDevice(t, m.phone);
    const skew = async () => Number((await db().selectFrom('sync_clients').select('clock_skew_ms').where('client_id', '=', d.clientId).executeTakeFirstOrThrow()).clock_skew_ms);
    const pull = async (deviceTime: Date) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/sync/pull', headers: await d.headers(), payload: { clientId: d.clientId, cursor: d.cursor, telemetry: { deviceTime: deviceTime.toISOString() } } });
      expect(res.statusCode).toBe(200);
    };
    await pull(new Date(t.clock.now.getTime() + 2 * DAY));
    expect(await skew()).toBeGreaterThan(DAY);
    await pull(t.clock.now);
    expect(Math.abs(await skew())).toBeLessThan(1000);
  });
});
