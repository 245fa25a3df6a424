import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/uuid.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice } from './sync-device.ts';

describe.each(DB_KINDS)('merge rules and conflicts on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const db = () => t.testDb.opened.db;
  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const member = (n = 0) => memberPhone(t.org, group().id, n);
  const householdsOf = (memberId: string) => t.org.households.filter((h) => h.memberId === memberId);
  const conflictsOf = (recordId: string) => db().selectFrom('conflicts').selectAll().where('record_id', '=', recordId).execute();
  const household = (id: string) => db().selectFrom('households').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const tick = () => (t.clock.now = new Date(t.clock.now.getTime() + 1000));
  let n = 0;
  /** The liaison's phone and the branch secretary's, both about one household. */
  function pair() {
    const m = member(n % 5);
    const h = householdsOf(m.memberId)[Math.floor(n / 5)]!;
    n++;
    return { h, liaison: new TestDevice(t, m.phone), secretary: new TestDevice(t, staffPhone(t.org, group().id)) };
  }
  const update = (d: TestDevice, id: string, changes: Record<string, { value: unknown; baseVersion: number }>) =>
    d.push([d.mutation('household.update', { id, changes })]);

  it('an lww field (phone): the later stamp wins and the losing value is logged in one conflict', async () => {
    const { h, liaison, secretary } = pair();
    const first = await update(liaison, h.id, { phone: { value: '13911112222', baseVersion: 0 } });
    expect(first.results[0]!.status).toBe('applied');
    tick();
    const second = await update(secretary, h.id, { phone: { value: '13933334444', baseVersion: 0 } });
    expect(second.results[0]!.status).toBe('conflict');
    expect((await household(h.id)).phone).toBe('13933334444');
    const conflicts = await conflictsOf(h.id);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ field: 'phone', policy: 'lww', status: 'logged', kept_value: '13933334444', lost_value: '13911112222' });
    expect((await household(h.id)).field_meta.phone!.v).toBe(2);
  });

  it('a review field (head of household): the current value stays and one open conflict holds both', async () => {
    const { h, liaison, secretary } = pair();
    await update(liaison, h.id, { headName: { value: '张三丰', baseVersion: 0 } });
    tick();
    const second = await update(secretary, h.id, { headName: { value: '张三峰', baseVersion: 0 } });
    expect(second.results[0]!.status).toBe('conflict');
    expect((await household(h.id)).head_name).toBe('张三丰');
    const conflicts = await conflictsOf(h.id);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ field: 'headName', policy: 'review', status: 'open', kept_value: '张三丰', lost_value: '张三峰' });
    expect(conflicts[0]!.lost_by).not.toBeNull();
  });

  it('different fields never conflict, and the same value typed twice is nothing to do', async () => {
    const { h, liaison, secretary } = pair();
    const size = (await household(h.id)).size + 1;
    await update(liaison, h.id, { notes: { value: '腿脚不便，上门走访', baseVersion: 0 }, size: { value: size, baseVersion: 0 } });
    const other = await update(secretary, h.id, { phone: { value: '13955556666', baseVersion: 0 }, size: { value: size, baseVersion: 0 } });
    expect(other.results[0]!.status).toBe('applied');
    const row = await household(h.id);
    expect([row.notes, row.size, row.phone]).toEqual(['腿脚不便，上门走访', size, '13955556666']);
    expect(await conflictsOf(h.id)).toHaveLength(0);
    // A later edit on the version it saw applies cleanly.
    const next = await update(liaison, h.id, { size: { value: size + 1, baseVersion: row.field_meta.size!.v } });
    expect(next.results[0]!.status).toBe('applied');
  });

  it('two offline edits of one field from one device build on each other; a third party in between is not overwritten unseen', async () => {
    const { h, liaison, secretary } = pair();
    // Both made offline on the version last pulled (0).
    const own = await liaison.push([
      liaison.mutation('household.update', { id: h.id, changes: { notes: { value: '第一次', baseVersion: 0 } } }),
      liaison.mutation('household.update', { id: h.id, changes: { notes: { value: '第二次', baseVersion: 0 } } }),
    ]);
    expect(own.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await conflictsOf(h.id)).toHaveLength(0);

    // The secretary writes on the version it pulled (2); the liaison, not having pulled, edits on 2 as well.
    const v = (await household(h.id)).field_meta.headName?.v ?? 0;
    await update(secretary, h.id, { headName: { value: '书记改的', baseVersion: v } });
    tick();
    await update(liaison, h.id, { headName: { value: '党员改的', baseVersion: v } });
    // The second edit was concurrent with the secretary's: a review conflict, not an overwrite.
    expect((await household(h.id)).head_name).toBe('书记改的');
    expect((await conflictsOf(h.id)).map((c) => [c.field, c.lost_value])).toEqual([['headName', '党员改的']]);
  });

  it('refuses an address of the other grid, leaving the household as it was', async () => {
    const { h, liaison } = pair();
    const before = await household(h.id);
    const res = await update(liaison, h.id, { address: { value: { kind: 'urban', building: '1', entrance: '1', room: '101' }, baseVersion: 0 } });
    expect(res.results[0]).toMatchObject({ status: 'rejected', code: 'ADDRESS_KIND_MISMATCH' });
    expect(await household(h.id)).toEqual(before);
  });

  describe('disputes', () => {
    const open = (d: TestDevice, householdIds: string[]) => {
      const id = uuidv7();
      return { id, m: d.mutation('dispute.open', { id, householdIds, category: 'neighbour', description: '邻里因排水沟堵塞发生争执', openedAt: t.clock.now.toISOString() }) };
    };

    it('a transition whose `from` no longer holds opens one conflict, and the mediation sent with it is stored', async () => {
      const { h, liaison, secretary } = pair();
      const { id, m } = open(liaison, [h.id]);
      expect((await liaison.push([m])).results[0]!.status).toBe('applied');
      await secretary.push([secretary.mutation('dispute.transition', { id, from: 'open', to: 'mediating' })]);
      tick();
      // The liaison, offline, resolved it on the spot and logged the mediation.
      const mediationId = uuidv7();
      const reply = await liaison.push([
        liaison.mutation('mediation.add', { id: mediationId, disputeId: id, mediatedAt: t.clock.now.toISOString(), mediatorIds: [member().memberId], summary: '双方同意共同清理排水沟', agreementReached: true }),
        liaison.mutation('dispute.transition', { id, from: 'open', to: 'resolved' }),
      ]);
      expect(reply.results.map((r) => r.status)).toEqual(['applied', 'conflict']);
      const d = await db().selectFrom('disputes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(d.status).toBe('mediating');
      const conflicts = await conflictsOf(id);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ field: 'status', policy: 'transition', status: 'open', kept_value: 'mediating', lost_value: 'resolved' });
      expect(await db().selectFrom('mediations').select('id').where('id', '=', mediationId).execute()).toHaveLength(1);
    });

    it('escalation hands the dispute to the next tier; the branch can no longer move it; moves off the life cycle are refused', async () => {
      const { h, liaison } = pair();
      const { id, m } = open(liaison, [h.id]);
      await liaison.push([m]);
      const up = await liaison.push([liaison.mutation('dispute.transition', { id, from: 'open', to: 'escalated', note: '需村委协调' })]);
      expect(up.results[0]!.status).toBe('applied');
      const d = await db().selectFrom('disputes').select('unit_id').where('id', '=', id).executeTakeFirstOrThrow();
      expect(d.unit_id).toBe(t.unitNamed('石岭村').id);
      const again = await liaison.push([liaison.mutation('dispute.transition', { id, from: 'escalated', to: 'closed' })]);
      expect(again.results[0]).toMatchObject({ status: 'rejected', code: 'DISPUTE_NOT_AT_YOUR_TIER' });
      const village = new TestDevice(t, staffPhone(t.org, t.unitNamed('石岭村').id));
      expect((await village.push([village.mutation('dispute.transition', { id, from: 'escalated', to: 'mediating' })])).results[0]!.status).toBe('applied');
      // The village can also send an escalated dispute back down to the branch.
      const other = open(liaison, [h.id]);
      await liaison.push([other.m, liaison.mutation('dispute.transition', { id: other.id, from: 'open', to: 'escalated' })]);
      expect((await village.push([village.mutation('dispute.transition', { id: other.id, from: 'escalated', to: 'open', note: '请支部先行调解' })])).results[0]!.status).toBe('applied');
      const back = await db().selectFrom('disputes').select(['unit_id', 'status']).where('id', '=', other.id).executeTakeFirstOrThrow();
      expect(back).toEqual({ unit_id: group().id, status: 'open' });
      expect((await liaison.push([liaison.mutation('dispute.transition', { id: other.id, from: 'open', to: 'mediating' })])).results[0]!.status).toBe('applied');
      const bad = await village.push([village.mutation('dispute.transition', { id, from: 'mediating', to: 'open' })]);
      expect(bad.results[0]).toMatchObject({ status: 'rejected', code: 'TRANSITION_NOT_ALLOWED' });
      const events = await db().selectFrom('record_events').select(['from_status', 'to_status']).where('table_name', '=', 'disputes').where('record_id', '=', id).orderBy('id').execute();
      expect(events.map((e) => `${e.from_status}→${e.to_status}`)).toEqual(['null→open', 'open→escalated', 'escalated→mediating']);
    });

    it('refuses parties from two branches and a neighbour unknown to the server', async () => {
      const { h, liaison } = pair();
      const elsewhere = t.org.households.find((x) => x.unitId !== group().id)!;
      const split = await liaison.push([open(liaison, [h.id, elsewhere.id]).m]);
      expect(split.results[0]).toMatchObject({ status: 'rejected', code: 'DISPUTE_PARTIES_SPLIT' });
      const ghost = await liaison.push([open(liaison, [h.id, uuidv7()]).m]);
      expect(ghost.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
    });
  });
});
