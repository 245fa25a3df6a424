import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

/**
 * Issue 14: a routine pull — nothing new, the same telemetry — costs at most 3 statements,
 * counted at the database (transaction control included), and writes nothing.
 */
describe.each(DB_KINDS)('the cost of a routine pull on %s', (kind) => {
  let t: TestApp;
  let statements: string[] = [];
  beforeAll(async () => {
    t = await createTestApp(kind, {}, (e) => {
      if (e.level === 'query') statements.push(e.query.sql);
    });
  });
  afterAll(() => t.close());

  /** Pulls one page with the telemetry a phone sends every time, and returns the statements it ran. */
  async function counted(d: TestDevice, telemetry: Record<string, unknown>) {
    statements = [];
    const res = await t.app.inject({
      method: 'POST', url: '/api/sync/pull', headers: await d.headers(),
      payload: { clientId: d.clientId, cursor: d.cursor, telemetry: { deviceTime: t.clock.now.toISOString(), ...telemetry } },
    });
    expect(res.statusCode).toBe(200);
    const reply = res.json();
    d.apply(reply.patch);
    d.cursor = reply.cursor;
    return { reply, statements: [...statements] };
  }
  const writes = (sqls: string[]) => sqls.filter((s) => /^\s*(insert|update|delete|begin|start transaction|commit)/i.test(s));
  const telemetry = { appVersion: '0.3.0', outboxLength: 0, oldestPendingAt: null, storageUsed: 812_000, storageQuota: 40_000_000, storagePersisted: true, lastError: null };

  it.each([
    ['a member', () => memberPhone(t.org, t.unitNamed('石岭村第一村民小组党支部').id, 0).phone],
    ['a town supervisor', () => staffPhone(t.org, t.unitNamed('石岭镇').id)],
  ])('%s: a repeat pull with nothing new and unchanged telemetry runs at most 3 statements and writes nothing', async (_, phone) => {
    const d = new TestDevice(t, phone());
    await d.headers();
    for (let i = 0; i < 100; i++) if (!(await counted(d, telemetry)).reply.more) break;
    await counted(d, telemetry); // the position reached is recorded once
    for (let i = 0; i < 3; i++) {
      t.clock.now = new Date(t.clock.now.getTime() + 1000);
      const { reply, statements: run } = await counted(d, telemetry);
      expect(reply).toMatchObject({ more: false, patch: [] });
      expect(run.length, run.join('\n')).toBeLessThanOrEqual(3);
      expect(writes(run)).toEqual([]);
    }
  });

  it('changed telemetry is stored in one more statement; last_pull_at is refreshed once it is older than its resolution', async () => {
    const d = new TestDevice(t, memberPhone(t.org, t.unitNamed('石岭村第一村民小组党支部').id, 1).phone);
    await d.pull();
    await counted(d, telemetry);
    const row = () => t.testDb.opened.db.selectFrom('sync_clients').selectAll().where('client_id', '=', d.clientId).executeTakeFirstOrThrow();

    const changed = await counted(d, { ...telemetry, outboxLength: 2, lastError: 'push failed: timeout' });
    expect(changed.statements.length).toBeLessThanOrEqual(3);
    expect(writes(changed.statements)).toHaveLength(1);
    expect(await row()).toMatchObject({ outbox_length: 2, last_error: 'push failed: timeout' });

    // A clock put right is seen at once (the skew changed by more than the jitter tolerance).
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    await counted(d, { ...telemetry, outboxLength: 2, lastError: 'push failed: timeout', deviceTime: new Date(t.clock.now.getTime() + 600_000).toISOString() });
    expect(Number((await row()).clock_skew_ms)).toBe(600_000);
    const putRight = await counted(d, { ...telemetry, outboxLength: 2, lastError: 'push failed: timeout' });
    expect(writes(putRight.statements)).toHaveLength(1);
    expect(Math.abs(Number((await row()).clock_skew_ms))).toBeLessThan(2000);

    const seenBefore = (await row()).last_pull_at!.getTime();
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const quiet = await counted(d, { ...telemetry, outboxLength: 2, lastError: 'push failed: timeout' });
    expect(writes(quiet.statements)).toEqual([]);
    t.clock.now = new Date(t.clock.now.getTime() + t.app.config.lastPullResolutionMs);
    const refresh = await counted(d, { ...telemetry, outboxLength: 2, lastError: 'push failed: timeout' });
    expect(writes(refresh.statements)).toHaveLength(1);
    expect((await row()).last_pull_at!.getTime()).toBeGreaterThan(seenBefore);
  });

  it('a pull after a push still brings the change, with the acknowledged mutation id', async () => {
    const { phone, memberId } = memberPhone(t.org, t.unitNamed('石岭村第一村民小组党支部').id, 0);
    const d = new TestDevice(t, phone);
    await d.pull();
    await counted(d, telemetry);
    const h = t.org.households.find((x) => x.memberId === memberId)!;
    const v = visitArgs(h.id);
    await d.push([d.mutation('visit.create', v)]);
    const { reply } = await counted(d, telemetry);
    expect(reply.lastMutationId).toBe(1);
    expect(reply.patch).toEqual([{ op: 'put', table: 'visits', row: expect.objectContaining({ id: v.id }) }]);
  });
});
