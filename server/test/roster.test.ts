import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '@shared/domain/audit-actions.ts';
import { ERROR_CODES } from '@shared/errors.ts';
import { HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, PEOPLE_COLUMNS, PEOPLE_SHEET } from '../src/services/roster-columns.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { addRow, download, editWorkbook, readRows, unitPathName, upload, XLSX } from './roster-helpers.ts';

describe.each(DB_KINDS)('roster import and export on %s', (kind) => {
  let t: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('13800000001');
  });
  afterAll(() => t.close());

  const db = () => t.testDb.opened.db;
  const count = async (table: 'changes' | 'audit_log' | 'users' | 'members' | 'households' | 'grants') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const snapshot = async () => Promise.all((['changes', 'audit_log', 'users', 'members', 'households', 'grants'] as const).map(count));
  const group = () => t.org.units.find((u) => u.kind === 'villager_group')!;
  const compound = () => t.org.units.find((u) => u.kind === 'compound')!;

  it('exports the scope with Chinese headers, and the same file re-imported changes nothing', async () => {
    const file = await download(t, admin);
    const people = await readRows(file, PEOPLE_SHEET);
    const households = await readRows(file, HOUSEHOLD_SHEET);
    expect(Object.keys(people[0]!)).toEqual(PEOPLE_COLUMNS.map((c) => c.header));
    expect(Object.keys(households[0]!)).toEqual(HOUSEHOLD_COLUMNS.map((c) => c.header));
    expect(households).toHaveLength(t.org.households.length);
    const { phone } = memberPhone(t.org, group().id);
    expect(people.find((p) => p['手机号'] === phone)).toMatchObject({ 所属组织: unitPathName(t.org, group().id), 角色: '联户党员' });
    const before = await snapshot();
    const res = await upload(t, admin, file, false);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: people.length + households.length, errors: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('a household whose liaison was retired round-trips unchanged (the blank phone keeps them)', async () => {
    const { memberId } = memberPhone(t.org, compound().id, 2);
    await db().updateTable('members').set({ retired_at: new Date() }).where('id', '=', memberId).execute();
    try {
      const res = (await upload(t, admin, await download(t, admin), true)).json();
      expect(res).toMatchObject({ created: 0, updated: 0, errors: [] });
    } finally {
      await db().updateTable('members').set({ retired_at: null }).where('id', '=', memberId).execute();
    }
  });

  it('the template is the same workbook, empty, with a 说明 sheet', async () => {
    const file = await download(t, admin, '/api/admin/roster/template.xlsx');
    expect(await readRows(file, PEOPLE_SHEET)).toEqual([]);
    expect((await readRows(file, '说明')).length).toBeGreaterThan(5);
    const res = await upload(t, admin, file, true);
    expect(res.json()).toMatchObject({ created: 0, updated: 0, unchanged: 0, errors: [] });
  });

  it('creates people and households from new rows, reaching the phones, with temporary passwords and audit entries', async () => {
    const file = await editWorkbook(await download(t, admin), ({ people, households }) => {
      addRow(people, PEOPLE_COLUMNS, { name: '新党员', phone: '13699990001', unit: unitPathName(t.org, group().id), role: '联户党员', central: '是' });
      addRow(people, PEOPLE_COLUMNS, { name: '新督导', phone: '13699990002', unit: unitPathName(t.org, group().id), role: '督导' });
      addRow(households, HOUSEHOLD_COLUMNS, { headName: '新住户', unit: unitPathName(t.org, group().id), houseNumber: '88号', size: 3, careTags: '低保户、独居老人', memberPhone: '13699990001' });
    });
    const dry = (await upload(t, admin, file, true)).json();
    expect(dry).toMatchObject({ dryRun: true, applied: false, created: 3, updated: 0, errors: [], passwords: [] });
    const audits = await count('audit_log');
    const res = (await upload(t, admin, file, false)).json();
    expect(res).toMatchObject({ applied: true, created: 3, updated: 0, people: { created: 2 }, households: { created: 1 } });
    expect(res.passwords).toHaveLength(2);
    const member = await db().selectFrom('users').innerJoin('members', 'members.user_id', 'users.id').selectAll().where('phone', '=', '13699990001').executeTakeFirstOrThrow();
    expect(member).toMatchObject({ name: '新党员', unit_id: group().id, central_household: true, must_change_password: true });
    const household = await db().selectFrom('households').selectAll().where('head_name', '=', '新住户').executeTakeFirstOrThrow();
    expect(household).toMatchObject({ member_id: member.id, size: 3, care_tags: ['dibao', 'living_alone'], address: { kind: 'village', houseNumber: '88号' } });
    expect(await db().selectFrom('changes').select('row_id').where('row_id', 'in', [member.id, household.id]).execute()).toHaveLength(2);
    expect(await db().selectFrom('grants').selectAll().where('role', '=', 'supervisor').where('unit_id', '=', group().id).execute()).toHaveLength(2);
    expect((await count('audit_log')) - audits).toBe(3);
    const actions = (await db().selectFrom('audit_log').select('action').execute()).map((a) => a.action);
    for (const a of actions) expect(Object.keys(AUDIT_ACTIONS)).toContain(a);
    // The new member logs in with the password shown once and sees their household.
    const pw = res.passwords.find((p: { phone: string }) => p.phone === '13699990001').password;
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: '13699990001', password: pw } });
    expect(login.statusCode).toBe(200);
    expect(login.json().mustChangePassword).toBe(true);
    const auth = { authorization: `Bearer ${login.json().token}` };
    // The password is temporary: nothing but the change opens until it is chosen.
    expect((await t.app.inject({ url: '/api/households', headers: auth })).json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: auth, payload: { currentPassword: pw, newPassword: 'xinmima2026' } });
    expect(changed.statusCode).toBe(200);
    const own = await t.app.inject({ url: '/api/households', headers: auth });
    expect(own.json().households.map((h: { id: string }) => h.id)).toContain(household.id);
    // Imported again, the same file changes nothing (blank 户编号 matched by unit, address and head).
    expect((await upload(t, admin, file, false)).json()).toMatchObject({ created: 0, updated: 0, errors: [] });
  });

  it('a changed cell is an update: versions move on, and the next import of it is unchanged', async () => {
    const target = t.org.households.find((h) => h.unitId === compound().id)!;
    const { phone } = memberPhone(t.org, compound().id, 1);
    const file = await editWorkbook(await download(t, admin), ({ people, households }, col) => {
      households.eachRow((r) => {
        if (r.getCell(col('households', 'id')).value === target.id) r.getCell(col('households', 'size')).value = 9;
      });
      people.eachRow((r) => {
        if (r.getCell(col('people', 'phone')).value === phone && r.getCell(col('people', 'role')).value === '联户党员') r.getCell(col('people', 'central')).value = '是';
      });
    });
    const res = (await upload(t, admin, file, false)).json();
    const changed = t.org.members.find((m) => m.unitId === compound().id && !m.centralHousehold && t.org.users.find((u) => u.id === m.userId)!.phone === phone);
    expect(res).toMatchObject({ created: 0, updated: changed ? 2 : 1, errors: [] });
    const after = await db().selectFrom('households').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(after.size).toBe(9);
    expect(after.field_meta.size?.v).toBe(1);
    expect((await upload(t, admin, file, false)).json()).toMatchObject({ created: 0, updated: 0 });
  });

  it('reports every bad cell in Chinese and writes nothing', async () => {
    const path = unitPathName(t.org, group().id);
    let rows: Record<string, number> = {};
    const file = await editWorkbook(await download(t, admin), ({ people, households }) => {
      rows = {
        badPhone: addRow(people, PEOPLE_COLUMNS, { name: '甲', phone: '2380000', unit: path, role: '联户党员' }),
        dupA: addRow(people, PEOPLE_COLUMNS, { name: '乙', phone: '13699990101', unit: path, role: '联户党员' }),
        dupB: addRow(people, PEOPLE_COLUMNS, { name: '乙', phone: '13699990101', unit: path, role: '联户党员' }),
        noUnit: addRow(people, PEOPLE_COLUMNS, { name: '丙', phone: '13699990102', unit: '粤海区/不存在镇/某村', role: '联户党员' }),
        badRole: addRow(people, PEOPLE_COLUMNS, { name: '丁', phone: '13699990103', unit: path, role: '书记' }),
        badSize: addRow(households, HOUSEHOLD_COLUMNS, { headName: '戊', unit: path, houseNumber: '1号', size: 31 }),
        badTag: addRow(households, HOUSEHOLD_COLUMNS, { headName: '己', unit: path, houseNumber: '2号', size: 2, careTags: '贵宾' }),
        noMember: addRow(households, HOUSEHOLD_COLUMNS, { headName: '庚', unit: path, houseNumber: '3号', size: 2, memberPhone: '13699999999' }),
        urbanInVillage: addRow(households, HOUSEHOLD_COLUMNS, { headName: '辛', unit: path, building: '1栋', entrance: '1单元', room: '101', size: 2 }),
      };
    });
    const before = await snapshot();
    const res = await upload(t, admin, file, false);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.applied).toBe(false);
    const at = (row: number, sheet = PEOPLE_SHEET) => body.errors.filter((e: { row: number; sheet: string }) => e.row === row && e.sheet === sheet);
    expect(at(rows.badPhone!)).toEqual([{ sheet: '人员', row: rows.badPhone, column: '手机号', code: 'ROSTER_PHONE_INVALID', message: ERROR_CODES.ROSTER_PHONE_INVALID.zh }]);
    expect(at(rows.dupA!)).toEqual([]);
    expect(at(rows.dupB!)[0]).toMatchObject({ column: '手机号', code: 'ROSTER_DUPLICATE' });
    expect(at(rows.dupB!)[0].message).toContain(`第${rows.dupA}行`);
    expect(at(rows.noUnit!)[0]).toMatchObject({ column: '所属组织', code: 'ROSTER_UNIT_UNKNOWN' });
    expect(at(rows.badRole!)[0]).toMatchObject({ column: '角色', code: 'ROSTER_ROLE_INVALID' });
    expect(at(rows.badSize!, HOUSEHOLD_SHEET)[0]).toMatchObject({ column: '家庭人数', code: 'ROSTER_SIZE_INVALID' });
    expect(at(rows.badTag!, HOUSEHOLD_SHEET)[0]).toMatchObject({ column: '帮扶类别', code: 'ROSTER_CARE_TAG_UNKNOWN' });
    expect(at(rows.badTag!, HOUSEHOLD_SHEET)[0].message).toContain('贵宾');
    expect(at(rows.noMember!, HOUSEHOLD_SHEET)[0]).toMatchObject({ column: '联系党员手机号', code: 'ROSTER_MEMBER_PHONE_UNKNOWN' });
    expect(at(rows.urbanInVillage!, HOUSEHOLD_SHEET).map((e: { code: string }) => e.code)).toContain('ADDRESS_KIND_MISMATCH');
    for (const e of body.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await snapshot()).toEqual(before);
  });

  it('a path two sibling units answer is reported as ambiguous, never guessed', async () => {
    const village = t.org.units.find((u) => u.id === group().parentId)!;
    const twin = await t.app.inject({ method: 'POST', url: '/api/admin/units', headers: admin, payload: { kind: 'villager_group', name: group().name, parentId: village.id } });
    expect(twin.statusCode).toBe(201);
    const file = await editWorkbook(await download(t, admin, '/api/admin/roster/template.xlsx'), ({ people }) => {
      addRow(people, PEOPLE_COLUMNS, { name: '重名', phone: '13699990401', unit: unitPathName(t.org, group().id), role: '联户党员' });
    });
    const res = (await upload(t, admin, file, true)).json();
    expect(res.errors).toEqual([expect.objectContaining({ row: 2, column: '所属组织', code: 'ROSTER_UNIT_AMBIGUOUS' })]);
    await t.app.inject({ method: 'POST', url: `/api/admin/units/${twin.json().id}/retire`, headers: admin });
    expect((await upload(t, admin, file, true)).json()).toMatchObject({ created: 1, errors: [] });
  });

  it('refuses a file that is not a workbook, and a wrong header', async () => {
    const junk = await t.app.inject({ method: 'POST', url: '/api/admin/roster/import?dryRun=1', headers: { ...admin, 'content-type': XLSX }, payload: Buffer.from('not a zip') });
    expect(junk.statusCode).toBe(400);
    expect(junk.json()).toMatchObject({ code: 'ROSTER_FILE_INVALID' });
    const renamed = await editWorkbook(await download(t, admin), ({ people }) => {
      people.getRow(1).getCell(2).value = '电话';
    });
    expect((await upload(t, admin, renamed, true)).json().errors[0]).toMatchObject({ sheet: '人员', row: 1, column: '手机号', code: 'ROSTER_COLUMN_MISSING' });
    const huge = await t.app.inject({ method: 'POST', url: '/api/admin/roster/import?dryRun=1', headers: { ...admin, 'content-type': XLSX }, payload: Buffer.alloc(21 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: 'ROSTER_TOO_LARGE', message: ERROR_CODES.ROSTER_TOO_LARGE.zh });
    const csv = await t.app.inject({ method: 'POST', url: '/api/admin/roster/import?dryRun=1', headers: { ...admin, 'content-type': 'text/csv' }, payload: '姓名,手机号' });
    expect(csv.json()).toMatchObject({ code: 'ROSTER_FILE_INVALID' });
  });

  it('dryRun=1 reports what would happen and changes nothing', async () => {
    const file = await editWorkbook(await download(t, admin), ({ people }) => {
      addRow(people, PEOPLE_COLUMNS, { name: '试导入', phone: '13699990201', unit: unitPathName(t.org, group().id), role: '联户党员' });
    });
    const before = await snapshot();
    expect((await upload(t, admin, file, true)).json()).toMatchObject({ dryRun: true, applied: false, created: 1, errors: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('an admin of one village imports nothing into another, and exports only their own', async () => {
    const [mine, other] = t.org.units.filter((u) => u.kind === 'village');
    const staff = await t.app.inject({
      method: 'POST', url: '/api/admin/staff', headers: admin,
      payload: { name: '村管理员', phone: '13699990301', password: 'village-admin-1', role: 'admin', unitId: mine!.id },
    });
    expect(staff.statusCode).toBe(201);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: '13699990301', password: 'village-admin-1' } });
    const villageAdmin = { authorization: `Bearer ${login.json().token}` };
    const own = await download(t, villageAdmin);
    const otherGroups = t.org.units.filter((u) => u.parentId === other!.id).map((u) => u.id);
    const households = await readRows(own, HOUSEHOLD_SHEET);
    expect(households.length).toBeGreaterThan(0);
    expect(households.every((h) => !otherGroups.includes(t.org.households.find((x) => x.id === h['户编号'])?.unitId ?? ''))).toBe(true);

    const otherGroup = otherGroups[0]!;
    const file = await editWorkbook(own, ({ people, households: hs }) => {
      addRow(people, PEOPLE_COLUMNS, { name: '越界', phone: '13699990302', unit: unitPathName(t.org, otherGroup), role: '联户党员' });
      addRow(hs, HOUSEHOLD_COLUMNS, { headName: '越界户', unit: unitPathName(t.org, otherGroup), houseNumber: '5号', size: 2 });
      // A person of the other village, renamed from this one's file.
      const { phone } = memberPhone(t.org, otherGroup);
      addRow(people, PEOPLE_COLUMNS, { name: '改名', phone, unit: unitPathName(t.org, t.org.units.find((u) => u.parentId === mine!.id)!.id), role: '联户党员' });
    });
    const before = await snapshot();
    const res = (await upload(t, villageAdmin, file, false)).json();
    expect(res.applied).toBe(false);
    expect(res.errors.map((e: { code: string }) => e.code)).toEqual(['ROSTER_UNIT_OUT_OF_SCOPE', 'ROSTER_PERSON_OUT_OF_SCOPE', 'ROSTER_UNIT_OUT_OF_SCOPE']);
    expect(await snapshot()).toEqual(before);
    // Relative to their own village, a path resolves too.
    const relative = await editWorkbook(own, ({ people }) => {
      const g = t.org.units.find((u) => u.parentId === mine!.id)!;
      addRow(people, PEOPLE_COLUMNS, { name: '相对路径', phone: '13699990303', unit: `${mine!.name}/${g.name}`, role: '联户党员' });
    });
    expect((await upload(t, villageAdmin, relative, true)).json()).toMatchObject({ created: 1, errors: [] });
  });

  it('members and supervisors may not import', async () => {
    const { phone } = memberPhone(t.org, group().id);
    const res = await upload(t, await t.as(phone), await download(t, admin, '/api/admin/roster/template.xlsx'), true);
    expect(res.statusCode).toBe(403);
  });
});
