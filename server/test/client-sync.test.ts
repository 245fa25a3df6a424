import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@shared/errors.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { applyPullPage, deferredDeletes } from '../../client/src/sync/apply-pull.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { clientDevice } from './client-device.ts';
import { visitArgs } from './sync-device.ts';

/** The browser client's outbox and sync loop (Dexie on fake-indexeddb) against the real server. */
describe.each(DB_KINDS)('client outbox and sync loop on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { pullPageSize: 15 });
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const member = (n: number) => memberPhone(t.org, group().id, n);
  const householdsOf = (memberId: string) => t.org.households.filter((h) => h.memberId === memberId).map((h) => h.id);
  const serverVisits = (ids: string[]) => t.testDb.opened.db.selectFrom('visits').select('id').where('id', 'in', ids).execute();

  it('writes the optimistic row and its outbox entry together; a refused change writes neither', async () => {
    const { phone, memberId } = member(0);
    const d = await clientDevice(t, phone);
    await d.engine.sync();
    const v = visitArgs(householdsOf(memberId)[0]!);
    const r = await d.mutate('visit.create', v);
    expect(r.mutationId).toBe(1);
    expect(await d.db.visits.get(v.id)).toMatchObject({ id: v.id, summary: v.summary });
    expect((await d.db.outbox.toArray()).map((e) => [e.id, e.name])).toEqual([[1, 'visit.create']]);

    const stranger = visitArgs(uuidv7());
    await expect(d.mutate('visit.create', stranger)).rejects.toBeInstanceOf(DomainError);
    const invalid = { ...visitArgs(householdsOf(memberId)[0]!), duty: 'gossip' };
    await expect(d.mutate('visit.create', invalid as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await d.db.outbox.count()).toBe(1);
    expect(await d.db.visits.get(stranger.id)).toBeUndefined();
    d.close();
  });

  it('logs offline, survives a reopen, then syncs: outbox empties, rows exactly once, ids never reused', async () => {
    const { phone, memberId } = member(1);
    const dbName = `reopen-${uuidv7()}`;
    let d = await clientDevice(t, phone, { dbName });
    await d.engine.sync();
    d.net.online = false;
    const visits = householdsOf(memberId).slice(0, 3).map((h) => visitArgs(h));
    for (const v of visits) await d.mutate('visit.create', v);
    await d.engine.sync();
    expect(d.engine.state.lastError).toMatch(/网络/);
    expect(d.engine.failureCount).toBe(1);
    const clientId = d.clientId;
    d.close();

    // The page is closed and opened again, still offline.
    d = await clientDevice(t, phone, { dbName, clientId });
    expect(await d.db.outbox.count()).toBe(3);
    expect(await d.db.visits.bulkGet(visits.map((v) => v.id))).toHaveLength(3);
    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(0);
    expect(await serverVisits(visits.map((v) => v.id))).toHaveLength(3);
    expect(d.engine.state.lastError).toBeNull();
    const next = await d.mutate('visit.create', visitArgs(householdsOf(memberId)[0]!));
    expect(next.mutationId).toBe(4);
    d.close();
  });

  it('a push whose answer is lost is retried without duplicates', async () => {
    const { phone, memberId } = member(2);
    const d = await clientDevice(t, phone);
    await d.engine.sync();
    const v = visitArgs(householdsOf(memberId)[0]!);
    await d.mutate('visit.create', v);
    d.net.loseNextAnswer.add('/api/sync/push');
    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(1); // it does not know yet
    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(0);
    expect(await serverVisits([v.id])).toHaveLength(1);
    const log = await t.testDb.opened.db.selectFrom('mutation_log').select('status').where('client_id', '=', d.clientId).execute();
    expect(log.map((l) => l.status)).toEqual(['applied']);
    d.close();
  });

  it('a rejected change moves aside with its reason and does not block the next; a household taken away leaves after its work is up', async () => {
    const { phone, memberId } = member(3);
    const d = await clientDevice(t, phone);
    await d.engine.sync();
    const [kept, moved] = householdsOf(memberId);
    d.net.online = false;
    const early = visitArgs(moved!);
    await d.mutate('visit.create', early);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    // Meanwhile the admin gives the household to nobody.
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/households/${moved}/assign`, headers: await t.as('13800000001'), payload: { memberId: null } });
    expect(res.statusCode).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const tooLate = visitArgs(moved!);
    await d.mutate('visit.create', tooLate);
    const fine = visitArgs(kept!);
    await d.mutate('visit.create', fine);

    d.net.online = true;
    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(0);
    const rejected = await d.db.rejected.toArray();
    expect(rejected.map((r) => [r.code, (r.args as { id: string }).id])).toEqual([['OUT_OF_SCOPE', tooLate.id]]);
    expect(rejected[0]!.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await serverVisits([early.id, fine.id, tooLate.id])).toHaveLength(2);
    // The household has left the device, with its records.
    expect(await d.db.households.get(moved!)).toBeUndefined();
    expect(await d.db.visits.where('householdId').equals(moved!).count()).toBe(0);
    expect(await d.db.households.get(kept!)).toBeDefined();
    d.close();
  });

  it('a household leaving while work for it is queued stays until that work is pushed; pending work survives a fresh snapshot', async () => {
    const { phone, memberId } = member(4);
    const d = await clientDevice(t, phone);
    await d.engine.sync();
    const h = householdsOf(memberId)[0]!;
    const v = visitArgs(h);
    await d.mutate('visit.create', v);
    const me = d.me;
    const lastMutationId = 0;
    // A page that restarts the device's copy without the pending visit, and takes the household away.
    const hRow = await d.db.households.get(h);
    await applyPullPage(d.db, { cursor: 'c1', more: false, lastMutationId, patch: [{ op: 'clear' }, { op: 'put', table: 'households', row: hRow! }] }, me, d.clientId);
    expect(await d.db.visits.get(v.id)).toMatchObject({ id: v.id });
    await applyPullPage(d.db, { cursor: 'c2', more: false, lastMutationId, patch: [{ op: 'del', table: 'households', id: h }] }, me, d.clientId);
    expect(await d.db.households.get(h)).toBeDefined();
    expect(await deferredDeletes(d.db)).toEqual([h]);
    // The visit goes up (acknowledged in the next page): now the household leaves.
    await applyPullPage(d.db, { cursor: 'c3', more: false, lastMutationId: 1, patch: [] }, me, d.clientId);
    expect(await d.db.households.get(h)).toBeUndefined();
    expect(await d.db.visits.get(v.id)).toBeUndefined();
    expect(await deferredDeletes(d.db)).toEqual([]);
    d.close();
  });

  it('never runs two syncs at once, and asks for one more when called meanwhile', async () => {
    const { phone } = member(0);
    const d = await clientDevice(t, phone);
    await Promise.all([d.engine.sync(), d.engine.sync(), d.engine.sync()]);
    // First contact pulls, pushes nothing, pulls; the calls made meanwhile add one run, not two.
    const pulls = d.calls.filter((c) => c === '/api/sync/pull').length;
    const pushes = d.calls.filter((c) => c === '/api/sync/push').length;
    expect(pushes).toBe(0);
    expect(pulls).toBeLessThanOrEqual(2 * 12);
    let concurrent = 0;
    let max = 0;
    const original = d.engine['o'].transport.pull;
    d.engine['o'].transport.pull = async (b) => {
      max = Math.max(max, ++concurrent);
      try {
        return await original(b);
      } finally {
        concurrent--;
      }
    };
    await Promise.all([d.engine.sync(), d.engine.sync(), d.engine.poke(), d.engine.sync()]);
    expect(max).toBe(1);
    d.close();
  });

  it('renumbers queued work when the server expects another id (MUTATION_GAP)', async () => {
    const { phone, memberId } = member(1);
    const d = await clientDevice(t, phone);
    await d.engine.sync();
    await d.db.setMeta('nextMutationId', 40);
    const v = visitArgs(householdsOf(memberId)[0]!);
    await d.mutate('visit.create', v);
    expect((await d.db.outbox.toArray())[0]!.id).toBe(40);
    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(0);
    expect(await serverVisits([v.id])).toHaveLength(1);
    const row = await t.testDb.opened.db.selectFrom('sync_clients').select('last_mutation_id').where('client_id', '=', d.clientId).executeTakeFirstOrThrow();
    expect(row.last_mutation_id).toBe(1);
    d.close();
  });

  it('a store wiped under a surviving client id numbers its new work after what the server took', async () => {
    const { phone, memberId } = member(2);
    const h = householdsOf(memberId)[0]!;
    const first = await clientDevice(t, phone);
    await first.engine.sync();
    await first.mutate('visit.create', visitArgs(h));
    await first.engine.sync();
    const row = (await first.db.households.get(h))!;
    first.close();
    // Same client id, empty store, work logged before any pull: its id 1 was taken already.
    const again = await clientDevice(t, phone, { clientId: first.clientId });
    await again.db.households.put(row);
    const v = visitArgs(h);
    expect((await again.mutate('visit.create', v)).mutationId).toBe(1);
    await again.engine.sync();
    expect(await again.db.outbox.count()).toBe(0);
    expect(await serverVisits([v.id])).toHaveLength(1);
    const log = await t.testDb.opened.db.selectFrom('mutation_log').select(['mutation_id', 'status']).where('client_id', '=', first.clientId).orderBy('mutation_id').execute();
    expect(log).toEqual([{ mutation_id: 1, status: 'applied' }, { mutation_id: 2, status: 'applied' }]);
    again.close();
  });
});
