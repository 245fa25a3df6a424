import ExcelJS from 'exceljs';
import type { GeneratedOrg } from '../src/demo/generate-org.ts';
import { HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, PEOPLE_COLUMNS, PEOPLE_SHEET, type HouseholdKey, type PeopleKey } from '../src/services/roster-columns.ts';
import type { Cells } from '../src/services/roster-workbook.ts';
import type { TestApp } from './test-app.ts';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A unit's path of names, as the roster writes it. */
export function unitPathName(org: GeneratedOrg, unitId: string): string {
  const unit = org.units.find((u) => u.id === unitId)!;
  return unit.path.map((id) => org.units.find((u) => u.id === id)!.name).join('/');
}

export async function download(t: TestApp, headers: { authorization: string }, url = '/api/admin/roster.xlsx'): Promise<Buffer> {
  const res = await t.app.inject({ url, headers });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.rawPayload;
}

export async function upload(t: TestApp, headers: { authorization: string }, body: Buffer, dryRun: boolean) {
  return t.app.inject({ method: 'POST', url: `/api/admin/roster/import?dryRun=${dryRun ? 1 : 0}`, headers: { ...headers, 'content-type': XLSX }, payload: body });
}

/** A sheet as header → text rows (row 2 on), for reading an export. */
export async function readRows(body: Buffer, sheet: string): Promise<Record<string, string>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(sheet)!;
  const headers = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const out: Record<string, string>[] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    out.push(Object.fromEntries(headers.map((h, i) => [h, r.getCell(i).value == null ? '' : String(r.getCell(i).value)]).filter(([h]) => h)));
  });
  return out;
}

/** Changes a workbook: `edit` gets each sheet and the column number of each header. */
export async function editWorkbook(body: Buffer, edit: (sheets: { people: ExcelJS.Worksheet; households: ExcelJS.Worksheet }, col: (sheet: 'people' | 'households', key: string) => number) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const people = wb.getWorksheet(PEOPLE_SHEET)!;
  const households = wb.getWorksheet(HOUSEHOLD_SHEET)!;
  const col = (sheet: 'people' | 'households', key: string) => {
    const columns = sheet === 'people' ? PEOPLE_COLUMNS : HOUSEHOLD_COLUMNS;
    return columns.findIndex((c) => c.key === key) + 1;
  };
  edit({ people, households }, col);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Appends rows given by column key. */
export function addRow<K extends string>(ws: ExcelJS.Worksheet, columns: readonly { key: K }[], cells: Partial<Cells<K>>): number {
  const row = ws.addRow(columns.map((c) => cells[c.key] ?? ''));
  return row.number;
}

export type { HouseholdKey, PeopleKey };
