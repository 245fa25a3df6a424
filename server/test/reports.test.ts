import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { uuidv7 } from '@shared/uuid.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

describe.each(DB_KINDS)('supervisor reports on %s', (kind) => {
  let t: TestApp;
  const get = async (phone: string, url: string) => t.app.inject({ url, headers: await t.as(phone) });
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const dongHu = () => t.unitNamed('东湖社区');
  const xiYuan = () => t.unitNamed('西苑社区');
  const under = (unitId: string, memberUnit: string) => t.org.units.find((u) => u.id === memberUnit)!.path.includes(unitId);

  it('refuses plain members every report', async () => {
    const member = memberPhone(t.org, group().id, 0).phone;
    for (const url of ['/api/reports/sync', '/api/reports/coverage', '/api/reports/conflicts', '/api/reports/disputes', '/api/reports/sync.csv', '/api/reports/disputes.xlsx']) {
      const res = await get(member, url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
  });

  it('the sync report lists each member and device in scope with the period’s results, and nothing of another community', async () => {
    const m = memberPhone(t.org, group().id, 0);
    const d = new TestDevice(t, m.phone);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const other = t.org.households.find((x) => x.memberId !== m.memberId)!;
    await d.push([d.mutation('visit.create', visitArgs(h.id)), d.mutation('visit.create', visitArgs(other.id))]);

    const res = await get(staffPhone(t.org, group().id), '/api/reports/sync');
    expect(res.statusCode).toBe(200);
    const rows = res.json().rows as { memberId: string; clientId: string | null; applied: number; rejected: number; stale: boolean; unitId: string }[];
    expect(rows.every((r) => r.unitId === group().id)).toBe(true);
    const mine = rows.find((r) => r.clientId === d.clientId)!;
    expect(mine).toMatchObject({ memberId: m.memberId, applied: 1, rejected: 1, stale: false });
    const never = rows.filter((r) => r.clientId === null);
    expect(never.length).toBeGreaterThan(0);

    const community = (await get(staffPhone(t.org, dongHu().id), '/api/reports/sync')).json().rows as { unitId: string; clientId: string | null }[];
    expect(community.length).toBeGreaterThan(0);
    expect(community.every((r) => under(dongHu().id, r.unitId))).toBe(true);
    expect(community.some((r) => r.clientId === d.clientId)).toBe(false);
    const rollUp = (await get(staffPhone(t.org, t.unitNamed('石岭村').id), '/api/reports/sync')).json().units as { unitId: string; devices: number; rejected: number }[];
    expect(rollUp.find((u) => u.unitId === t.unitNamed('石岭村').id)).toMatchObject({ devices: 1, rejected: 1 });

    // Drill into the device: the refused mutation shows what was typed; another community cannot look.
    const log = await get(staffPhone(t.org, group().id), `/api/reports/sync/devices/${d.clientId}`);
    const refused = (log.json().mutations as { status: string; code: string; args?: { householdId: string } }[]).find((x) => x.status === 'rejected')!;
    expect(refused).toMatchObject({ code: 'OUT_OF_SCOPE', args: { householdId: other.id } });
    expect((await get(staffPhone(t.org, xiYuan().id), `/api/reports/sync/devices/${d.clientId}`)).statusCode).toBe(404);
  });

  it('coverage lists unvisited households and members outside 3–5, within scope only', async () => {
    const m = memberPhone(t.org, group().id, 1);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const before = (await get(staffPhone(t.org, group().id), '/api/reports/coverage?days=30')).json();
    expect((before.unvisited as { householdId: string }[]).some((x) => x.householdId === h.id)).toBe(true);
    const d = new TestDevice(t, m.phone);
    await d.push([d.mutation('visit.create', visitArgs(h.id))]);
    const after = (await get(staffPhone(t.org, group().id), '/api/reports/coverage?days=30')).json();
    expect((after.unvisited as { householdId: string }[]).some((x) => x.householdId === h.id)).toBe(false);
    expect((after.unvisited as { unitId: string }[]).every((x) => x.unitId === group().id)).toBe(true);
    expect((after.memberLoad as { households: number }[]).every((x) => x.households < 3 || x.households > 5)).toBe(true);
    expect((after.visitsByDuty as { duty: string; visits: number }[]).find((x) => x.duty === 'concerns')!.visits).toBeGreaterThan(0);
    // Rolled up: the village counts every household of its groups.
    const villageView = (await get(staffPhone(t.org, t.unitNamed('石岭村').id), '/api/reports/coverage')).json();
    const byUnit = villageView.byUnit as { unitId: string; households: number; unvisited: number }[];
    const groups = t.org.units.filter((u) => u.parentId === t.unitNamed('石岭村').id);
    const villageRow = byUnit.find((u) => u.unitId === t.unitNamed('石岭村').id)!;
    expect(villageRow.households).toBe(groups.reduce((n, g) => n + byUnit.find((u) => u.unitId === g.id)!.households, 0));
    expect(villageRow.households).toBe(t.org.households.filter((x) => groups.some((g) => g.id === x.unitId)).length);
    expect(villageRow.unvisited).toBeLessThan(villageRow.households);
    const elsewhere = (await get(staffPhone(t.org, xiYuan().id), '/api/reports/coverage')).json();
    expect((elsewhere.unvisited as { householdId: string }[]).some((x) => x.householdId === h.id)).toBe(false);
  });

  it('an escalated dispute is on the next tier’s board, not on another community’s', async () => {
    const m = memberPhone(t.org, group().id, 2);
    const d = new TestDevice(t, m.phone);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const id = uuidv7();
    await d.push([
      d.mutation('dispute.open', { id, householdIds: [h.id], category: 'neighbour', description: '噪音扰民', openedAt: t.clock.now.toISOString() }),
      d.mutation('dispute.transition', { id, from: 'open', to: 'escalated' }),
    ]);
    const village = (await get(staffPhone(t.org, t.unitNamed('石岭村').id), '/api/reports/disputes')).json().disputes as { id: string; handlerId: string; status: string }[];
    expect(village.find((x) => x.id === id)).toMatchObject({ status: 'escalated', handlerId: t.unitNamed('石岭村').id });
    const community = (await get(staffPhone(t.org, dongHu().id), '/api/reports/disputes')).json().disputes as { id: string }[];
    expect(community.some((x) => x.id === id)).toBe(false);
  });

  it('exports the ledgers as CSV and XLSX with Chinese headers', async () => {
    const sup = staffPhone(t.org, t.unitNamed('石岭村').id);
    const csv = await get(sup, '/api/reports/disputes.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF登记时间,所在支部,纠纷类别')).toBe(true);
    expect(csv.body).toContain('噪音扰民');
    const xlsx = await get(sup, '/api/reports/sync.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('同步情况')!;
    expect(ws.getRow(1).getCell(1).value).toBe('所在支部');
    expect(ws.rowCount).toBeGreaterThan(1);
    const cov = await get(sup, '/api/reports/coverage.csv?days=60');
    expect(cov.body).toContain('户主');
  });
});
