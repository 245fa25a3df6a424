import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '@shared/errors.ts';
import { parseHlc } from '@shared/sync/hlc.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { openDevice, type Device } from './testing/device.ts';
import { seedVillage, visitArgs } from './testing/fake-server.ts';

const open: Device[] = [];
async function device(world: ReturnType<typeof seedVillage>, opts: Parameters<typeof openDevice>[2] = {}) {
  const d = await openDevice(world.server, world.li.me, opts);
  open.push(d);
  return d;
}
afterEach(() => open.splice(0).forEach((d) => d.close()));

describe('mutate: the optimistic change and its outbox entry', () => {
  it('writes the row and the entry together, numbered from 1, stamped and timed', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    const v = visitArgs(w.households[0]!.id);
    const r = await d.mutate('visit.create', v);
    expect(r).toEqual({ status: 'applied', late: false, mutationId: 1 });
    expect(await d.db.visits.get(v.id)).toMatchObject({ id: v.id, householdId: v.householdId, memberId: w.li.member.id, summary: v.summary, late: false });
    const entries = await d.db.outbox.toArray();
    expect(entries).toEqual([{ id: 1, name: 'visit.create', args: v, hlc: expect.stringMatching(/^[0-9a-f]{16}-0000-/), createdAt: w.server.now.toISOString() }]);
    expect(parseHlc(entries[0]!.hlc)).toMatchObject({ wall: w.server.now.getTime(), node: d.clientId });
    expect(await d.db.getMeta('hlc')).toBe(entries[0]!.hlc);
    expect(await d.db.getMeta('nextMutationId')).toBe(2);
  });

  it('a change a rule refuses writes neither row nor entry, and its Chinese message reaches the caller', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    const before = await d.db.households.get(w.households[0]!.id);

    const stranger = visitArgs(w.other.id); // another member's household: not on this phone
    const err = await d.mutate('visit.create', stranger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: '找不到该住户' });

    const urban = { kind: 'urban' as const, building: '1栋', entrance: '2单元', room: '301' };
    await expect(d.mutate('household.update', { id: before!.id, changes: { address: { value: urban, baseVersion: 0 } } })).rejects.toMatchObject({
      code: 'ADDRESS_KIND_MISMATCH',
      message: expect.stringMatching(/住址格式/),
    });
    await expect(d.mutate('visit.create', { ...visitArgs(before!.id), duty: 'gossip' } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    expect(await d.db.visits.count()).toBe(0);
    expect(await d.db.outbox.count()).toBe(0);
    expect(await d.db.households.get(before!.id)).toEqual(before);
    // No hole in the numbering either.
    expect((await d.mutate('visit.create', visitArgs(before!.id))).mutationId).toBe(1);
  });

  it('the row and the entry stand or fall together: a failing outbox write undoes the row', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    // Occupy the id the next entry will take, so adding the entry fails after the mutator wrote.
    await d.db.outbox.add({ id: 1, name: 'visit.create', args: {}, hlc: '0000000000000000-0000-x', createdAt: w.server.now.toISOString() });
    const v = visitArgs(w.households[0]!.id);
    await expect(d.mutate('visit.create', v)).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await d.db.visits.get(v.id)).toBeUndefined();
    expect(await d.db.getMeta('nextMutationId')).toBeUndefined();
  });

  it('ids count up from 1 and never repeat, after the outbox empties and after the store is reopened', async () => {
    const w = seedVillage();
    const dbName = `ids-${uuidv7()}`;
    const d = await device(w, { dbName });
    await d.engine.sync();
    const h = w.households[0]!.id;
    for (const n of [1, 2, 3]) expect((await d.mutate('visit.create', visitArgs(h))).mutationId).toBe(n);
    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(0);
    expect((await d.mutate('visit.create', visitArgs(h))).mutationId).toBe(4);
    d.close();

    const again = await device(w, { dbName, clientId: d.clientId });
    expect((await again.db.outbox.toArray()).map((e) => e.id)).toEqual([4]);
    expect((await again.mutate('visit.create', visitArgs(h))).mutationId).toBe(5);
    await again.engine.sync();
    expect(w.server.log.map((l) => [l.id, l.status])).toEqual([[1, 'applied'], [2, 'applied'], [3, 'applied'], [4, 'applied'], [5, 'applied']]);
    expect(await again.db.outbox.count()).toBe(0);
    expect((await again.mutate('visit.create', visitArgs(h))).mutationId).toBe(6);
  });

  it('keeps stamping in order across a reload even when the wall clock went back', async () => {
    const w = seedVillage();
    const dbName = `hlc-${uuidv7()}`;
    const d = await device(w, { dbName });
    await d.engine.sync();
    const h = w.households[0]!.id;
    await d.mutate('visit.create', visitArgs(h));
    const first = (await d.db.outbox.get(1))!.hlc;
    d.close();
    w.server.now = new Date(w.server.now.getTime() - 24 * 3600_000); // the phone's clock was set back a day
    const again = await device(w, { dbName, clientId: d.clientId });
    await again.mutate('visit.create', visitArgs(h, { visitedAt: w.server.now.toISOString() })); // dated by the phone's clock, as the form does
    const second = (await again.db.outbox.get(2))!.hlc;
    expect(second > first).toBe(true);
    expect(parseHlc(second).wall).toBe(parseHlc(first).wall);
  });

  it('queues a plain copy: later edits of the caller’s object do not change queued work', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    const v = visitArgs(w.households[0]!.id);
    await d.mutate('visit.create', v);
    v.summary = '改过了';
    expect(((await d.db.outbox.get(1))!.args as { summary: string }).summary).toBe('了解老人身体情况，反映路灯坏了');
  });

  it('a dispute opened on the phone carries its paths; escalating takes the parent from the local units, or from the path', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    const [a, b] = w.households;
    const id = uuidv7();
    await d.mutate('dispute.open', { id, householdIds: [a!.id, b!.id], category: 'neighbour', description: '宅基地边界争执', openedAt: w.server.now.toISOString() });
    expect(await d.db.disputes.get(id)).toMatchObject({
      status: 'open', unitId: w.group.id, branchUnitId: w.group.id, branchPath: w.group.path, unitPath: w.group.path, statusBy: w.li.me.id,
    });
    await d.mutate('dispute.transition', { id, from: 'open', to: 'escalated' });
    expect(await d.db.disputes.get(id)).toMatchObject({ status: 'escalated', unitId: w.village.id, unitPath: w.village.path, branchPath: w.group.path });

    // Without the village on the device, the parent still comes from the group's path.
    await d.db.units.delete(w.village.id);
    const id2 = uuidv7();
    await d.mutate('dispute.open', { id: id2, householdIds: [a!.id], category: 'marriage_family', description: '赡养老人问题', openedAt: w.server.now.toISOString() });
    await d.mutate('dispute.transition', { id: id2, from: 'open', to: 'escalated' });
    expect(await d.db.disputes.get(id2)).toMatchObject({ unitId: w.village.id, unitPath: w.village.path });
    // The server agrees once it goes up.
    await d.engine.sync();
    expect(w.server.log.map((l) => l.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(w.server.rows.disputes.get(id2)).toMatchObject({ unitId: w.village.id, status: 'escalated' });
  });
});
