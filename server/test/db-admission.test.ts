import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

const DEVICES = 40;
const LIMIT = 4;

describe.each(DB_KINDS)('a bounded line for the database, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { dbQueueLimit: LIMIT });
  });
  afterAll(() => t.close());

  it('answers pushes beyond the bound 503 SERVER_BUSY with Retry-After at once, and every push lands after its retries', async () => {
    const group = t.org.units.find((u) => u.kind === 'villager_group')!;
    const m = memberPhone(t.org, group.id);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    await t.as(m.phone);
    const devices = Array.from({ length: DEVICES }, () => new TestDevice(t, m.phone));
    const batches = devices.map((d) => [d.mutation('visit.create', visitArgs(h.id, { summary: `走访 ${d.clientId}` }))]);

    const started = performance.now();
    const first = await Promise.all(
      devices.map(async (d, i) => {
        const res = await d.pushRaw(batches[i]!);
        return { res, ms: performance.now() - started };
      }),
    );
    const busy = first.filter((r) => r.res.statusCode === 503);
    const served = first.filter((r) => r.res.statusCode === 200);
    expect(busy.length + served.length).toBe(DEVICES);
    expect(served.length).toBeGreaterThanOrEqual(LIMIT);
    expect(busy.length).toBeGreaterThan(0);
    for (const { res } of busy) {
      expect(res.json()).toMatchObject({ code: 'SERVER_BUSY', message: expect.stringMatching(/^服务器繁忙，请\d+秒后重试$/) });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Refused early: before the pushes that were let in had all finished, not after a long wait.
    expect(Math.max(...busy.map((r) => r.ms))).toBeLessThan(Math.max(...served.map((r) => r.ms)));

    // Each refused device comes back (as the phone would after Retry-After) until its push lands.
    let pending = devices.filter((_, i) => first[i]!.res.statusCode === 503);
    for (let round = 0; pending.length && round < 50; round++) {
      const again = await Promise.all(pending.map((d) => d.pushRaw(batches[devices.indexOf(d)]!)));
      for (const res of again) expect([200, 503]).toContain(res.statusCode);
      pending = pending.filter((_, i) => again[i]!.statusCode === 503);
    }
    expect(pending).toEqual([]);
    const rows = await t.testDb.opened.db.selectFrom('visits').select('summary').where('summary', 'like', '走访 test-%').execute();
    expect(rows.length).toBe(DEVICES);
  });

  it('lets requests through again once the line has cleared', async () => {
    for (let i = 0; i < 2 * LIMIT; i++) expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });
});
