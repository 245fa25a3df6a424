import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

/**
 * Many devices push at once over parallel connections while a supervisor keeps pulling. Push
 * transactions commit in any order; a cursor built on plain sequence numbers would skip rows
 * committed late under a lower number. Every visit must reach the puller exactly once in the end.
 */
describe.each(DB_KINDS)('concurrent pushes and pulls on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { pullPageSize: 25 });
  });
  afterAll(() => t.close());

  it('no pull ever misses a row committed by a concurrent push', async () => {
    const town = t.unitNamed('石岭镇');
    const branches = t.org.units.filter((u) => u.kind === 'villager_group');
    const devices = branches.flatMap((b) => [0, 1, 2].map((n) => memberPhone(t.org, b.id, n)));
    const puller = new TestDevice(t, staffPhone(t.org, town.id));
    await puller.pull();

    const pushed: string[] = [];
    let pushing = true;
    const seen = new Map<string, number>();
    const countVisits = (ops: Awaited<ReturnType<TestDevice['pull']>>) => {
      for (const op of ops) if (op.op === 'put' && op.table === 'visits') seen.set(op.row.id, (seen.get(op.row.id) ?? 0) + 1);
    };
    const pulling = (async () => {
      let pulls = 0;
      while (pushing) {
        countVisits(await puller.pull());
        pulls++;
      }
      return pulls;
    })();

    await Promise.all(
      devices.map(async ({ phone, memberId }) => {
        const d = new TestDevice(t, phone);
        const mine = t.org.households.filter((h) => h.memberId === memberId);
        for (let batch = 0; batch < 5; batch++) {
          const ms = mine.concat(mine).slice(0, 5).map((h) => d.mutation('visit.create', visitArgs(h.id)));
          const reply = await d.push(ms);
          expect(reply.results.every((r) => r.status === 'applied')).toBe(true);
          pushed.push(...ms.map((m) => (m.args as { id: string }).id));
        }
      }),
    );
    pushing = false;
    const pulls = await pulling;
    countVisits(await puller.pull());

    expect(pulls).toBeGreaterThan(1);
    expect(pushed.length).toBe(devices.length * 25);
    const missing = pushed.filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    // Incremental pulls send each change once: nothing arrives twice.
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
  });
});
