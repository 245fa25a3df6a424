import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';

/**
 * Every endpoint with every role: what each may read and change is written out by hand here
 * (not derived from the scope rules under test), and refusals must leave the data as it was.
 * Targets: G1 a villager group, K1 a compound of 东湖社区, KX a compound of 西苑社区.
 */
type Target = 'G1' | 'K1' | 'KX';
interface RoleCase { role: string; reads: Target[]; admins: Target[]; own?: Target }
const ROLES: RoleCase[] = [
  { role: 'memberA', reads: [], admins: [], own: 'G1' },
  { role: 'memberB', reads: [], admins: [], own: 'K1' },
  { role: 'groupSupervisor', reads: ['G1'], admins: [] },
  { role: 'communitySupervisor', reads: ['K1'], admins: [] },
  { role: 'townSupervisor', reads: ['G1'], admins: [] },
  { role: 'subdistrictSupervisor', reads: ['K1', 'KX'], admins: [] },
  { role: 'districtSupervisor', reads: ['G1', 'K1', 'KX'], admins: [] },
  { role: 'districtAdmin', reads: ['G1', 'K1', 'KX'], admins: ['G1', 'K1', 'KX'] },
  { role: 'xiyuanAdmin', reads: ['KX'], admins: ['KX'] },
];
const TARGETS: Target[] = ['G1', 'K1', 'KX'];

