import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_KINDS, isAllowedParent, type UnitKind } from '@shared/domain/org-tree.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, type TestApp } from './test-app.ts';

describe.each(DB_KINDS)('org tree administration on %s', (kind) => {
  let t: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('13800000001');
  });
  afterAll(() => t.close());

  const create = (body: object) => t.app.inject({ method: 'POST', url: '/api/admin/units', headers: admin, payload: body });
  const firstOf = (k: UnitKind) => t.org.units.find((u) => u.kind === k)!;

  it('creates a unit of every kind under every parent kind it may sit under, and refuses the rest', async () => {
    for (const kind of UNIT_KINDS) {
      for (const parentKind of UNIT_KINDS) {
        // The demo has no province, city or grid to create under (admin-org-kinds.test.ts builds them).
        if (!t.org.units.some((u) => u.kind === parentKind)) continue;
        const res = await create({ kind, name: `新${kind}`, parentId: firstOf(parentKind).id });
        if (isAllowedParent(kind, parentKind)) {
          expect(res.statusCode, `${kind} under ${parentKind}`).toBe(201);
          expect(res.json()).toMatchObject({ kind, parentId: firstOf(parentKind).id });
        } else {
          expect(res.statusCode, `${kind} under ${parentKind}`).toBe(422);
          expect(res.json().code).toBe('UNIT_PARENT_INVALID');
        }
      }
    }
  });

  it('gives a new unit the space of its town or sub-district', async () => {
    const town = firstOf('town');
    const village = (await create({ kind: 'village', name: '新建村', parentId: town.id })).json();
    expect(village.spaceId).toBe(town.id);
    const sub = (await create({ kind: 'subdistrict', name: '新街道', parentId: firstOf('district').id })).json();
    expect(sub.spaceId).toBe(sub.id);
  });

  it('refuses creating a root unit and unknown parents', async () => {
    expect((await create({ kind: 'district', name: '另一个区', parentId: null })).statusCode).toBe(403);
    expect((await create({ kind: 'town', name: '某镇', parentId: '01900000-0000-7000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('moves a village with its subtree to a sub-district, carrying paths and spaces along', async () => {
    const village = t.unitNamed('龙塘村');
    const sub = firstOf('subdistrict');
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/units/${village.id}/move`, headers: admin, payload: { parentId: sub.id } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ parentId: sub.id, spaceId: sub.id });
    const db = t.testDb.opened.db;
    const groups = await db.selectFrom('units').select(['path', 'space_id']).where('parent_id', '=', village.id).execute();
    expect(groups.length).toBe(2);
    for (const g of groups) {
      expect(g.path.startsWith(`/${sub.path.join('/')}/${village.id}/`)).toBe(true);
      expect(g.space_id).toBe(sub.id);
    }
    const households = await db
      .selectFrom('households')
      .select('space_id')
      .where('unit_id', 'in', groups.length ? (await db.selectFrom('units').select('id').where('parent_id', '=', village.id).execute()).map((g) => g.id) : [])
      .execute();
    expect(households.length).toBeGreaterThan(0);
    expect(households.every((h) => h.space_id === sub.id)).toBe(true);
    // The sub-district's supervisor now sees the village; the town's no longer does.
    const subTree = (await t.app.inject({ url: `/api/units/${sub.id}/tree`, headers: admin })).json();
    expect(subTree.units.some((u: { id: string }) => u.id === village.id)).toBe(true);
  });

  it('refuses a move that would make a cycle or break the kind rules, and changes nothing', async () => {
    const village = t.unitNamed('石岭村');
    const group = t.org.units.find((u) => u.parentId === village.id)!;
    const before = await t.testDb.opened.db.selectFrom('units').select(['id', 'path']).orderBy('id').execute();
    const cycle = await t.app.inject({ method: 'POST', url: `/api/admin/units/${village.id}/move`, headers: admin, payload: { parentId: group.id } });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().code).toBe('UNIT_CYCLE');
    const self = await t.app.inject({ method: 'POST', url: `/api/admin/units/${village.id}/move`, headers: admin, payload: { parentId: village.id } });
    expect(self.json().code).toBe('UNIT_CYCLE');
    const wrongKind = await t.app.inject({ method: 'POST', url: `/api/admin/units/${group.id}/move`, headers: admin, payload: { parentId: firstOf('community').id } });
    expect(wrongKind.statusCode).toBe(422);
    expect(wrongKind.json().code).toBe('UNIT_PARENT_INVALID');
    const after = await t.testDb.opened.db.selectFrom('units').select(['id', 'path']).orderBy('id').execute();
    expect(after).toEqual(before);
  });

  it('renames a unit and refuses an empty name', async () => {
    const group = firstOf('villager_group');
    const ok = await t.app.inject({ method: 'PATCH', url: `/api/admin/units/${group.id}`, headers: admin, payload: { name: '改名后的小组' } });
    expect(ok.json().name).toBe('改名后的小组');
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/admin/units/${group.id}`, headers: admin, payload: { name: '' } });
    expect(bad.statusCode).toBe(400);
  });

  it('retires only an empty unit, and then refuses to build under it', async () => {
    const full = await t.app.inject({ method: 'POST', url: `/api/admin/units/${firstOf('villager_group').id}/retire`, headers: admin });
    expect(full.statusCode).toBe(422);
    expect(full.json().code).toBe('UNIT_NOT_EMPTY');
    const empty = (await create({ kind: 'community', name: '待撤销社区', parentId: firstOf('town').id })).json();
    const retired = await t.app.inject({ method: 'POST', url: `/api/admin/units/${empty.id}/retire`, headers: admin });
    expect(retired.statusCode).toBe(200);
    expect(retired.json().retiredAt).not.toBeNull();
    const under = await create({ kind: 'compound', name: '不该有的小区', parentId: empty.id });
    expect(under.json().code).toBe('UNIT_RETIRED');
  });

  it('lists a subtree with counts rolled up from branches to the top', async () => {
    const district = firstOf('district');
    const res = await t.app.inject({ url: `/api/units/${district.id}/tree`, headers: admin });
    const units = res.json().units as { id: string; depth: number; counts: { members: number; households: number; unassignedHouseholds: number } }[];
    const root = units.find((u) => u.id === district.id)!;
    expect(root.depth).toBe(0);
    expect(root.counts.members).toBe(t.org.members.length);
    expect(root.counts.households).toBe(t.org.households.length);
    expect(root.counts.unassignedHouseholds).toBe(t.org.households.filter((h) => !h.memberId).length);
  });
});
