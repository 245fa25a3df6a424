import { fieldValue, type Lang } from '../../format.ts';

/** One field of an audit entry as a person reads it: its name, and its value before and after. */
export interface ChangeLine {
  field: string;
  before: string | null;
  after: string | null;
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
// Ids mean nothing to a reader; the entry's unit path and the names beside them say the same.
const isId = (key: string) => key === 'id' || key.endsWith('Id') || key.endsWith('Ids');

/**
 * The before → after of an audit entry, field by field, keeping only what changed (a created
 * row: every field after; a removed one: every field before). `label` names a field for the
 * reader; `table` is the synced table whose labels and value formats apply, when there is one.
 */
export function auditChanges(before: unknown, after: unknown, label: (field: string) => string, lang: Lang, table = ''): ChangeLine[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !isId(k));
  const show = (k: string, v: Record<string, unknown>) => (k in v ? fieldValue(table, k, v[k], lang) : null);
  return keys
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => ({ field: label(k), before: before == null ? null : show(k, b), after: after == null ? null : show(k, a) }));
}

/** The lines as one sentence for a table cell or a spreadsheet: "姓名：张三 → 张四；…". */
export function changeText(lines: readonly ChangeLine[]): string {
  return lines
    .map((l) => `${l.field}：${l.before === null ? '' : `${l.before} → `}${l.after ?? '—'}`)
    .join('；');
}