describe.each(DB_KINDS)('role × endpoint scope matrix on %s', (kind) => {
  let t: TestApp;
  const unit = {} as Record<Target, { id: string; path: string[] }>;
  const parentOf = {} as Record<Target, string>;
  const household = {} as Record<Target, string>;
  const headers = {} as Record<string, { authorization: string }>;
  const grantUnit = {} as Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const o = t.org;
    const g1 = o.units.find((u) => u.kind === 'villager_group')!;
    const dongHu = t.unitNamed('东湖社区');
    const xiYuan = t.unitNamed('西苑社区');
    const k1 = o.units.find((u) => u.parentId === dongHu.id)!;
    const kx = o.units.find((u) => u.parentId === xiYuan.id)!;
    Object.assign(unit, { G1: g1, K1: k1, KX: kx });
    Object.assign(parentOf, { G1: g1.parentId, K1: dongHu.id, KX: xiYuan.id });
    for (const target of TARGETS) household[target] = o.households.find((h) => h.unitId === unit[target].id && h.memberId)!.id;
    const memberA = memberPhone(o, g1.id, 0);
    const memberB = memberPhone(o, k1.id, 0);
    // The household each member looks after is their own, so point the G1/K1 targets at theirs.
    household.G1 = o.households.find((h) => h.memberId === memberA.memberId)!.id;
    household.K1 = o.households.find((h) => h.memberId === memberB.memberId)!.id;
    const district = o.units.find((u) => u.kind === 'district')!;
    const phones: Record<string, string> = {
      memberA: memberA.phone,
      memberB: memberB.phone,
      groupSupervisor: staffPhone(o, g1.id),
      communitySupervisor: staffPhone(o, dongHu.id),
      townSupervisor: staffPhone(o, o.units.find((u) => u.kind === 'town')!.id),
      subdistrictSupervisor: staffPhone(o, o.units.find((u) => u.kind === 'subdistrict')!.id),
      districtSupervisor: staffPhone(o, district.id),
      districtAdmin: staffPhone(o, district.id, 'admin'),
      xiyuanAdmin: '13800000099',
    };
    const created = await t.app.inject({
      method: 'POST', url: '/api/admin/staff', headers: await t.as(phones.districtAdmin!),
      payload: { name: '西苑管理员', phone: '13800000099', password: 'demo1234', role: 'admin', unitId: xiYuan.id },
    });
    expect(created.statusCode).toBe(201);
    for (const [role, phone] of Object.entries(phones)) headers[role] = await t.as(phone);
    for (const role of Object.keys(phones)) {
      const user = o.users.find((u) => u.phone === phones[role]);
      const grant = user && o.grants.find((g) => g.userId === user.id);
      if (grant) grantUnit[role] = grant.unitId;
    }
    grantUnit.xiyuanAdmin = xiYuan.id;
  });
  afterAll(() => t.close());

  const get = (role: string, url: string) => t.app.inject({ url, headers: headers[role] });
  const snapshot = async () => {
    const db = t.testDb.opened.db;
    return {
      units: await db.selectFrom('units').select(['id', 'name', 'path', 'retired_at']).orderBy('id').execute(),
      households: await db.selectFrom('households').select(['id', 'member_id', 'unit_id']).orderBy('id').execute(),
      members: await db.selectFrom('members').select(['id']).orderBy('id').execute(),
      users: await db.selectFrom('users').select(['id']).orderBy('id').execute(),
    };
  };

  for (const r of ROLES) {
    const isSupervisor = r.reads.length > 0;
    describe(r.role, () => {
      it('lists exactly the households in scope', async () => {
        const res = await get(r.role, '/api/households');
        expect(res.statusCode).toBe(200);
        const ids = new Set((res.json().households as { id: string }[]).map((h) => h.id));
        for (const target of TARGETS) {
          const visible = r.reads.includes(target) || r.own === target;
          expect(ids.has(household[target]), `${target}`).toBe(visible);
        }
        if (!isSupervisor) expect(ids.size).toBeLessThanOrEqual(5);
      });

      it('reads one household only in scope', async () => {
        for (const target of TARGETS) {
          const visible = r.reads.includes(target) || r.own === target;
          const res = await get(r.role, `/api/households/${household[target]}`);
          expect(res.statusCode, target).toBe(visible ? 200 : 403);
          if (!visible) expect(res.json().code).toBe('OUT_OF_SCOPE');
        }
      });

      it('reads subtrees, members, coverage and assignment history only as a supervisor in scope', async () => {
        for (const target of TARGETS) {
          const tree = await get(r.role, `/api/units/${unit[target].id}/tree`);
          expect(tree.statusCode, `tree ${target}`).toBe(r.reads.includes(target) ? 200 : 403);
          const history = await get(r.role, `/api/households/${household[target]}/assignments`);
          expect(history.statusCode, `history ${target}`).toBe(r.reads.includes(target) ? 200 : 403);
        }
        const members = await get(r.role, '/api/members');
        const gaps = await get(r.role, '/api/coverage/gaps');
        if (!isSupervisor) {
          expect(members.statusCode).toBe(403);
          expect(gaps.statusCode).toBe(403);
          return;
        }
        const listed = members.json().members as { unitId: string }[];
        expect(listed.length).toBeGreaterThan(0);
        // Every member listed sits under the unit the role holds its grant on.
        for (const m of listed) {
          const u = t.org.units.find((x) => x.id === m.unitId)!;
          expect(u.path, `member in ${u.name}`).toContain(grantUnit[r.role]);
        }
        for (const target of TARGETS) {
          const inTarget = listed.some((m) => m.unitId === unit[target].id);
          expect(inTarget, `members of ${target}`).toBe(r.reads.includes(target));
        }
        const orphanUnits = (gaps.json().membersUnderMin as { unitId: string }[]).map((m) => m.unitId);
        for (const target of TARGETS) {
          expect(orphanUnits.includes(unit[target].id), `gaps of ${target}`).toBe(r.reads.includes(target));
        }
      });

      it('pulls exactly its scope and may edit households only there (sync)', async () => {
        const clientId = `matrix-${r.role}-${kind}`;
        const h = headers[r.role]!;
        const seen = new Set<string>();
        let cursor: string | null = null;
        for (let more = true; more; ) {
          const res = await t.app.inject({ method: 'POST', url: '/api/sync/pull', headers: h, payload: { clientId, cursor } });
          expect(res.statusCode).toBe(200);
          const body = res.json() as { cursor: string; more: boolean; patch: { op: string; table?: string; row?: { id: string } }[] };
          for (const op of body.patch) if (op.op === 'put' && op.table === 'households') seen.add(op.row!.id);
          cursor = body.cursor;
          more = body.more;
        }
        const before = await t.testDb.opened.db.selectFrom('households').select(['id', 'notes']).where('id', 'in', Object.values(household)).orderBy('id').execute();
        const mutations = TARGETS.map((target, i) => ({
          id: i + 1, name: 'household.update', hlc: `${Date.now().toString(16).padStart(16, '0')}-000${i}-${clientId}`,
          args: { id: household[target], changes: { notes: { value: `${r.role}的备注`, baseVersion: 0 } } },
        }));
        const pushed = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: h, payload: { clientId, schemaVersion: 2, mutations } });
        expect(pushed.statusCode).toBe(200);
        const results = pushed.json().results as { status: string; code?: string }[];
        for (const [i, target] of TARGETS.entries()) {
          const visible = r.reads.includes(target) || r.own === target;
          expect(seen.has(household[target]), `pull ${target}`).toBe(visible);
          expect(results[i]!.status === 'rejected', `push ${target}`).toBe(!visible);
          if (!visible) expect(results[i]!.code).toBe('OUT_OF_SCOPE');
        }
        if (!isSupervisor) expect(seen.size).toBeLessThanOrEqual(5);
        // What was refused is as it was.
        const after = await t.testDb.opened.db.selectFrom('households').select(['id', 'notes']).where('id', 'in', Object.values(household)).orderBy('id').execute();
        for (const row of after) {
          const target = TARGETS.find((x) => household[x] === row.id)!;
          if (!(r.reads.includes(target) || r.own === target)) expect(row.notes).toBe(before.find((b) => b.id === row.id)!.notes);
        }
      });

      it('changes the tree, accounts and assignments only where it administers, and a refusal changes nothing', async () => {
        for (const target of TARGETS) {
          const allowed = r.admins.includes(target);
          const before = await snapshot();
          const h = headers[r.role]!;
          const attempts = [
            t.app.inject({ method: 'PATCH', url: `/api/admin/units/${unit[target].id}`, headers: h, payload: { name: `${r.role}改名` } }),
            t.app.inject({
              method: 'POST', url: '/api/admin/households', headers: h,
              payload: {
                unitId: unit[target].id, headName: `${r.role}新户`, size: 2,
                address: target === 'G1' ? { kind: 'village', houseNumber: '1号' } : { kind: 'urban', building: '9栋', entrance: '1单元', room: '101' },
              },
            }),
            t.app.inject({
              method: 'POST', url: '/api/admin/members', headers: h,
              payload: { unitId: unit[target].id, name: '新党员', phone: `1380000${String(5000 + ROLES.indexOf(r) * 10 + TARGETS.indexOf(target)).padStart(4, '0')}`, password: 'demo12345' },
            }),
            t.app.inject({ method: 'POST', url: '/api/admin/units', headers: h, payload: { kind: target === 'G1' ? 'villager_group' : 'compound', name: '新支部', parentId: parentOf[target] } }),
            t.app.inject({ method: 'POST', url: `/api/admin/households/${household[target]}/assign`, headers: h, payload: { memberId: null } }),
          ];
          const results = await Promise.all(attempts);
          if (allowed) {
            for (const res of results) expect(res.statusCode, res.body).toBeLessThan(300);
            // Put the liaison back so the read checks of later roles still hold.
            const back = t.org.households.find((x) => x.id === household[target])!.memberId;
            expect((await t.app.inject({ method: 'POST', url: `/api/admin/households/${household[target]}/assign`, headers: h, payload: { memberId: back } })).statusCode).toBe(200);
          } else {
            for (const res of results) {
              expect(res.statusCode, `${r.role} on ${target}: ${res.body}`).toBe(403);
              expect(['FORBIDDEN', 'OUT_OF_SCOPE']).toContain(res.json().code);
            }
            expect(await snapshot()).toEqual(before);
          }
        }
      });
    });
  }
});
