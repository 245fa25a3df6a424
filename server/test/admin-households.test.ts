import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';
import { villageAdmin } from './admin-scope.ts';

type Headers = { authorization: string };

describe.each(DB_KINDS)('the admin household list, edit, archive on %s', (kind) => {
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
  const list = async (headers: Headers, query = '') => t.app.inject({ url: `/api/admin/households${query}`, headers });
  const row = (id: string) => db().selectFrom('households').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const patch = (headers: Headers, id: string, changes: object) => t.app.inject({ method: 'PATCH', url: `/api/admin/households/${id}`, headers, payload: { changes } });
  const post = (headers: Headers, url: string) => t.app.inject({ method: 'POST', url, headers });

  it('pages the households of the caller’s subtree with unit path names and the liaison’s name and phone', async () => {
    const res = await list(admin, '?pageSize=10&page=2');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.total).toBe(t.org.households.length);
    expect(page.households).toHaveLength(10);
    const assigned = page.households.find((h: { memberId: string | null }) => h.memberId)!;
    const member = t.org.members.find((m) => m.id === assigned.memberId)!;
    const user = t.org.users.find((u) => u.id === member.userId)!;
    expect(assigned.liaison).toEqual({ memberId: member.id, name: user.name, phone: user.phone });
    const unit = t.org.units.find((u) => u.id === assigned.unitId)!;
    expect(assigned.unitPathNames).toEqual(unit.path.map((id) => t.org.units.find((u) => u.id === id)!.name));
    expect(assigned.editable).toBe(true);
    expect(assigned.fieldVersions).toMatchObject({ headName: 0, phone: 0 });
  });

  it('filters by unit subtree, text, liaison and member, and stays inside a village admin’s own village', async () => {
    const group = groupOf('石岭村');
    const inGroup = t.org.households.filter((h) => h.unitId === group.id);
    const byUnit = (await list(admin, `?unitId=${group.id}&pageSize=200`)).json();
    expect(byUnit.households.map((h: { id: string }) => h.id).sort()).toEqual(inGroup.map((h) => h.id).sort());
    const target = inGroup[0]!;
    const byName = (await list(admin, `?q=${encodeURIComponent(target.headName)}`)).json();
    expect(byName.households.map((h: { id: string }) => h.id)).toContain(target.id);
    const byPhone = (await list(admin, `?q=${target.phone}`)).json();
    expect(byPhone.households.map((h: { id: string }) => h.id)).toEqual([target.id]);
    // A LIKE wildcard typed by the user is taken literally.
    expect((await list(admin, '?q=%25')).json().total).toBe(0);
    const unassigned = (await list(admin, '?liaison=unassigned&pageSize=200')).json();
    expect(unassigned.total).toBe(t.org.households.filter((h) => !h.memberId).length);
    const m = memberPhone(t.org, group.id, 0);
    const mine = (await list(admin, `?memberId=${m.memberId}`)).json();
    expect(mine.households.map((h: { id: string }) => h.id).sort()).toEqual(t.org.households.filter((h) => h.memberId === m.memberId).map((h) => h.id).sort());

    const village = t.unitNamed('石岭村');
    const inVillage = t.org.households.filter((h) => t.org.units.find((u) => u.id === h.unitId)!.path.includes(village.id));
    const own = (await list(shilingAdmin, '?pageSize=200')).json();
    expect(own.total).toBe(inVillage.length);
    // Another village's unit as a filter yields nothing, not that village's households.
    expect((await list(shilingAdmin, `?unitId=${groupOf('龙塘村').id}`)).json().total).toBe(0);
  });

  it('shows a supervisor the list read-only, phones masked; refuses plain members', async () => {
    const group = groupOf('石岭村');
    const supervisor = await t.as(staffPhone(t.org, group.id));
    const page = (await list(supervisor, `?pageSize=200`)).json();
    const h = page.households.find((x: { phone: string | null }) => x.phone)!;
    expect(h.editable).toBe(false);
    expect(h.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const member = await t.as(memberPhone(t.org, group.id).phone);
    expect((await list(member)).statusCode).toBe(403);
    const target = t.org.households.find((x) => x.unitId === group.id)!;
    const refused = await patch(supervisor, target.id, { headName: { value: '改名', baseVersion: 0 } });
    expect(refused.statusCode).toBe(403);
    expect((await row(target.id)).head_name).toBe(target.headName);
  });

  it('edits through the phones’ merge rule: versions bump, the liaison’s phone receives it, and it is audited', async () => {
    const group = groupOf('石岭村');
    const m = memberPhone(t.org, group.id, 1);
    const target = t.org.households.find((h) => h.memberId === m.memberId)!;
    const phone = new TestDevice(t, m.phone);
    await phone.pull();
    const res = await patch(admin, target.id, { headName: { value: '王建国', baseVersion: 0 }, size: { value: 6, baseVersion: 0 }, careTags: { value: ['living_alone'], baseVersion: 0 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'applied', household: { headName: '王建国', size: 6, careTags: ['living_alone'], fieldVersions: { headName: 1, size: 1, careTags: 1, phone: 0 } } });
    const ops = await phone.pull();
    expect(ops).toContainEqual(expect.objectContaining({ op: 'put', table: 'households', row: expect.objectContaining({ id: target.id, headName: '王建国', size: 6 }) }));
    const audit = await db().selectFrom('audit_log').selectAll().where('target_id', '=', target.id).where('action', '=', 'household.edit').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toEqual({ headName: target.headName, size: target.size, careTags: target.careTags });
    expect(audit[0]!.after).toEqual({ headName: '王建国', size: 6, careTags: ['living_alone'] });

    // The phone, still on version 0, edits the name offline: a review field, so the desk's value stays and a conflict opens.
    const reply = await phone.push([phone.mutation('household.update', { id: target.id, changes: { headName: { value: '王建', baseVersion: 0 } } })]);
    expect(reply.results[0]!.status).toBe('conflict');
    expect((await row(target.id)).head_name).toBe('王建国');
    // And a desk edit from a stale form is settled the same way.
    const stale = await patch(admin, target.id, { size: { value: 2, baseVersion: 0 } });
    expect(stale.json()).toMatchObject({ status: 'conflict', household: { size: 6 } });
    const open = await db().selectFrom('conflicts').select(['field', 'status']).where('record_id', '=', target.id).where('status', '=', 'open').execute();
    expect(open.map((c) => c.field).sort()).toEqual(['headName', 'size']);
  });

  it('refuses an address of the other grid and a village admin’s edit in another village, changing nothing', async () => {
    const longtang = t.org.households.find((h) => h.unitId === groupOf('龙塘村').id)!;
    const other = await patch(shilingAdmin, longtang.id, { notes: { value: '越权', baseVersion: 0 } });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('FORBIDDEN');
    const urban = await patch(admin, longtang.id, { address: { value: { kind: 'urban', building: '1栋', entrance: '1单元', room: '101' }, baseVersion: 0 } });
    expect(urban.statusCode).toBe(422);
    expect(urban.json().code).toBe('ADDRESS_KIND_MISMATCH');
    const bad = await patch(admin, longtang.id, { size: { value: 0, baseVersion: 0 } });
    expect(bad.statusCode).toBe(400);
    const stored = await row(longtang.id);
    expect(stored.notes).toBe(longtang.notes);
    expect(stored.address).toEqual(longtang.address);
    expect(await db().selectFrom('audit_log').select('id').where('target_id', '=', longtang.id).execute()).toHaveLength(0);
  });

  it('archives a household off every phone and every count, keeps its visits, and brings it back on unarchive', async () => {
    const group = groupOf('龙塘村');
    const m = memberPhone(t.org, group.id, 4); // the branch's last member holds two
    const target = t.org.households.find((h) => h.memberId === m.memberId)!;
    const phone = new TestDevice(t, m.phone);
    await phone.pull();
    const visit = visitArgs(target.id);
    expect((await phone.push([phone.mutation('visit.create', visit)])).results[0]!.status).toBe('applied');
    const supervisor = new TestDevice(t, staffPhone(t.org, group.id));
    await supervisor.pull();
    expect(supervisor.table('visits').has(visit.id)).toBe(true);
    const heldBefore = t.org.households.filter((h) => h.memberId === m.memberId).length;

    expect((await post(shilingAdmin, `/api/admin/households/${target.id}/archive`)).statusCode).toBe(403);
    const res = await post(admin, `/api/admin/households/${target.id}/archive`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.household).toMatchObject({ id: target.id, memberId: null });
    expect(body.household.archivedAt).toBeTruthy();
    expect(body.warnings).toEqual([expect.objectContaining({ code: 'below_min', memberId: m.memberId, households: heldBefore - 1, limit: 3 })]);
    expect(body.warnings[0].message).toMatch(/剩 1 户，低于最少 3 户$/);

    expect(await phone.pull()).toContainEqual({ op: 'del', table: 'households', id: target.id });
    expect(await supervisor.pull()).toContainEqual({ op: 'del', table: 'households', id: target.id });
    // A fresh supervisor device holds neither the household nor the visits seen through it.
    const fresh = new TestDevice(t, staffPhone(t.org, group.id));
    await fresh.pull();
    expect(fresh.table('households').has(target.id)).toBe(false);
    expect(fresh.table('visits').has(visit.id)).toBe(false);
    expect(await db().selectFrom('visits').select('id').where('id', '=', visit.id).execute()).toHaveLength(1);

    // Off the lists and counts: default list, member filter, gaps, coverage report.
    expect((await list(admin, `?q=${target.phone}`)).json().total).toBe(0);
    expect((await list(admin, `?q=${target.phone}&archived=archived`)).json().total).toBe(1);
    const gaps = (await t.app.inject({ url: '/api/admin/assignments/gaps', headers: admin })).json();
    expect(gaps.householdsWithoutLiaison.map((h: { householdId: string }) => h.householdId)).not.toContain(target.id);
    const coverage = (await t.app.inject({ url: '/api/reports/coverage', headers: admin })).json();
    expect(JSON.stringify(coverage)).not.toContain(target.id);
    // An archived household cannot be edited or assigned until it is restored.
    expect((await patch(admin, target.id, { notes: { value: 'x', baseVersion: 0 } })).json().code).toBe('HOUSEHOLD_ARCHIVED');

    // Archiving twice changes nothing.
    expect((await post(admin, `/api/admin/households/${target.id}/archive`)).statusCode).toBe(200);
    const restored = await post(admin, `/api/admin/households/${target.id}/unarchive`);
    expect(restored.json().household).toMatchObject({ archivedAt: null, memberId: null });
    const back = await supervisor.pull();
    expect(back).toContainEqual(expect.objectContaining({ op: 'put', table: 'households', row: expect.objectContaining({ id: target.id }) }));
    expect(back).toContainEqual(expect.objectContaining({ op: 'put', table: 'visits', row: expect.objectContaining({ id: visit.id }) }));
    expect(phone.table('households').has(target.id)).toBe(false);
    const actions = await db().selectFrom('audit_log').select(['action', 'before', 'after']).where('target_id', '=', target.id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['household.archive', 'household.unarchive']);
    expect(actions[0]!.before).toMatchObject({ archivedAt: null, memberId: m.memberId });
  });

  it('audits creation and the single assignment', async () => {
    const group = groupOf('石岭村');
    const created = await t.app.inject({
      method: 'POST', url: '/api/admin/households', headers: shilingAdmin,
      payload: { unitId: group.id, headName: '新来户', size: 2, address: { kind: 'village', houseNumber: '200号' } },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const to = memberPhone(t.org, group.id, 4).memberId;
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/households/${id}/assign`, headers: shilingAdmin, payload: { memberId: to } })).statusCode).toBe(200);
    const entries = await db().selectFrom('audit_log').select(['action', 'unit_path', 'before', 'after']).where('target_id', '=', id).orderBy('id').execute();
    expect(entries.map((e) => e.action)).toEqual(['household.create', 'household.assign']);
    expect(entries[0]!.after).toMatchObject({ headName: '新来户', size: 2 });
    expect(entries[1]!.before).toMatchObject({ memberId: null });
    expect(entries[1]!.after).toMatchObject({ memberId: to });
    expect(entries[0]!.unit_path).toBe(`/${group.path.join('/')}/`);
  });
});
