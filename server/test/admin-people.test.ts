import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person, UnitSearchHit } from '@shared/schemas/admin-people.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { makeAdmin, type Headers } from './admin-helpers.ts';

describe.each(DB_KINDS)('admin console: people and unit search on %s', (kind) => {
  let t: TestApp;
  let district: Headers;
  let adminA: Headers;
  let adminB: Headers;
  beforeAll(async () => {
    t = await createTestApp(kind);
    district = await t.as('13800000001');
    adminA = (await makeAdmin(t, district, t.unitNamed('石岭村').id, '13800009001')).headers;
    adminB = (await makeAdmin(t, district, t.unitNamed('龙塘村').id, '13800009002')).headers;
  });
  afterAll(() => t.close());

  const people = async (headers: Headers, query = '') => {
    const res = await t.app.inject({ url: `/api/admin/people${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { total: number; people: Person[] };
  };
  const group = () => t.unitNamed('石岭村第一村民小组党支部');

  it('lists every member and staff person of the district admin’s tree, with unit path names and household counts', async () => {
    const all = await people(district, '?limit=200');
    expect(all.total).toBe(t.org.users.length + 2);
    expect(all.people).toHaveLength(Math.min(200, all.total));
    const m = memberPhone(t.org, group().id, 0);
    const row = (await people(district, `?q=${m.phone}`)).people[0]!;
    expect(row).toMatchObject({
      memberId: m.memberId, phone: m.phone, disabledAt: null, locked: false, mustChangePassword: false, grants: [],
      households: t.org.households.filter((h) => h.memberId === m.memberId).length,
      centralHousehold: true,
    });
    expect(row.unit).toMatchObject({ id: group().id, kind: 'villager_group' });
    expect(row.unit!.pathNames).toEqual(['粤海区', t.org.units.find((u) => u.kind === 'town')!.name, '石岭村', group().name]);
    const sup = (await people(district, `?q=${staffPhone(t.org, group().id)}`)).people[0]!;
    expect(sup).toMatchObject({ memberId: null, unit: null, households: 0 });
    expect(sup.grants).toEqual([{ role: 'supervisor', unit: expect.objectContaining({ id: group().id, pathNames: expect.arrayContaining(['石岭村']) }) }]);
  });

  it('a village admin lists only the people of their village; another village’s people never appear', async () => {
    const a = await people(adminA, '?limit=200');
    expect(a.total).toBeGreaterThan(0);
    for (const p of a.people) {
      const names = [...(p.unit?.pathNames ?? []), ...p.grants.flatMap((g) => g.unit.pathNames)];
      expect(names, p.name).toContain('石岭村');
      expect(names).not.toContain('龙塘村');
    }
    const inA = t.org.members.filter((m) => t.org.units.find((u) => u.id === m.unitId)!.path.includes(t.unitNamed('石岭村').id)).length;
    // Members, the supervisors of the village and its two groups, and adminA.
    expect(a.total).toBe(inA + 3 + 1);
    const bMember = memberPhone(t.org, t.unitNamed('龙塘村第一村民小组党支部').id, 0);
    expect((await people(adminA, `?q=${bMember.phone}`)).total).toBe(0);
    expect((await t.app.inject({ url: `/api/admin/people/${t.org.members.find((m) => m.id === bMember.memberId)!.userId}`, headers: adminA })).statusCode).toBe(404);
    // A filter on a unit outside the caller's subtrees is refused, not silently empty.
    const outside = await t.app.inject({ url: `/api/admin/people?unitId=${t.unitNamed('龙塘村').id}`, headers: adminA });
    expect(outside.statusCode).toBe(403);
  });

  it('filters by unit subtree, text, role and status, and pages with a stable total', async () => {
    const g = await people(district, `?unitId=${group().id}&limit=200`);
    expect(g.total).toBe(t.org.members.filter((m) => m.unitId === group().id).length + 1);
    const sups = await people(district, '?role=supervisor&limit=200');
    expect(sups.people.every((p) => p.grants.some((x) => x.role === 'supervisor'))).toBe(true);
    expect(sups.total).toBe(t.org.grants.filter((x) => x.role === 'supervisor').length);
    const members = await people(district, '?role=member&limit=1');
    expect(members.total).toBe(t.org.members.length);
    expect((await people(district, '?status=disabled')).total).toBe(0);
    const page1 = await people(district, '?limit=5&offset=0');
    const page2 = await people(district, '?limit=5&offset=5');
    expect(page2.total).toBe(page1.total);
    expect(page1.people.map((p) => p.userId)).not.toEqual(expect.arrayContaining(page2.people.map((p) => p.userId)));
    expect((await people(district, '?limit=5&offset=100000')).total).toBe(page1.total);
    // LIKE wildcards in the text are taken literally.
    expect((await people(district, '?q=%25')).total).toBe(0);
  });

  it('refuses unbounded or malformed filters with a clear code', async () => {
    for (const q of ['?limit=0', '?limit=201', '?offset=-1', '?status=gone', '?role=king', '?unitId=x']) {
      const res = await t.app.inject({ url: `/api/admin/people${q}`, headers: district });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('searches units by name within the caller’s subtrees, with path names, limited', async () => {
    const search = async (headers: Headers, query: string) => {
      const res = await t.app.inject({ url: `/api/admin/units${query}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().units as UnitSearchHit[];
    };
    const hits = await search(district, `?q=${encodeURIComponent('石岭')}`);
    expect(hits.map((h) => h.name)).toContain('石岭村');
    expect(hits.every((h) => h.name.includes('石岭'))).toBe(true);
    expect(hits.find((h) => h.name === '石岭村')).toMatchObject({ kind: 'village', liaison: true, pathNames: expect.arrayContaining(['粤海区', '石岭村']) });
    expect(await search(adminB, `?q=${encodeURIComponent('石岭')}`)).toEqual([]);
    expect((await search(district, '?limit=3')).length).toBe(3);
    const liaison = await search(district, '?liaisonOnly=true&limit=50');
    expect(liaison.length).toBeGreaterThan(0);
    expect(liaison.every((h) => h.liaison)).toBe(true);
    expect((await search(district, '?kind=compound&limit=50')).every((h) => h.kind === 'compound')).toBe(true);
    expect((await t.app.inject({ url: '/api/admin/units?limit=51', headers: district })).statusCode).toBe(400);
  });

  it('refuses every admin people endpoint to a supervisor and to a plain member', async () => {
    const sup = await t.as(staffPhone(t.org, t.unitNamed('石岭村').id));
    const member = await t.as(memberPhone(t.org, group().id, 1).phone);
    const someone = t.org.members[0]!;
    const calls = [
      { method: 'GET' as const, url: '/api/admin/people' },
      { method: 'GET' as const, url: `/api/admin/people/${someone.userId}` },
      { method: 'GET' as const, url: '/api/admin/units?q=村' },
      { method: 'POST' as const, url: `/api/admin/members/${someone.id}/move`, payload: { unitId: group().id } },
      { method: 'POST' as const, url: `/api/admin/users/${someone.userId}/disable` },
      { method: 'POST' as const, url: `/api/admin/users/${someone.userId}/enable` },
      { method: 'GET' as const, url: `/api/admin/users/${someone.userId}/grants` },
      { method: 'DELETE' as const, url: '/api/admin/grants', payload: { userId: someone.userId, role: 'supervisor', unitId: group().id } },
      { method: 'POST' as const, url: `/api/admin/users/${someone.userId}/reset-password` },
      { method: 'POST' as const, url: `/api/admin/users/${someone.userId}/unlock` },
    ];
    for (const headers of [sup, member]) {
      for (const c of calls) {
        const res = await t.app.inject({ ...c, headers });
        expect(res.statusCode, `${c.method} ${c.url}`).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
    }
    const user = await t.testDb.opened.db.selectFrom('users').select(['disabled_at', 'must_change_password']).where('id', '=', someone.userId).executeTakeFirstOrThrow();
    expect(user).toEqual({ disabled_at: null, must_change_password: false });
  });
});
