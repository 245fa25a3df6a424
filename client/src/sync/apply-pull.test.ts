import { afterEach, describe, expect, it } from 'vitest';
import type { PatchOp, PullReply } from '@shared/sync/protocol.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { LianxinDb } from '../db/lianxin-db.ts';
import { applyPullPage, deferredDeletes } from './apply-pull.ts';
import { openDb, openDevice, type Device } from './testing/device.ts';
import { seedVillage, visitArgs } from './testing/fake-server.ts';

const opened: { close(): void }[] = [];
afterEach(() => opened.splice(0).forEach((d) => d.close()));
const keep = <T extends { close(): void }>(x: T) => (opened.push(x), x);

type World = ReturnType<typeof seedVillage>;
const page = (patch: PatchOp[], extra: Partial<PullReply> = {}): PullReply => ({ cursor: `c-${uuidv7()}`, more: false, lastMutationId: 0, patch, ...extra });
/** Every row of the world a member's snapshot would carry, as puts. */
const snapshotOf = (w: World, memberId = w.li.member.id): PatchOp[] => [
  ...[...w.server.rows.units.values()].map((row) => ({ op: 'put', table: 'units', row }) as PatchOp),
  ...[...w.server.rows.members.values()].map((row) => ({ op: 'put', table: 'members', row }) as PatchOp),
  ...[...w.server.rows.households.values()].filter((h) => h.memberId === memberId).map((row) => ({ op: 'put', table: 'households', row }) as PatchOp),
];
const ids = async (db: LianxinDb, table: 'households' | 'visits' | 'disputes' | 'mediations') => (await db.table(table).toCollection().primaryKeys()).sort();

