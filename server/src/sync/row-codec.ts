import { sql, type Kysely } from 'kysely';
import type { ColumnType, KindDef, Lookup } from '@shared/sync/kind.ts';
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

/** The tables `loadByIds` reads for a kind: its own and those of its looked-up fields. */
export function readTables(kind: KindDef): string[] {
  return [kind.table, ...Object.values(kind.lookups ?? {}).flatMap((l) => (l ? [l.table] : []))];
}

/** A looked-up value as the wire carries it (a unit's path as ids). */
const lookedUp = (lookup: Lookup, v: unknown) => (lookup.table === 'units' && lookup.column === 'path' ? (v ? textToPath(String(v)) : []) : (v ?? null));

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
      r[field] = lookedUp(lookup, v);
    }
  }
}

/**
 * Loads rows of a kind by id, their looked-up fields joined in the same query (no scope filter:
 * callers that serve devices filter first); `lock` locks the kind's rows only.
 */
export async function loadByIds(db: Kysely<any>, kind: KindDef, ids: readonly string[], lock = false): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return [];
  const lookups = Object.entries(kind.lookups ?? {}).filter((e): e is [string, Lookup] => !!e[1]);
  let q = db.selectFrom(kind.table).selectAll(kind.table).where(`${kind.table}.id`, 'in', [...ids]);
  lookups.forEach(([, lookup], i) => {
    q = q.leftJoin(`${lookup.table} as lookup_${i}`, `lookup_${i}.id`, `${kind.table}.${columnOf(lookup.key)}`).select(sql.ref(`lookup_${i}.${lookup.column}`).as(`lookup_${i}`));
  });
  if (lock) q = q.forUpdate(kind.table);
  return (await q.execute()).map((r: Record<string, unknown>) => {
    const row = fromColumns(kind, r);
    lookups.forEach(([field, lookup], i) => (row[field] = lookedUp(lookup, r[`lookup_${i}`])));
    return row;
  });
}
