import { fieldValue, type Lang } from '../../format.ts';

/** One field of an audit entry as a person reads it: its name, and its value before and after. */
export interface ChangeLine {
  field: string;
  before: string | null;
  after: string | null;
}

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
// Ids and id paths mean nothing to a reader; the entry's unit path and the names beside them say the same.
const isId = (key: string) => key === 'id' || key === 'path' || key.endsWith('Id') || key.endsWith('Ids');
// Lists of ids (devices retired, households released) read as how many there were.
const ID_LIKE = /^[0-9a-zA-Z_-]{16,}$/;
const isIdList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && ID_LIKE.test(x));
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** How the reader sees a field: its name, and a value formatter for codes the table does not know (roles, kinds). */
export interface AuditReading {
  label: (field: string) => string;
  /** A readable value for a field, or undefined to use the table's format. */
  code?: (field: string, value: unknown) => string | undefined;
}

/**
 * The before → after of an audit entry, field by field, keeping only what changed (a created
 * row: every field after; a removed one: every field before). `label` names a field for the
 * reader; `table` is the synced table whose labels and value formats apply, when there is one.
 */
export function auditChanges(before: unknown, after: unknown, reading: AuditReading, lang: Lang, table = ''): ChangeLine[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !isId(k));
  const format = (k: string, v: unknown): string => {
    if (isIdList(v)) return String((v as unknown[]).length);
    if (typeof v === 'string' && INSTANT.test(v)) return new Date(v).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'short', timeStyle: 'short' });
    return (v === null || v === undefined ? undefined : reading.code?.(k, v)) ?? fieldValue(table, k, v, lang);
  };
  const show = (k: string, v: Record<string, unknown>) => (k in v ? format(k, v[k]) : null);
  // A row made or removed lists what it held; its empty fields (not yet retired) say nothing.
  const said = (k: string) => (before == null ? a[k] != null : after == null ? b[k] != null : true);
  return keys
    .filter((k) => said(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => ({ field: reading.label(k), before: before == null ? null : show(k, b), after: after == null ? null : show(k, a) }));
}

/** The lines as one sentence for a table cell or a spreadsheet: "姓名：张三 → 张四；…". */
export function changeText(lines: readonly ChangeLine[]): string {
  return lines
    .map((l) => `${l.field}：${l.before === null ? '' : `${l.before} → `}${l.after ?? '—'}`)
    .join('；');
}
