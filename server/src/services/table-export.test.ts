import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { neutraliseFormula, toCsv, toXlsx, type ExportTable } from './table-export.ts';

const table: ExportTable<{ text: string; n: number }> = {
  sheet: 's',
  rows: [
    { text: '=HYPERLINK("http://example.invalid","点我")', n: -3 },
    { text: '+1+1', n: 0 },
    { text: '-2+3', n: 1 },
    { text: '@SUM(A1)', n: 2 },
    { text: '\t=1', n: 3 },
    { text: '\r=1', n: 4 },
    { text: '噪音扰民 = 吵', n: 5 },
  ],
  columns: [
    { header: '内容', value: (r) => r.text },
    { header: '数', value: (r) => r.n },
  ],
};

describe('exports never hand a spreadsheet a formula', () => {
  it('prefixes text starting with = + - @ tab or CR with a quote, and leaves other text and numbers alone', () => {
    for (const bad of ['=1', '+1', '-1', '@x', '\tx', '\rx']) expect(neutraliseFormula(bad)).toBe(`'${bad}`);
    for (const ok of ['噪音', 'a=b', ' =1', '', "'=1"]) expect(neutraliseFormula(ok)).toBe(ok);
  });

  it('in CSV', () => {
    const lines = toCsv(table).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://example.invalid"",""点我"")",-3`);
    expect(lines.slice(2, 5)).toEqual(["'+1+1,0", "'-2+3,1", "'@SUM(A1),2"]);
    expect(lines[5]).toBe("'\t=1,3");
    expect(lines[6]).toBe(`"'\r=1",4`);
    expect(lines[7]).toBe('噪音扰民 = 吵,5');
  });

  it('in XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx(table)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('s')!;
    expect(ws.getRow(2).getCell(1).value).toBe(`'=HYPERLINK("http://example.invalid","点我")`);
    expect(ws.getRow(2).getCell(2).value).toBe(-3);
    expect(ws.getRow(5).getCell(1).value).toBe("'@SUM(A1)");
  });
});
