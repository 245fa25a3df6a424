import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

describe.each(DB_KINDS)('sync pull on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // Small pages, so paging is exercised with demo-sized data.
    t = await createTestApp(kind, { pullPageSize: 7 });
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const member = (n = 0) => memberPhone(t.org, group().id, n);
  const householdsOf = (memberId: string) => t.org.households.filter((h) => h.memberId === memberId);
  const ids = (d: TestDevice, table: 'households' | 'visits' | 'units' | 'members') => [...d.table(table).keys()].sort();

  it('a first pull clears the device and sends the member their households, unit and unit members, in pages', async () => {
    const { phone, memberId } = member();
    const d = new TestDevice(t, phone);
    const first = await d.pullPage();
    expect(first.patch[0]).toEqual({ op: 'clear' });
    expect(first.more).toBe(true);
    d.apply(first.patch);
    d.cursor = first.cursor;
    await d.pull();
    expect(ids(d, 'households')).toEqual(householdsOf(memberId).map((h) => h.id).sort());
    const unitIds = ids(d, 'units');
    expect(unitIds).toEqual([...group().path].sort());
    expect(ids(d, 'members')).toEqual(t.org.members.filter((m) => m.unitId === group().id).map((m) => m.id).sort());
    const h = d.table('households').values().next().value!;
    expect(h).toMatchObject({ fieldMeta: {}, unitPath: group().path });
  });

  it('a supervisor gets the whole subtree and nothing of the other grid', async () => {
    const village = t.unitNamed('石岭村');
    const d = new TestDevice(t, staffPhone(t.org, village.id));
    await d.pull();
    const inVillage = t.org.households.filter((h) => t.org.units.find((u) => u.id === h.unitId)!.path.includes(village.id));
    expect(ids(d, 'households')).toEqual(inVillage.map((h) => h.id).sort());
    // Its subtree, and the units above it (whose unit-wide records reach down), never a neighbour's.
    const above = village.path.slice(0, -1);
    const expected = t.org.units.filter((u) => u.path.includes(village.id) || above.includes(u.id)).map((u) => u.id).sort();
    expect(ids(d, 'units')).toEqual(expected);
  });

  it('afterwards pulls only what changed, in scope; with nothing new the patch is empty', async () => {
    const { phone, memberId } = member();
    const author = new TestDevice(t, phone);
    const watcher = new TestDevice(t, phone);
    const village = new TestDevice(t, staffPhone(t.org, t.unitNamed('石岭村').id));
    const community = new TestDevice(t, staffPhone(t.org, t.unitNamed('东湖社区').id));
    const other = new TestDevice(t, member(1).phone);
    for (const d of [watcher, village, community, other]) await d.pull();
    for (const d of [watcher, village, community, other]) expect(await d.pull()).toEqual([]);

    const v = visitArgs(householdsOf(memberId)[0]!.id);
    await author.push([author.mutation('visit.create', v)]);
    const seen = await watcher.pull();
    expect(seen).toEqual([{ op: 'put', table: 'visits', row: expect.objectContaining({ id: v.id, summary: v.summary, late: false }) }]);
    expect((await village.pull()).map((op) => op.op === 'put' && op.row.id)).toEqual([v.id]);
    expect(await community.pull()).toEqual([]);
    expect(await other.pull()).toEqual([]);
  });

  it('an unreadable cursor restarts the device with a fresh snapshot', async () => {
    const d = new TestDevice(t, member().phone);
    d.cursor = 'not-a-cursor';
    const ops = await d.pull();
    expect(ops[0]).toEqual({ op: 'clear' });
  });

  it('reassignment: queued work made while the household was held lands late; the old device deletes it, the new one gets it with its records', async () => {
    const from = member(0);
    const to = member(2);
    const admin = await t.as('13800000001');
    const h = householdsOf(from.memberId)[0]!;
    // Make room: the receiving member may already hold five.
    const toHolds = householdsOf(to.memberId);
    if (toHolds.length >= 5) {
      const res = await t.app.inject({ method: 'POST', url: `/api/admin/households/${toHolds[0]!.id}/assign`, headers: admin, payload: { memberId: null } });
      expect(res.statusCode).toBe(200);
    }
    const oldPhone = new TestDevice(t, from.phone);
    const newPhone = new TestDevice(t, to.phone);
    await oldPhone.pull();
    await newPhone.pull();
    expect(oldPhone.table('households').has(h.id)).toBe(true);

    // Offline: a visit logged while the household was still theirs.
    const queued = oldPhone.mutation('visit.create', visitArgs(h.id));
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const moved = await t.app.inject({ method: 'POST', url: `/api/admin/households/${h.id}/assign`, headers: admin, payload: { memberId: to.memberId } });
    expect(moved.statusCode).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    // A visit stamped after the hand-over is refused.
    const tooLate = oldPhone.mutation('visit.create', visitArgs(h.id));

    const reply = await oldPhone.push([queued, tooLate]);
    expect(reply.results.map((r) => [r.status, r.code])).toEqual([['applied', undefined], ['rejected', 'OUT_OF_SCOPE']]);
    const log = await t.testDb.opened.db.selectFrom('mutation_log').select(['late', 'status']).where('client_id', '=', oldPhone.clientId).orderBy('mutation_id').execute();
    expect(log[0]).toEqual({ late: true, status: 'applied' });

    const oldOps = await oldPhone.pull();
    expect(oldOps).toContainEqual({ op: 'del', table: 'households', id: h.id });
    expect(oldPhone.table('households').has(h.id)).toBe(false);

    await newPhone.pull();
    expect(newPhone.table('households').has(h.id)).toBe(true);
    const lateVisit = newPhone.table('visits').get((queued.args as { id: string }).id);
    expect(lateVisit).toMatchObject({ late: true, memberId: from.memberId });
  });
});
