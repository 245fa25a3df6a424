import ExcelJS from 'exceljs';
import { DomainError } from '@shared/errors.ts';
import {
  GUIDE_SHEET, HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, PATH_SEPARATOR, PEOPLE_COLUMNS, PEOPLE_SHEET,
  type HouseholdKey, type PeopleKey, type RosterColumn,
} from './roster-columns.ts';
import { neutraliseFormula } from './table-export.ts';

/** One data row of a sheet: its number in Excel (header is 1) and each column's text, trimmed. */
export interface SheetRow<K extends string> {
  row: number;
  cells: Record<K, string>;
}

/** A problem with one cell (or a whole sheet: row 0, column ''), in the words the import reports. */
export interface CellProblem {
  sheet: string;
  row: number;
  column: string;
  code: string;
  /** Extra words after the code's text: the duplicate's row, the unknown tag, the path. */
  detail?: string;
}

/** Rows one sheet may hold: a county's roster (35,000 members) fits, a runaway file does not. */
export const MAX_ROWS = 50_000;

export type Cells<K extends string> = Record<K, string | number>;

/** The roster as a workbook: the people and household sheets, then the 说明 sheet. */
export async function buildWorkbook(people: Cells<PeopleKey>[], households: Cells<HouseholdKey>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '连心 Lianxin';
  addSheet(wb, PEOPLE_SHEET, PEOPLE_COLUMNS, people);
  addSheet(wb, HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS, households);
  addGuide(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function addSheet<K extends string>(wb: ExcelJS.Workbook, name: string, columns: readonly RosterColumn<K>[], rows: Cells<K>[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(columns.map((c) => (typeof r[c.key] === 'string' ? neutraliseFormula(r[c.key] as string) : r[c.key])));
  // Drop-downs reach a thousand rows past the data (or 2,000 in an empty template), enough to fill in by hand.
  const last = Math.max(rows.length + 1000, 2000) + 1;
  columns.forEach((c, i) => {
    if (!c.list) return;
    const letter = ws.getColumn(i + 1).letter;
    // exceljs's typings omit the sheet's range validations (`dataValidations.add`), which it writes as one sqref.
    (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${last}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${c.list.values.join(',')}"`],
      // A care-tag cell may hold several tags: offered one at a time, typed freely.
      showErrorMessage: c.list.strict,
      errorStyle: 'stop',
      errorTitle: '输入有误',
      error: `请从列表中选择：${c.list.values.join('、')}`,
    });
  });
}

function addGuide(wb: ExcelJS.Workbook) {
  const ws = wb.addWorksheet(GUIDE_SHEET);
  ws.columns = [{ width: 18 }, { width: 16 }, { width: 90 }];
  const lines: (string | string[])[] = [
    '花名册导入说明',
    '',
    '1. “人员”表每行是一个人的一个角色；“户”表每行是一户。表头请勿修改，列的顺序可以调整，多余的列会被忽略。',
    '2. 导入时先“试导入”检查：任何一格有误，整份文件都不会写入，并逐格列出错误（工作表、行号、列名）。全部无误后再确认导入。',
    `3. 所属组织从最上级写到本级，用“${PATH_SEPARATOR}”分隔；只能填写您管辖范围内的组织。同一上级下有重名组织时无法识别，会报“组织路径有重名”。`,
    '4. 人员按手机号识别：系统中已有的手机号更新姓名、组织和党员中心户标记；新手机号新建账号，导入结果中给出每人的初始密码（只显示一次），首次登录须修改密码。',
    '5. 住户按“户编号”识别（由系统导出，请勿修改）；新增住户留空。户编号为空时，同一组织下住址相同的已有住户视为同一户，不会重复新增。',
    '6. 导入只新增和修改，不删除：表中没有的人员和住户保持不变。',
    '',
    ['工作表', '列', '填写要求'],
  ];
  for (const c of PEOPLE_COLUMNS) lines.push([PEOPLE_SHEET, c.header + ('required' in c ? '（必填）' : ''), c.help]);
  for (const c of HOUSEHOLD_COLUMNS) lines.push([HOUSEHOLD_SHEET, c.header + ('required' in c ? '（必填）' : ''), c.help]);
  for (const l of lines) ws.addRow(typeof l === 'string' ? [l] : l);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(10).font = { bold: true };
}

/** A cell's value as the text a person typed (numbers, rich text, links and formulas' results included). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  return '';
}

/** Undoes the export's formula guard (a leading ' before = + - @), so a round trip is unchanged. */
const unguard = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

export interface ParsedRoster {
  people: SheetRow<PeopleKey>[];
  households: SheetRow<HouseholdKey>[];
  problems: CellProblem[];
}

/** Reads the two sheets by their header texts; a file that is no workbook is ROSTER_FILE_INVALID. */
export async function parseWorkbook(body: Buffer): Promise<ParsedRoster> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('ROSTER_FILE_INVALID');
  }
  const problems: CellProblem[] = [];
  return {
    people: readSheet(wb, PEOPLE_SHEET, PEOPLE_COLUMNS, problems),
    households: readSheet(wb, HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS, problems),
    problems,
  };
}

function readSheet<K extends string>(wb: ExcelJS.Workbook, name: string, columns: readonly RosterColumn<K>[], problems: CellProblem[]): SheetRow<K>[] {
  const ws = wb.getWorksheet(name);
  if (!ws) {
    problems.push({ sheet: name, row: 0, column: '', code: 'ROSTER_SHEET_MISSING', detail: name });
    return [];
  }
  const header = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => header.set(cellText(cell.value).trim(), col));
  const at = new Map<K, number>();
  for (const c of columns) {
    const col = header.get(c.header);
    if (col) at.set(c.key, col);
    else problems.push({ sheet: name, row: 1, column: c.header, code: 'ROSTER_COLUMN_MISSING', detail: c.header });
  }
  if (at.size < columns.length) return [];
  if (ws.actualRowCount - 1 > MAX_ROWS) {
    problems.push({ sheet: name, row: 0, column: '', code: 'ROSTER_TOO_MANY_ROWS', detail: `每个工作表最多${MAX_ROWS}行` });
    return [];
  }
  const rows: SheetRow<K>[] = [];
  ws.eachRow((r, row) => {
    if (row === 1) return;
    const cells = {} as Record<K, string>;
    let blank = true;
    for (const c of columns) {
      const text = unguard(cellText(r.getCell(at.get(c.key)!).value).trim());
      if (text) blank = false;
      cells[c.key] = text;
    }
    if (!blank) rows.push({ row, cells });
  });
  return rows;
}
