import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { villageAdmin } from './admin-scope.ts';

type Headers = { authorization: string };
const FORMULA = '=HYPERLINK("http://x.invalid","点")';
interface Entry { action: string; actorName: string; actorPhone: string; targetId: string; unitPathNames: string[]; before: unknown; after: unknown; at: string }

describe.each(DB_KINDS)('the audit log, browsed and exported, on %s', (kind) => {
  let t: TestApp;
  let admin: Headers;
  let shilingAdmin: Headers;
  let shilingHousehold: string;
  let longtangHousehold: string;
  const groupOf = (name: string) => t.org.units.find((u) => u.kind === 'villager_group' && u.name.startsWith(name))!;
  const create = async (headers: Headers, unitId: string, headName: string) => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/admin/households', headers,
      payload: { unitId, headName, size: 3, address: { kind: 'village', houseNumber: '8号' }, careTags: ['living_alone'] },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const browse = async (headers: Headers, query = '') => {
    const res = await t.app.inject({ url: `/api/admin/audit${query}`, headers });
    expect(res.statusCode).toBe(200);
    return res.json() as { total: number; entries: Entry[] };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.as('13800000001');
    shilingAdmin = await villageAdmin(t, '石岭村');
    t.clock.now = new Date('2026-03-01T01:00:00Z'); // 09:00 China time, 1 March
    shilingHousehold = await create(shilingAdmin, groupOf('石岭村').id, '石岭新户');
    // An actor whose name reads as a formula (typed into a roster by anyone).
    await t.testDb.opened.db.updateTable('users').set({ name: FORMULA }).where('phone', '=', staffPhone(t.org, t.unitNamed('石岭村').id)).execute();
    t.clock.now = new Date('2026-03-02T20:00:00Z'); // 04:00 China time, 3 March
    longtangHousehold = await create(admin, groupOf('龙塘村').id, '龙塘新户');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/admin/households/${longtangHousehold}`, headers: admin, payload: { changes: { size: { value: 5, baseVersion: 0 } } } });
    expect(res.statusCode).toBe(200);
    t.clock.now = new Date();
  });
  afterAll(() => t.close());

  it('lists the entries newest first, with the actor’s name and phone and the unit’s path names', async () => {
    const page = await browse(admin);
    expect(page.total).toBe(3);
    expect(page.entries.map((e) => e.action)).toEqual(['household.edit', 'household.create', 'household.create']);
    const adminUser = t.org.users.find((u) => u.phone === '13800000001')!;
    expect(page.entries[0]).toMatchObject({ actorName: adminUser.name, actorPhone: '13800000001', targetId: longtangHousehold, before: { size: 3 }, after: { size: 5 } });
    const group = groupOf('龙塘村');
    expect(page.entries[0]!.unitPathNames).toEqual(group.path.map((id) => t.org.units.find((u) => u.id === id)!.name));
    const paged = await browse(admin, '?pageSize=1&page=3');
    expect(paged.entries.map((e) => e.targetId)).toEqual([shilingHousehold]);
  });

  it('filters by action, actor, target text, China-time days and unit subtree', async () => {
    expect((await browse(admin, '?action=household.edit')).total).toBe(1);
    const villageStaff = staffPhone(t.org, t.unitNamed('石岭村').id);
    expect((await browse(admin, `?actor=${villageStaff}`)).entries.map((e) => e.targetId)).toEqual([shilingHousehold]);
    expect((await browse(admin, `?target=${encodeURIComponent('龙塘新户')}`)).entries.map((e) => e.action)).toEqual(['household.create']);
    expect((await browse(admin, `?target=${longtangHousehold}`)).total).toBe(2);
    expect((await browse(admin, '?from=2026-03-01&to=2026-03-01')).entries.map((e) => e.targetId)).toEqual([shilingHousehold]);
    expect((await browse(admin, '?from=2026-03-03')).total).toBe(2);
    expect((await browse(admin, `?unitId=${t.unitNamed('龙塘村').id}`)).total).toBe(2);
  });

  it('shows a village admin only their village’s entries; refuses supervisors and members', async () => {
    const own = await browse(shilingAdmin);
    expect(own.entries.map((e) => e.targetId)).toEqual([shilingHousehold]);
    expect((await browse(shilingAdmin, `?unitId=${t.unitNamed('龙塘村').id}`)).total).toBe(0);
    const supervisor = await t.as(staffPhone(t.org, groupOf('石岭村').id));
    expect((await t.app.inject({ url: '/api/admin/audit', headers: supervisor })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/admin/audit.xlsx', headers: supervisor })).statusCode).toBe(403);
    const member = await t.as(memberPhone(t.org, groupOf('石岭村').id).phone);
    expect((await t.app.inject({ url: '/api/admin/audit', headers: member })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/admin/audit?from=2026-02-30', headers: admin })).statusCode).toBe(400);
  });

  it('exports the filtered log with Chinese headers, Chinese action labels, readable changes and no live formula', async () => {
    const res = await t.app.inject({ url: '/api/admin/audit.xlsx', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('操作日志')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['时间', '操作人', '操作人手机号', '操作', '所属组织', '变更内容（原 → 新）', '对象编号']);
    const rows = Array.from({ length: ws.rowCount - 1 }, (_, i) => (ws.getRow(i + 2).values as unknown[]).slice(1).map(String));
    expect(rows.map((r) => r[3])).toEqual(['修改住户信息', '新增住户', '新增住户']);
    expect(rows[0]![5]).toBe('家庭人数：3 → 5');
    expect(rows[0]![0]).toMatch(/^2026\/3\/3/);
    expect(rows[1]![5]).toContain('户主姓名：（空） → 龙塘新户');
    expect(rows[1]![5]).toContain('住址：（空） → 8号');
    expect(rows[1]![5]).toContain('帮扶类别：（空） → 独居老人');
    // A name that reads as a formula is text in the sheet (a leading ').
    expect(rows[2]![1]).toBe(`'${FORMULA}`);
    expect(rows.flat().some((c) => c.startsWith('='))).toBe(false);
    for (const r of rows) expect(r.join(' ')).not.toMatch(/household\.|headName|careTags|living_alone/);
    const filtered = await t.app.inject({ url: '/api/admin/audit.xlsx?action=household.edit', headers: shilingAdmin });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(filtered.rawPayload as unknown as ArrayBuffer);
    expect(wb2.getWorksheet('操作日志')!.rowCount).toBe(1);
  });
});
