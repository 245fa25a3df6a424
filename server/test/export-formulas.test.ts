import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { uuidv7 } from '@shared/uuid.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice } from './sync-device.ts';

describe.each(DB_KINDS)('the dispute ledger never carries a live formula, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  it('a description typed as =HYPERLINK(…) comes out as text in disputes.csv and disputes.xlsx', async () => {
    const group = t.org.units.find((u) => u.kind === 'villager_group')!;
    const m = memberPhone(t.org, group.id);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const description = '=HYPERLINK("http://example.invalid/steal","点击查看详情")';
    const d = new TestDevice(t, m.phone);
    const reply = await d.push([d.mutation('dispute.open', { id: uuidv7(), householdIds: [h.id], category: 'neighbour', description, openedAt: t.clock.now.toISOString() })]);
    expect(reply.results[0]!.status).toBe('applied');
    const headers = await t.as(staffPhone(t.org, group.id));

    const csv = await t.app.inject({ url: '/api/reports/disputes.csv', headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(`,"'=HYPERLINK(""http://example.invalid/steal"",""点击查看详情"")",`);
    expect(csv.body).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const xlsx = await t.app.inject({ url: '/api/reports/disputes.xlsx', headers });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('矛盾纠纷排查化解台账')!;
    const cells = ws.getColumn(4).values.slice(2);
    expect(cells).toContain(`'${description}`);
    expect(cells).not.toContain(description);
  });
});
