import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditChangeText } from '@shared/domain/audit-change.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { auditOf, login, type Headers } from './admin-helpers.ts';

const VILLAGE_ADDRESS = { kind: 'village', houseNumber: '8号' };
const URBAN_ADDRESS = { kind: 'urban', building: '2栋', entrance: '1单元', room: '301' };

describe.each(DB_KINDS)('the org tree’s new structures on %s', (kind) => {
  let t: TestApp;
  let admin: Headers;
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('13800000001');
  });
  afterAll(() => t.close());

  const db = () => t.testDb.opened.db;
  const post = (url: string, payload: object, headers = admin) => t.app.inject({ method: 'POST', url, headers, payload });
  const createUnit = async (kind: string, name: string, parentId: string) => {
    const res = await post('/api/admin/units', { kind, name, parentId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; spaceId: string };
  };
  const addMember = (unitId: string, phone: string) => post('/api/admin/members', { unitId, name: '网格党员', phone, password: 'demo1234' });
  const addHousehold = (unitId: string, address: object, memberId?: string) =>
    post('/api/admin/households', { unitId, headName: '住户', size: 2, address, ...(memberId ? { memberId } : {}) });

  it('a village holds central-household members and households directly (Yangjiang), with village addresses', async () => {
    const village = t.unitNamed('龙塘村');
    const member = await addMember(village.id, '13800009301');
    expect(member.statusCode, member.body).toBe(201);
    const memberId = member.json().id as string;
    const ok = await addHousehold(village.id, VILLAGE_ADDRESS, memberId);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ unitId: village.id, memberId });
    expect((await addHousehold(village.id, URBAN_ADDRESS)).json().code).toBe('ADDRESS_KIND_MISMATCH');
    // The member logs in and their phone holds the household.
    const me = (await t.app.inject({ url: '/api/me', headers: (await login(t, '13800009301')).headers! })).json();
    expect(me.member.unit).toMatchObject({ id: village.id, kind: 'village' });
  });

  it('grids under a village take village addresses, under a community urban ones; people sit in them', async () => {
    const villageGrid = await createUnit('grid', '石岭村第一网格', t.unitNamed('石岭村').id);
    const community = t.org.units.find((u) => u.kind === 'community')!;
    const urbanGrid = await createUnit('grid', '东区第三网格', community.id);
    expect(urbanGrid.spaceId).toBe(community.spaceId);
    expect((await addMember(villageGrid.id, '13800009302')).statusCode).toBe(201);
    expect((await addHousehold(villageGrid.id, VILLAGE_ADDRESS)).statusCode).toBe(201);
    expect((await addHousehold(villageGrid.id, URBAN_ADDRESS)).json().code).toBe('ADDRESS_KIND_MISMATCH');
    expect((await addHousehold(urbanGrid.id, URBAN_ADDRESS)).statusCode).toBe(201);
    expect((await addHousehold(urbanGrid.id, VILLAGE_ADDRESS)).json().code).toBe('ADDRESS_KIND_MISMATCH');
    // Nothing sits under a grid, and a grid sits nowhere else.
    expect((await post('/api/admin/units', { kind: 'compound', name: 'x', parentId: urbanGrid.id })).json().code).toBe('UNIT_PARENT_INVALID');
    expect((await post('/api/admin/units', { kind: 'grid', name: 'x', parentId: t.org.units.find((u) => u.kind === 'town')!.id })).json().code).toBe('UNIT_PARENT_INVALID');

    // A grid with households cannot move to a parent of the other shape; an empty one can.
    const moveTo = (id: string, parentId: string) => post(`/api/admin/units/${id}/move`, { parentId });
    const refused = await moveTo(urbanGrid.id, t.unitNamed('石岭村').id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('UNIT_MOVE_CHANGES_ADDRESS');
    expect((await db().selectFrom('units').select('parent_id').where('id', '=', urbanGrid.id).executeTakeFirstOrThrow()).parent_id).toBe(community.id);
    const empty = await createUnit('grid', '空网格', community.id);
    expect((await moveTo(empty.id, t.unitNamed('石岭村').id)).statusCode).toBe(200);
    expect((await moveTo(villageGrid.id, t.unitNamed('龙塘村').id)).statusCode).toBe(200);
  });

  it('province and city tiers sit above a district; an admin of a city builds districts under it', async () => {
    const province = uuidv7();
    const city = uuidv7();
    await db().insertInto('units').values([
      { id: province, kind: 'province', name: '广东省委', parent_id: null, path: `/${province}/`, space_id: null },
      { id: city, kind: 'city', name: '阳江市委', parent_id: province, path: `/${province}/${city}/`, space_id: null },
    ]).execute();
    const staff = await post('/api/admin/staff', { name: '市管理员', phone: '13800009303', password: 'demo1234', role: 'admin', unitId: city });
    expect(staff.statusCode).toBe(403); // the district's admin does not administer the city
    const userId = uuidv7();
    await db().insertInto('users').values({ id: userId, phone: '13800009303', name: '市管理员', password_hash: (await db().selectFrom('users').select('password_hash').where('phone', '=', '13800000001').executeTakeFirstOrThrow()).password_hash }).execute();
    await db().insertInto('grants').values({ user_id: userId, role: 'admin', unit_id: city }).execute();
    const cityAdmin = (await login(t, '13800009303')).headers!;
    const district = await post('/api/admin/units', { kind: 'district', name: '江城区委', parentId: city }, cityAdmin);
    expect(district.statusCode, district.body).toBe(201);
    expect((await post('/api/admin/units', { kind: 'town', name: '某镇', parentId: city }, cityAdmin)).json().code).toBe('UNIT_PARENT_INVALID');
    const hits = (await t.app.inject({ url: `/api/admin/units?q=${encodeURIComponent('江城')}`, headers: cityAdmin })).json().units;
    expect(hits).toEqual([expect.objectContaining({ kind: 'district', pathNames: ['广东省委', '阳江市委', '江城区委'], liaison: false })]);
    // The demo district, a root of its own, is untouched and out of the city admin's reach.
    expect((await t.app.inject({ url: `/api/admin/units?q=${encodeURIComponent('粤海')}`, headers: cityAdmin })).json().units).toEqual([]);
  });

  it('unit writes are audited with before and after: create, rename, move, retire', async () => {
    const town = t.org.units.find((u) => u.kind === 'town')!;
    const v = await createUnit('village', '审计村', town.id);
    await t.app.inject({ method: 'PATCH', url: `/api/admin/units/${v.id}`, headers: admin, payload: { name: '审计新村' } });
    const sub = t.org.units.find((u) => u.kind === 'subdistrict')!;
    await post(`/api/admin/units/${v.id}/move`, { parentId: sub.id });
    await post(`/api/admin/units/${v.id}/retire`, {});
    const [created] = await auditOf(t, 'unit.create', v.id);
    expect(created).toMatchObject({ before: null, after: { kind: 'village', name: '审计村', parentId: town.id, retiredAt: null } });
    expect((await auditOf(t, 'unit.rename', v.id))[0]).toMatchObject({ before: { name: '审计村' }, after: { name: '审计新村' } });
    const [moved] = await auditOf(t, 'unit.move', v.id);
    expect(moved).toMatchObject({ before: { parentId: town.id }, after: { parentId: sub.id } });
    expect(moved!.unit_path).toContain(sub.id);
    expect((await auditOf(t, 'unit.retire', v.id))[0]).toMatchObject({ before: { retiredAt: null }, after: { retiredAt: expect.any(String) } });
    // Read in words on the audit screen: "上级组织：<镇> → <街道>", kinds by their names.
    expect(auditChangeText('units', moved!.before, moved!.after)).toBe(`上级组织：${town.name} → ${sub.name}`);
    expect(auditChangeText('units', created!.before, created!.after)).toContain('组织类型：（空） → 村党委');
    // A refused write leaves no entry.
    const count = async () => (await db().selectFrom('audit_log').select('id').where('action', '=', 'unit.create').execute()).length;
    const before = await count();
    expect((await post('/api/admin/units', { kind: 'grid', name: '错', parentId: town.id })).statusCode).toBe(422);
    expect(await count()).toBe(before);
  });
});
