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

/**
 * A roster of `rows` new rows on the liaison units of an organisation: a fifth people (liaison
 * members, phones 136…), the rest households, four per member — the 3–5 rule holds.
 */
export function generateRoster(org: GeneratedOrg, rows: number): { people: Cells<PeopleKey>[]; households: Cells<HouseholdKey>[] } {
  const units = org.units.filter((u) => u.kind === 'villager_group' || u.kind === 'compound');
  const paths = new Map(units.map((u) => [u.id, unitPathName(org, u.id)]));
  const people: Cells<PeopleKey>[] = [];
  const households: Cells<HouseholdKey>[] = [];
  const members = Math.floor(rows / 5);
  for (let m = 0; m < members; m++) {
    const unit = units[m % units.length]!;
    const phone = `136${String(m).padStart(8, '0')}`;
    people.push({ name: `导入党员${m}`, phone, unit: paths.get(unit.id)!, role: '联户党员', central: m % 3 === 0 ? '是' : '否' });
    for (let k = 0; k < 4 && people.length + households.length < rows; k++) {
      const n = m * 4 + k;
      const village = unit.kind === 'villager_group';
      households.push({
        id: '', headName: `住户${n}`, phone: `135${String(n).padStart(8, '0')}`, unit: paths.get(unit.id)!,
        houseNumber: village ? `新${n}号` : '', building: village ? '' : `${n}栋`, entrance: village ? '' : '1单元', room: village ? '' : '101',
        size: 1 + (n % 6), careTags: n % 7 === 0 ? '低保户、独居老人' : '', memberPhone: phone, notes: '',
      });
    }
  }
  return { people, households };
}
