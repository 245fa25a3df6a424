import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';

describe.each(DB_KINDS)('households, assignment and coverage on %s', (kind) => {
  let t: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('13800000001');
  });
  afterAll(() => t.close());

  const groupOf = (name: string) => t.org.units.find((u) => u.kind === 'villager_group' && u.name.startsWith(name))!;
  const addHousehold = (unitId: string, extra: object = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/households',
      headers: admin,
      payload: { unitId, headName: '新住户', size: 3, address: { kind: 'village', houseNumber: '99号' }, careTags: ['empty_nest'], ...extra },
    });
  const assign = (householdId: string, memberId: string | null) =>
    t.app.inject({ method: 'POST', url: `/api/admin/households/${householdId}/assign`, headers: admin, payload: { memberId } });
  const heldBy = (memberId: string) =>
    t.testDb.opened.db.selectFrom('households').select('id').where('member_id', '=', memberId).execute();

  it('creates a household whose address fits its grid, and refuses one that does not', async () => {
    const group = groupOf('石岭村');
    const ok = await addHousehold(group.id);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ unitId: group.id, memberId: null, address: { kind: 'village', houseNumber: '99号' }, careTags: ['empty_nest'] });
    const urban = await addHousehold(group.id, { address: { kind: 'urban', building: '1栋', entrance: '1单元', room: '101' } });
    expect(urban.statusCode).toBe(422);
    expect(urban.json().code).toBe('ADDRESS_KIND_MISMATCH');
    const compound = t.org.units.find((u) => u.kind === 'compound')!;
    const urbanOk = await addHousehold(compound.id, { address: { kind: 'urban', building: '1栋', entrance: '1单元', room: '101' } });
    expect(urbanOk.statusCode).toBe(201);
  });

  it('lists others’ households with the phone masked and no sensitive care tags; the liaison sees them whole', async () => {
    const group = groupOf('石岭村');
    const created = (await addHousehold(group.id, { phone: '13912345678', careTags: ['dibao', 'empty_nest'] })).json() as { id: string };
    const { phone, memberId } = memberPhone(t.org, group.id, 4);
    expect((await assign(created.id, memberId)).statusCode).toBe(200);
    const listed = async (headers: { authorization: string }) =>
      ((await t.app.inject({ url: `/api/households?unitId=${group.id}`, headers })).json().households as { id: string; phone: string; careTags: string[] }[]).find((h) => h.id === created.id);
    expect(await listed(admin)).toMatchObject({ phone: '139****5678', careTags: ['empty_nest'] });
    expect(await listed(await t.as(phone))).toMatchObject({ phone: '13912345678', careTags: ['dibao', 'empty_nest'] });
    // The household itself, opened by a supervisor in scope, is whole.
    expect((await t.app.inject({ url: `/api/households/${created.id}`, headers: admin })).json()).toMatchObject({ phone: '13912345678', careTags: ['dibao', 'empty_nest'] });
  });

  it('refuses households outside a liaison branch and tags not on the list', async () => {
    const town = t.org.units.find((u) => u.kind === 'town')!;
    expect((await addHousehold(town.id)).json().code).toBe('UNIT_NOT_LIAISON');
    const badTag = await addHousehold(groupOf('石岭村').id, { careTags: ['vip'] });
    expect(badTag.statusCode).toBe(400);
    expect(badTag.json().code).toBe('VALIDATION_FAILED');
  });

  it('caps a member at five households and refuses the sixth with a clear error', async () => {
    const group = groupOf('龙塘村');
    // Find a member holding fewer than five and fill them up to five.
    const { memberId } = memberPhone(t.org, group.id, 1);
    let held = (await heldBy(memberId)).length;
    while (held < 5) {
      const h = (await addHousehold(group.id)).json();
      expect((await assign(h.id, memberId)).statusCode).toBe(200);
      held++;
    }
    const sixth = (await addHousehold(group.id)).json();
    const res = await assign(sixth.id, memberId);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'MEMBER_AT_CAPACITY', max: 5 });
    expect((await heldBy(memberId)).length).toBe(5);
    // Creating a household directly assigned to a full member is refused just the same.
    const direct = await addHousehold(group.id, { memberId });
    expect(direct.json().code).toBe('MEMBER_AT_CAPACITY');
  });

  it('refuses assigning a household to a member of another branch', async () => {
    const h = (await addHousehold(groupOf('石岭村').id)).json();
    const other = memberPhone(t.org, groupOf('龙塘村').id, 4);
    const res = await assign(h.id, other.memberId);
    expect(res.json().code).toBe('MEMBER_UNIT_MISMATCH');
  });

  it('records who reassigned a household, when, and from whom', async () => {
    const group = groupOf('石岭村');
    const from = memberPhone(t.org, group.id, 0).memberId;
    const to = memberPhone(t.org, group.id, 4).memberId; // the branch's last member holds two
    const household = t.org.households.find((h) => h.memberId === from)!;
    t.clock.now = new Date('2026-11-20T08:00:00Z');
    expect((await assign(household.id, to)).json().memberId).toBe(to);
    const history = (await t.app.inject({ url: `/api/households/${household.id}/assignments`, headers: admin })).json().assignments;
    const adminId = t.org.users.find((u) => u.phone === '13800000001')!.id;
    expect(history.at(-1)).toEqual({ householdId: household.id, fromMemberId: from, toMemberId: to, byUserId: adminId, at: '2026-11-20T08:00:00.000Z' });
    t.clock.now = new Date();
  });

  it('lists members under three households and households with no liaison', async () => {
    const res = await t.app.inject({ url: '/api/coverage/gaps', headers: admin });
    expect(res.statusCode).toBe(200);
    const gaps = res.json();
    expect(gaps.limits).toEqual({ min: 3, max: 5 });
    const db = t.testDb.opened.db;
    const orphans = await db.selectFrom('households').select('id').where('member_id', 'is', null).execute();
    expect(gaps.householdsWithoutLiaison.map((h: { householdId: string }) => h.householdId).sort()).toEqual(orphans.map((o) => o.id).sort());
    for (const m of gaps.membersUnderMin) {
      expect(m.households).toBeLessThan(3);
      expect((await heldBy(m.memberId)).length).toBe(m.households);
    }
    const underCount = t.org.members.length;
    expect(gaps.membersUnderMin.length).toBeGreaterThan(0);
    expect(gaps.membersUnderMin.length).toBeLessThan(underCount);
  });
});

describe.each(DB_KINDS)('a deployment with its own household limit on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { limits: { min: 2, max: 3 } });
  });
  afterAll(() => t.close());

  it('refuses the fourth household when the limit is three', async () => {
    const admin = await t.as('13800000001');
    const group = t.org.units.find((u) => u.kind === 'compound')!;
    const { memberId } = memberPhone(t.org, group.id, 4); // holds two
    const add = () =>
      t.app.inject({
        method: 'POST', url: '/api/admin/households', headers: admin,
        payload: { unitId: group.id, memberId, headName: '测试户', size: 2, address: { kind: 'urban', building: '2栋', entrance: '1单元', room: '301' } },
      });
    expect((await add()).statusCode).toBe(201);
    const fourth = await add();
    expect(fourth.statusCode).toBe(422);
    expect(fourth.json()).toMatchObject({ code: 'MEMBER_AT_CAPACITY', max: 3 });
  });
});
