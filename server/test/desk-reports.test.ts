import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { uuidv7 } from '@shared/uuid.ts';
import type { ConflictReview, SyncReportRow } from '@shared/schemas/reports.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

const HUAWEI_WECHAT = 'Mozilla/5.0 (Linux; Android 10; ELS-AN00 Build/HUAWEIELS-AN00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0 Mobile Safari/537.36 MicroMessenger/7.0.18.1740';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const DAY = 86_400_000;

/** Issue 10, "Supervisors at a desk": what the desk's reports must say that the phone screens did not. */
describe.each(DB_KINDS)('desk reports on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const get = async (phone: string, url: string) => t.app.inject({ url, headers: await t.as(phone) });
  /** A pull from the device's browser, which sends its User-Agent as every browser does. */
  async function pullFrom(d: TestDevice, userAgent: string) {
    const res = await t.app.inject({ method: 'POST', url: '/api/sync/pull', headers: { ...(await d.headers()), 'user-agent': userAgent }, payload: { clientId: d.clientId, cursor: null } });
    expect(res.statusCode, res.body).toBe(200);
  }
  const syncRows = async () => (await get(staffPhone(t.org, group().id), '/api/reports/sync')).json().rows as SyncReportRow[];

  it('names each device by the browser it synced from and when it was first seen; a changed browser is noticed', async () => {
    const m = memberPhone(t.org, group().id, 0);
    const huawei = new TestDevice(t, m.phone);
    const iphone = new TestDevice(t, m.phone);
    await pullFrom(huawei, HUAWEI_WECHAT);
    await pullFrom(iphone, IPHONE);
    const rows = await syncRows();
    const a = rows.find((r) => r.clientId === huawei.clientId)!;
    const b = rows.find((r) => r.clientId === iphone.clientId)!;
    expect(a).toMatchObject({ memberId: m.memberId, userAgent: HUAWEI_WECHAT, neverSynced: false, stale: false });
    expect(b).toMatchObject({ memberId: m.memberId, userAgent: IPHONE });
    expect(Date.parse(a.firstSeenAt!)).toBeGreaterThan(0);

    // The member updates the phone's browser: the next pull says so (and only a change writes).
    await pullFrom(huawei, IPHONE.replace('17_4', '18_0'));
    expect((await syncRows()).find((r) => r.clientId === huawei.clientId)!.userAgent).toContain('18_0');

    // A push from the browser records it too.
    const pushing = new TestDevice(t, memberPhone(t.org, group().id, 2).phone);
    const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { ...(await pushing.headers()), 'user-agent': HUAWEI_WECHAT }, payload: { clientId: pushing.clientId, schemaVersion: 1, mutations: [] } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await syncRows()).find((r) => r.clientId === pushing.clientId)!.userAgent).toBe(HUAWEI_WECHAT);

    // The export names the devices as the screen does, never by their ids alone.
    const csv = (await get(staffPhone(t.org, group().id), '/api/reports/sync.csv')).body;
    expect(csv).toContain('华为 ELS-AN00 · 微信');
    expect(csv).toContain('iPhone · Safari');
  });

  it('a member who never synced is 从未同步, not stale; one who synced long ago is stale', async () => {
    const m = memberPhone(t.org, group().id, 1);
    const before = await syncRows();
    const never = before.find((r) => r.clientId === null && r.memberId !== m.memberId)!;
    expect(never).toMatchObject({ neverSynced: true, stale: false, firstSeenAt: null, userAgent: null });

    const d = new TestDevice(t, m.phone);
    await pullFrom(d, IPHONE);
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 10 * DAY);
    try {
      const later = await syncRows();
      expect(later.find((r) => r.clientId === d.clientId)).toMatchObject({ neverSynced: false, stale: true });
      expect(later.find((r) => r.memberId === never.memberId && r.clientId === null)).toMatchObject({ neverSynced: true, stale: false });
      const xlsx = await get(staffPhone(t.org, group().id), '/api/reports/sync.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('同步情况')!;
      const headers = (ws.getRow(1).values as unknown[]).slice(1);
      const state = headers.indexOf('同步状态') + 1;
      expect(state).toBeGreaterThan(0);
      const states = new Set<unknown>();
      ws.eachRow((row, n) => n > 1 && states.add(row.getCell(state).value));
      expect([...states]).toEqual(expect.arrayContaining(['从未同步', '超期未同步']));
      // No raw flags or codes in any cell.
      ws.eachRow((row) => (row.values as unknown[]).forEach((v) => expect(['true', 'false', true, false]).not.toContain(v)));
    } finally {
      t.clock.now = saved;
    }
  });

  it('conflict review names the household by its head and address; another community sees none of it', async () => {
    const m = memberPhone(t.org, group().id, 3);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const liaison = new TestDevice(t, m.phone);
    const secretary = new TestDevice(t, staffPhone(t.org, group().id));
    await liaison.push([liaison.mutation('household.update', { id: h.id, changes: { phone: { value: '13912345678', baseVersion: 0 } } })]);
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    await secretary.push([secretary.mutation('household.update', { id: h.id, changes: { phone: { value: '13987654321', baseVersion: 0 } } })]);
    const listed = (await get(staffPhone(t.org, t.unitNamed('石岭村').id), '/api/reports/conflicts')).json().conflicts as ConflictReview[];
    const c = listed.find((x) => x.recordId === h.id && x.field === 'phone')!;
    expect(c).toBeDefined();
    const unit = t.org.units.find((u) => u.id === h.unitId)!;
    expect(c.households).toEqual([{ householdId: h.id, headName: h.headName, unitName: unit.name, address: h.address }]);
    const other = (await get(staffPhone(t.org, t.unitNamed('东湖社区').id), '/api/reports/conflicts')).json().conflicts as ConflictReview[];
    expect(other.some((x) => x.id === c.id)).toBe(false);
  });

  it('the dispute ledger shows risk levels and overdue flags in Chinese, never their codes', async () => {
    const m = memberPhone(t.org, group().id, 0);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const d = new TestDevice(t, m.phone);
    const opened = t.clock.now.toISOString();
    await d.push([
      d.mutation('dispute.open', { id: uuidv7(), householdIds: [h.id], category: 'neighbour', description: '宅基地边界', riskLevel: 'orange', openedAt: opened }),
      d.mutation('dispute.open', { id: uuidv7(), householdIds: [h.id], category: 'neighbour', description: '排水沟', openedAt: opened }),
    ]);
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 5 * DAY);
    try {
      for (const format of ['csv', 'xlsx'] as const) {
        const res = await get(staffPhone(t.org, group().id), `/api/reports/disputes.${format}`);
        expect(res.statusCode).toBe(200);
        let cells: unknown[];
        if (format === 'csv') cells = res.body.split(/\r\n/).flatMap((line) => line.split(','));
        else {
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
          cells = [];
          wb.worksheets[0]!.eachRow((row) => cells.push(...(row.values as unknown[])));
        }
        expect(cells, format).toContain('橙色（可能激化）');
        expect(cells, format).toContain('黄色（一般）');
        expect(cells, format).toContain('已超期');
        for (const raw of ['orange', 'yellow', 'red', 'blue', 'true', 'false', true, false]) expect(cells, format).not.toContain(raw);
      }
    } finally {
      t.clock.now = saved;
    }
  });

  it('the overview charts visits per week and the households they reached, within scope only', async () => {
    const m = memberPhone(t.org, group().id, 4);
    const mine = t.org.households.filter((x) => x.memberId === m.memberId).slice(0, 2);
    const d = new TestDevice(t, m.phone);
    await d.push([d.mutation('visit.create', visitArgs(mine[0]!.id)), d.mutation('visit.create', visitArgs(mine[0]!.id)), d.mutation('visit.create', visitArgs(mine[1]!.id))]);
    type Week = { week: string; visits: number; households: number };
    const weeks = (await get(staffPhone(t.org, group().id), '/api/reports/coverage')).json().visitsByWeek as Week[];
    expect(weeks.length).toBeGreaterThan(0);
    for (const w of weeks) expect(w.week).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const total = weeks.reduce((n, w) => n + w.visits, 0);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(Math.max(...weeks.map((w) => w.households))).toBeGreaterThanOrEqual(2);
    // Another community counts none of these visits.
    const other = (await get(staffPhone(t.org, t.unitNamed('东湖社区').id), '/api/reports/coverage')).json().visitsByWeek as Week[];
    expect(other.reduce((n, w) => n + w.visits, 0)).toBeLessThan(total);
  });
});
