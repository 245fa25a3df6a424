import { sql, type Kysely } from 'kysely';
import type { ColumnType, KindDef } from '@shared/sync/kind.ts';
import { pathToText, textToPath } from '../db/unit-path.ts';

/** A wire field's column: the field in snake_case (`householdId` → `household_id`). */
export const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const typeOf = (kind: KindDef, field: string): ColumnType => (kind.columns as Record<string, ColumnType> | undefined)?.[field] ?? 'value';
export const isIdsColumn = (kind: KindDef, field: string) => typeOf(kind, field) === 'ids';

/** The wire fields a kind keeps in columns of its own (not looked up, not virtual). */
export function storedFields(kind: KindDef): string[] {
  const lookups = new Set(Object.keys(kind.lookups ?? {}));
  const virtual = new Set(kind.virtual ?? []);
  return Object.keys(kind.row.properties).filter((f) => !lookups.has(f) && !virtual.has(f));
}

const iso = (v: unknown) => (v === null || v === undefined ? null : (v instanceof Date ? v : new Date(String(v))).toISOString());

/** A wire row as the columns to write. */
export function toColumns(kind: KindDef, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of storedFields(kind)) {
    const v = row[field];
    if (v === undefined) continue;
    const t = typeOf(kind, field);
    out[columnOf(field)] = t === 'json' ? JSON.stringify(v ?? null) : t === 'path' ? pathToText(v as string[]) : t === 'time' ? iso(v) : v;
  }
  return out;
}

/**
 * A wire row as one record of a JSON array that `json_populate_recordset` turns into table rows:
 * the columns of `toColumns`, but json columns as their values (not JSON text).
 */
export function toRecord(kind: KindDef, row: Record<string, unknown>): Record<string, unknown> {
  const out = toColumns(kind, row);
  for (const field of storedFields(kind)) if (row[field] !== undefined && typeOf(kind, field) === 'json') out[columnOf(field)] = row[field] ?? null;
  return out;
}

/** A stored row as the wire carries it (looked-up fields are filled by `fillLookups`). */
export function fromColumns(kind: KindDef, r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of storedFields(kind)) {
    const v = r[columnOf(field)];
    const t = typeOf(kind, field);
    out[field] = t === 'time' ? iso(v) : t === 'path' ? textToPath(String(v)) : t === 'ids' ? (v ?? []) : v;
  }
  return out;
}

/**
 * Fills the fields a kind reads from other tables (a unit's path, a member's name), for many
 * rows at once: one query per looked-up field.
 */
export async function fillLookups(db: Kysely<any>, kind: KindDef, rows: Record<string, unknown>[]): Promise<void> {
  for (const [field, lookup] of Object.entries(kind.lookups ?? {})) {
    if (!lookup) continue;
    const keys = [...new Set(rows.map((r) => r[lookup.key]).filter((k): k is string => typeof k === 'string'))];
    const found = keys.length
      ? await db.selectFrom(lookup.table).select(['id', sql.ref(lookup.column).as('v')]).where('id', 'in', keys).execute()
      : [];
    const values = new Map(found.map((f: { id: string; v: unknown }) => [f.id, f.v]));
    for (const r of rows) {
      const v = values.get(r[lookup.key] as string);
      r[field] = lookup.table === 'units' && lookup.column === 'path' ? (v ? textToPath(String(v)) : []) : (v ?? null);
    }
  }
}

/** Loads rows of a kind by id (no scope filter: callers that serve devices filter first). */
export async function loadByIds(db: Kysely<any>, kind: KindDef, ids: readonly string[], lock = false): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return [];
  let q = db.selectFrom(kind.table).selectAll().where('id', 'in', [...ids]);
  if (lock) q = q.forUpdate();
  const rows = (await q.execute()).map((r: Record<string, unknown>) => fromColumns(kind, r));
  await fillLookups(db, kind, rows);
  return rows;
}
