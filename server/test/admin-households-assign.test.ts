import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice } from './sync-device.ts';
import { villageAdmin } from './admin-scope.ts';

type Headers = { authorization: string };

describe.each(DB_KINDS)('bulk assignment with a preview, and the gaps, on %s', (kind) => {
  let t: TestApp;
  let admin: Headers;
  let shilingAdmin: Headers;
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('13800000001');
    shilingAdmin = await villageAdmin(t, '石岭村');
  });
  afterAll(() => t.close());

  const db = () => t.testDb.opened.db;
  const groupOf = (name: string) => t.org.units.find((u) => u.kind === 'villager_group' && u.name.startsWith(name))!;
  const nameOf = (memberId: string) => t.org.users.find((u) => u.id === t.org.members.find((m) => m.id === memberId)!.userId)!.name;
  const heldBy = async (memberId: string) => (await db().selectFrom('households').select('id').where('member_id', '=', memberId).execute()).map((r) => r.id).sort();
  const preview = (headers: Headers, householdIds: string[], memberId: string | null) =>
    t.app.inject({ method: 'POST', url: '/api/admin/assignments/preview', headers, payload: { householdIds, memberId } });
  const apply = (headers: Headers, householdIds: string[], memberId: string | null) =>
    t.app.inject({ method: 'POST', url: '/api/admin/assignments', headers, payload: { householdIds, memberId } });

  it('previews who loses and who gains, with the load warnings in one Chinese sentence, and changes nothing', async () => {
    const group = groupOf('龙塘村');
    const a = memberPhone(t.org, group.id, 0).memberId;
    const b = memberPhone(t.org, group.id, 4).memberId; // holds two
    const fromA = (await heldBy(a)).slice(0, 1);
    const res = await preview(admin, fromA, b);
    expect(res.statusCode).toBe(200);
    const p = res.json();
    const aBefore = (await heldBy(a)).length;
    expect(p.moves).toEqual([{ householdId: fromA[0], headName: expect.any(String), from: { memberId: a, name: nameOf(a) }, to: { memberId: b, name: nameOf(b) } }]);
    expect(p.members).toEqual(expect.arrayContaining([
      expect.objectContaining({ memberId: a, before: aBefore, after: aBefore - 1 }),
      expect.objectContaining({ memberId: b, before: 2, after: 3 }),
    ]));
    expect(p.blocks).toEqual([]);
    expect(p.summary.startsWith(`1 户从 ${nameOf(a)} 移到 ${nameOf(b)}`)).toBe(true);
    expect(p.summary.includes(`${nameOf(a)} 剩 ${aBefore - 1} 户，低于最少 3 户`)).toBe(aBefore - 1 < 3);
    expect(await heldBy(b)).toHaveLength(2);
  });

  it('warns when a member is left below the minimum', async () => {
    const group = groupOf('龙塘村');
    const b = memberPhone(t.org, group.id, 4).memberId;
    const unassigned = t.org.households.filter((h) => h.unitId === group.id && !h.memberId).map((h) => h.id);
    const [one] = await heldBy(b);
    const p = (await preview(admin, [one!], null)).json();
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'below_min', memberId: b, households: 1, limit: 3 })]);
    expect(p.summary).toBe(`1 户不再由 ${nameOf(b)} 联系；${nameOf(b)} 剩 1 户，低于最少 3 户`);
    expect(unassigned.length).toBeGreaterThan(0);
    const given = (await preview(admin, unassigned.slice(0, 1), b)).json();
    expect(given.summary).toBe(`1 户分配给 ${nameOf(b)}`);
  });

  it('applies all or nothing: a member over the maximum or of another branch refuses the whole batch', async () => {
    const group = groupOf('石岭村');
    const a = memberPhone(t.org, group.id, 0).memberId;
    const b = memberPhone(t.org, group.id, 4).memberId;
    const c = memberPhone(t.org, group.id, 1).memberId;
    const beforeB = await heldBy(b);
    const four = [...(await heldBy(a)).slice(0, 2), ...(await heldBy(c)).slice(0, 2)];
    const p = (await preview(admin, four, b)).json();
    expect(p.blocks).toEqual([expect.objectContaining({ code: 'MEMBER_AT_CAPACITY', householdId: null })]);
    const refused = await apply(admin, four, b);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'MEMBER_AT_CAPACITY', max: 5, held: 2 });
    expect(await heldBy(b)).toEqual(beforeB);

    const other = t.org.households.find((h) => h.unitId === groupOf('龙塘村').id && h.memberId)!;
    const mixed = await apply(admin, [(await heldBy(a))[0]!, other.id], b);
    expect(mixed.json()).toMatchObject({ code: 'MEMBER_UNIT_MISMATCH' });
    expect(await heldBy(b)).toEqual(beforeB);
  });

  it('a village admin cannot move another village’s households, even in a batch with their own', async () => {
    const own = groupOf('石岭村');
    const b = memberPhone(t.org, own.id, 4).memberId;
    const longtang = t.org.households.find((h) => h.unitId === groupOf('龙塘村').id && h.memberId)!;
    const mine = (await heldBy(memberPhone(t.org, own.id, 0).memberId))[0]!;
    const p = (await preview(shilingAdmin, [mine, longtang.id], b)).json();
    expect(p.blocks).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN', householdId: longtang.id }));
    const res = await apply(shilingAdmin, [mine, longtang.id], b);
    expect(res.statusCode).toBe(403);
    expect((await db().selectFrom('households').select('member_id').where('id', '=', longtang.id).executeTakeFirstOrThrow()).member_id).toBe(longtang.memberId);
    expect(await heldBy(b)).not.toContain(mine);
    // A supervisor may not assign at all.
    const supervisor = await t.as(staffPhone(t.org, own.id));
    expect((await apply(supervisor, [mine], b)).statusCode).toBe(403);
  });

  it('moves a batch in one go: the phones follow, the history and the audit log name each household', async () => {
    const group = groupOf('石岭村');
    const from = memberPhone(t.org, group.id, 2);
    const to = memberPhone(t.org, group.id, 4);
    const moving = (await heldBy(from.memberId)).slice(0, 2);
    const toBefore = (await heldBy(to.memberId)).length;
    const oldPhone = new TestDevice(t, from.phone);
    const newPhone = new TestDevice(t, to.phone);
    await oldPhone.pull();
    await newPhone.pull();
    t.clock.now = new Date('2026-11-21T02:00:00Z');
    const res = await apply(shilingAdmin, moving, to.memberId);
    t.clock.now = new Date();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ moved: 2, preview: { blocks: [] } });
    expect(await heldBy(to.memberId)).toHaveLength(toBefore + 2);
    const oldOps = await oldPhone.pull();
    for (const id of moving) expect(oldOps).toContainEqual({ op: 'del', table: 'households', id });
    await newPhone.pull();
    for (const id of moving) expect(newPhone.table('households').has(id)).toBe(true);
    const history = await db().selectFrom('household_assignments').selectAll().where('household_id', 'in', moving).where('at', '=', new Date('2026-11-21T02:00:00Z')).execute();
    expect(history).toHaveLength(2);
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'household.assign').where('target_id', 'in', moving).execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.before).toEqual({ memberId: from.memberId, memberName: nameOf(from.memberId) });
    expect(audit[0]!.after).toEqual({ memberId: to.memberId, memberName: nameOf(to.memberId) });
    // Applying the same again has nothing to do.
    const again = (await apply(shilingAdmin, moving, to.memberId)).json();
    expect(again).toMatchObject({ moved: 0, preview: { unchanged: 2, summary: '没有需要变动的住户' } });
  });

  it('refuses more than 500 households and duplicates as bad input', async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    expect((await preview(admin, ids, null)).statusCode).toBe(400);
    const same = t.org.households[0]!.id;
    expect((await preview(admin, [same, same], null)).statusCode).toBe(400);
  });

  it('lists the gaps in scope: members below the minimum or above the maximum, households with no liaison', async () => {
    const group = groupOf('龙塘村');
    // Push one member over the maximum by hand (an old import), to see the list.
    const over = memberPhone(t.org, group.id, 3).memberId;
    const spare = t.org.households.filter((h) => h.unitId === group.id && !h.memberId).map((h) => h.id);
    const needed = 6 - (await heldBy(over)).length;
    const extra = [...spare, ...(await heldBy(memberPhone(t.org, group.id, 1).memberId))].slice(0, needed);
    await db().updateTable('households').set({ member_id: over }).where('id', 'in', extra).execute();
    const res = await t.app.inject({ url: `/api/admin/assignments/gaps?unitId=${group.id}`, headers: admin });
    expect(res.statusCode).toBe(200);
    const gaps = res.json();
    expect(gaps.limits).toEqual({ min: 3, max: 5 });
    expect(gaps.membersOverMax).toEqual([expect.objectContaining({ memberId: over, households: 6, phone: expect.stringMatching(/^1\d{10}$/) })]);
    for (const m of gaps.membersUnderMin) expect((await heldBy(m.memberId)).length).toBe(m.households);
    const orphans = await db().selectFrom('households').select('id').where('unit_id', '=', group.id).where('member_id', 'is', null).where('archived_at', 'is', null).execute();
    expect(gaps.householdsWithoutLiaison.map((h: { householdId: string }) => h.householdId).sort()).toEqual(orphans.map((o) => o.id).sort());
    expect(gaps.totals.householdsWithoutLiaison).toBe(orphans.length);
    // A village admin's gaps stop at their village.
    const own = (await t.app.inject({ url: '/api/admin/assignments/gaps', headers: shilingAdmin })).json();
    expect(own.membersOverMax).toEqual([]);
    const village = t.unitNamed('石岭村');
    const units = new Set(t.org.units.filter((u) => u.path.includes(village.id)).map((u) => u.id));
    for (const m of own.membersUnderMin) expect(units.has(m.unitId)).toBe(true);
  });
});
