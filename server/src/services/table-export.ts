import ExcelJS from 'exceljs';

/** A report as a table: Chinese column headers and the value of each cell. */
export interface ExportTable<T> {
  sheet: string;
  columns: { header: string; value: (row: T) => string | number | boolean | null | undefined; width?: number }[];
  rows: T[];
}

/**
 * Text a spreadsheet would read as a formula (`=HYPERLINK(…)` typed into a dispute's description
 * by anyone) is kept as text: a leading `'` (OWASP's CSV-injection advice). Numbers stay numbers.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A value as one cell of every export, CSV and XLSX alike. */
const cell = (v: string | number | boolean | null | undefined) =>
  v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : typeof v === 'string' ? neutraliseFormula(v) : v;

/** RFC 4180 CSV with a BOM, so Excel on a Chinese Windows opens it as UTF-8. */
export function toCsv<T>(t: ExportTable<T>): string {
  const quote = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [t.columns.map((c) => quote(c.header)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => quote(cell(c.value(r)))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function toXlsx<T>(t: ExportTable<T>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '连心 Lianxin';
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = t.columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  for (const r of t.rows) ws.addRow(t.columns.map((c) => cell(c.value(r))));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