describe('applying pull pages', () => {
  it('applies clear, put and del, keeps the outbox, refused work and meta, and stores cursor and lastMutationId', async () => {
    const w = seedVillage();
    const db = keep(openDb());
    const me = w.li.me;
    await db.outbox.add({ id: 1, name: 'visit.create', args: visitArgs(w.households[0]!.id), hlc: 'h', createdAt: w.server.now.toISOString() });
    await db.rejected.add({ id: 7, name: 'visit.create', args: {}, hlc: 'h', createdAt: '2026-01-01T00:00:00.000Z', code: 'OUT_OF_SCOPE', message: '不在范围', rejectedAt: '2026-01-02T00:00:00.000Z' });
    await db.setMeta('nextMutationId', 8);
    await db.setMeta('lastMutationId', 0);
    await db.households.put({ ...w.other, memberId: w.li.member.id }); // a stale row the snapshot must clear

    const first = page([{ op: 'clear' }, ...snapshotOf(w)], { cursor: 'c1', more: true });
    expect(await applyPullPage(db, first, me, 'dev-1')).toBe(snapshotOf(w).length);
    expect(await ids(db, 'households')).toEqual(w.households.map((h) => h.id).sort());
    expect(await db.getMeta('cursor')).toBe('c1');
    expect(await db.outbox.count()).toBe(1);
    expect(await db.rejected.count()).toBe(1);
    expect(await db.getMeta('nextMutationId')).toBe(8);

    const renamed = { ...w.households[1]!, headName: '黄二叔' };
    await applyPullPage(db, page([{ op: 'put', table: 'households', row: renamed }, { op: 'del', table: 'members', id: w.wang.member.id }], { cursor: 'c2' }), me, 'dev-1');
    expect((await db.households.get(renamed.id))!.headName).toBe('黄二叔');
    expect(await db.members.get(w.wang.member.id)).toBeUndefined();
    expect(await db.getMeta('cursor')).toBe('c2');
    expect(await db.getMeta('lastMutationId')).toBe(0);
  });

  it('applies a page in one transaction: a page that fails leaves rows and cursor as they were', async () => {
    const w = seedVillage();
    const db = keep(openDb());
    await applyPullPage(db, page([{ op: 'clear' }, ...snapshotOf(w)], { cursor: 'c1' }), w.li.me, 'dev-1');
    const broken = page([{ op: 'clear' }, { op: 'put', table: 'nonsense' as 'units', row: w.town }], { cursor: 'c2' });
    await expect(applyPullPage(db, broken, w.li.me, 'dev-1')).rejects.toThrow();
    expect(await db.getMeta('cursor')).toBe('c1');
    expect(await db.households.count()).toBe(4);
  });

  it('drops the outbox entries the pulled lastMutationId acknowledges', async () => {
    const w = seedVillage();
    const db = keep(openDb());
    await applyPullPage(db, page([{ op: 'clear' }, ...snapshotOf(w)]), w.li.me, 'dev-1');
    for (const id of [1, 2, 3]) await db.outbox.add({ id, name: 'visit.create', args: visitArgs(w.households[0]!.id), hlc: 'h', createdAt: w.server.now.toISOString() });
    await applyPullPage(db, page([], { lastMutationId: 2 }), w.li.me, 'dev-1');
    expect((await db.outbox.toArray()).map((e) => e.id)).toEqual([3]);
    expect(await db.getMeta('lastMutationId')).toBe(2);
  });

  it('a household del takes its visits, its disputes no other held party keeps, and their mediations', async () => {
    const w = seedVillage();
    const d = keep(await openDevice(w.server, w.li.me));
    await d.engine.sync();
    const [a, b] = w.households;
    const own = uuidv7();
    const shared = uuidv7();
    await d.mutate('visit.create', visitArgs(a!.id));
    await d.mutate('visit.create', visitArgs(b!.id));
    await d.mutate('dispute.open', { id: own, householdIds: [a!.id], category: 'neighbour', description: '噪音', openedAt: w.server.now.toISOString() });
    await d.mutate('dispute.open', { id: shared, householdIds: [a!.id, b!.id], category: 'housing_land', description: '宅基地', openedAt: w.server.now.toISOString() });
    await d.mutate('mediation.add', { id: uuidv7(), disputeId: own, mediatedAt: w.server.now.toISOString(), mediatorIds: [w.li.member.id], summary: '双方同意', agreementReached: true });
    const sharedMediation = uuidv7();
    await d.mutate('mediation.add', { id: sharedMediation, disputeId: shared, mediatedAt: w.server.now.toISOString(), mediatorIds: [w.li.member.id], summary: '再谈', agreementReached: false });
    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(0);

    await applyPullPage(d.db, page([{ op: 'del', table: 'households', id: a!.id }], { lastMutationId: 6 }), w.li.me, d.clientId);
    expect(await d.db.households.get(a!.id)).toBeUndefined();
    expect((await d.db.visits.toArray()).map((v) => v.householdId)).toEqual([b!.id]);
    expect(await ids(d.db, 'disputes')).toEqual([shared]); // b is still the member's
    expect(await ids(d.db, 'mediations')).toEqual([sharedMediation]);
    expect(await deferredDeletes(d.db)).toEqual([]);
  });

  it('re-applies queued work over fresh rows: a pending visit and edit stay visible after a clear and snapshot', async () => {
    const w = seedVillage();
    const d = keep(await openDevice(w.server, w.li.me));
    await d.engine.sync();
    const h = w.households[0]!;
    const v = visitArgs(h.id);
    await d.mutate('visit.create', v);
    await d.mutate('household.update', { id: h.id, changes: { phone: { value: '13912345678', baseVersion: 0 } } });
    // Meanwhile the server changed another field; the restarted copy lacks our work.
    const fresh = { ...h, notes: '家中有老人', fieldMeta: { notes: { v: 1 } } };
    await applyPullPage(d.db, page([{ op: 'clear' }, ...snapshotOf(w).filter((op) => op.op !== 'put' || op.row.id !== h.id), { op: 'put', table: 'households', row: fresh }]), w.li.me, d.clientId);
    expect(await d.db.visits.get(v.id)).toMatchObject({ id: v.id, summary: v.summary });
    expect(await d.db.households.get(h.id)).toMatchObject({ phone: '13912345678', notes: '家中有老人' });
    expect(await d.db.outbox.count()).toBe(2);
  });

  it('keeps queued work that no longer applies for the server to judge', async () => {
    const w = seedVillage();
    const d = keep(await openDevice(w.server, w.li.me));
    await d.engine.sync();
    const v = visitArgs(w.households[0]!.id);
    await d.mutate('visit.create', v);
    // The household went away and is not kept (hypothetically without the entry naming it).
    await d.db.outbox.update(1, { args: { ...v, householdId: uuidv7() } });
    await applyPullPage(d.db, page([{ op: 'clear' }]), w.li.me, d.clientId);
    expect(await d.db.outbox.count()).toBe(1);
    expect(await d.db.visits.count()).toBe(0);
  });
});

describe('households leaving the device while work for them is queued', () => {
  async function member(w: World): Promise<Device> {
    const d = keep(await openDevice(w.server, w.li.me));
    await d.engine.sync();
    return d;
  }
  /** Pulls without pushing, as a phone whose push has not gone through yet. */
  async function pullOnly(w: World, d: Device) {
    const reply = await w.server.pull({ clientId: d.clientId, cursor: (await d.db.getMeta<string>('cursor')) ?? null }, w.li.me);
    await applyPullPage(d.db, reply, w.li.me, d.clientId);
  }

  it('defers the del while a visit for the household waits, then removes it once the visit is up', async () => {
    const w = seedVillage();
    const d = await member(w);
    const h = w.households[0]!.id;
    const v = visitArgs(h);
    await d.mutate('visit.create', v);
    w.server.now = new Date(w.server.now.getTime() + 60_000);
    w.server.reassign(h, w.wang.member.id);

    await pullOnly(w, d);
    expect(await d.db.households.get(h)).toBeDefined();
    expect(await d.db.visits.get(v.id)).toBeDefined();
    expect(await deferredDeletes(d.db)).toEqual([h]);

    await d.engine.sync();
    expect(w.server.log.map((l) => [l.name, l.status])).toEqual([['visit.create', 'applied']]);
    expect(w.server.rows.visits.get(v.id)).toMatchObject({ late: true });
    expect(await d.db.households.get(h)).toBeUndefined();
    expect(await d.db.visits.get(v.id)).toBeUndefined();
    expect(await deferredDeletes(d.db)).toEqual([]);
  });

  it('also defers for a queued household edit and for a mediation of a dispute naming the household', async () => {
    const w = seedVillage();
    const d = await member(w);
    const [a, b] = w.households;
    const dispute = uuidv7();
    await d.mutate('dispute.open', { id: dispute, householdIds: [b!.id], category: 'neighbour', description: '漏水', openedAt: w.server.now.toISOString() });
    await d.engine.sync();
    await d.mutate('household.update', { id: a!.id, changes: { notes: { value: '独居', baseVersion: 0 } } });
    await d.mutate('mediation.add', { id: uuidv7(), disputeId: dispute, mediatedAt: w.server.now.toISOString(), mediatorIds: [w.li.member.id], summary: '上门调解', agreementReached: true });
    w.server.now = new Date(w.server.now.getTime() + 60_000);
    w.server.reassign(a!.id, null);
    w.server.reassign(b!.id, null);

    await pullOnly(w, d);
    expect((await deferredDeletes(d.db)).sort()).toEqual([a!.id, b!.id].sort());
    expect(await d.db.disputes.get(dispute)).toBeDefined();

    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(0);
    expect(await d.db.households.bulkGet([a!.id, b!.id])).toEqual([undefined, undefined]);
    expect(await d.db.disputes.get(dispute)).toBeUndefined();
    expect(await d.db.mediations.count()).toBe(0);
    expect(await deferredDeletes(d.db)).toEqual([]);
  });

  it('a household given back before the work went up is no longer deferred', async () => {
    const w = seedVillage();
    const d = await member(w);
    const h = w.households[0]!.id;
    await d.mutate('visit.create', visitArgs(h));
    w.server.now = new Date(w.server.now.getTime() + 60_000);
    w.server.reassign(h, null);
    await pullOnly(w, d);
    expect(await deferredDeletes(d.db)).toEqual([h]);
    w.server.reassign(h, w.li.member.id);
    await pullOnly(w, d);
    expect(await deferredDeletes(d.db)).toEqual([]);
    await d.engine.sync();
    expect(await d.db.households.get(h)).toBeDefined();
    expect(await d.db.visits.where('householdId').equals(h).count()).toBe(1);
  });

  it('a restarted copy (clear) keeps a household queued work refers to, until that work is up', async () => {
    const w = seedVillage();
    const d = await member(w);
    const h = w.households[0]!.id;
    const v = visitArgs(h);
    await d.mutate('visit.create', v);
    w.server.now = new Date(w.server.now.getTime() + 60_000);
    w.server.reassign(h, null);
    await d.db.setMeta('cursor', null); // the server restarts the copy: clear, then the snapshot without h

    await pullOnly(w, d);
    expect(await ids(d.db, 'households')).toEqual(w.households.slice(1).map((x) => x.id).concat(h).sort());
    expect(await d.db.visits.get(v.id)).toBeDefined();
    expect(await deferredDeletes(d.db)).toEqual([h]);

    await d.engine.sync();
    expect(await d.db.households.get(h)).toBeUndefined();
    expect(await d.db.visits.get(v.id)).toBeUndefined();
  });
});

describe('first contact of a store with the server', () => {
  it('numbers queued work after what the server already took under the same client id', async () => {
    const w = seedVillage();
    const d = keep(await openDevice(w.server, w.li.me));
    w.server.clients.set(d.clientId, { last: 5, userId: w.li.me.id, revoked: null });
    // The store was emptied (the id survived): rows come back, work is logged before any pull.
    for (const op of snapshotOf(w)) if (op.op === 'put') await d.db.table(op.table).put(op.row);
    expect((await d.mutate('visit.create', visitArgs(w.households[0]!.id))).mutationId).toBe(1);
    await d.engine.sync();
    expect(w.server.log.map((l) => [l.id, l.status])).toEqual([[6, 'applied']]);
    expect(await d.db.outbox.count()).toBe(0);
    expect((await d.mutate('visit.create', visitArgs(w.households[0]!.id))).mutationId).toBe(7);
  });
});
