import { canReadUnit, type Scope } from '@shared/domain/scope.ts';
import type { KindDef } from '@shared/sync/kind.ts';
import { allKinds } from '@shared/sync/registry.ts';
import type { Table } from 'dexie';
import type { LianxinDb } from '../db/lianxin-db.ts';
import { pendingHouseholds } from './outbox-refs.ts';

/**
 * How households leave the device (DESIGN.md, scope changes): the server sends a `del` of the
 * household only; the device removes what it held because of it, as each kind's visibility
 * rules say. A household that queued work still refers to stays, remembered in meta
 * `deferredDeletes`, until that work has gone up — otherwise the member would lose sight of
 * work the server has not judged yet.
 * Every function here runs inside the caller's transaction unless it says otherwise.
 */

type Row = Record<string, unknown> & { id: string };
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** What still keeps a record on the device once some households have gone. */
interface Keeping {
  households: ReadonlySet<string>;
  /** May the user see this unit's subtree (a supervisor still sees a branch's disputes)? */
  seesUnit(unitId: string): Promise<boolean>;
}

/** Households the server took away while work for them was still queued. */
export async function deferredDeletes(db: LianxinDb): Promise<string[]> {
  return (await db.getMeta<string[]>('deferredDeletes')) ?? [];
}

/** Unit visibility from the user's scope and the paths of the units on the device. */
export function keepingFor(db: LianxinDb, scope: Scope | null, households: ReadonlySet<string>): Keeping {
  return {
    households,
    async seesUnit(unitId) {
      const unit = scope?.readRoots.length ? await db.units.get(unitId) : undefined;
      return unit !== undefined && scope !== null && canReadUnit(scope, unit.path);
    },
  };
}

/** The fields of a kind that tie its records to households, and to parent records. */
function ties(kind: KindDef): { households: string[]; parents: { table: string; field: string }[]; other: boolean } {
  const households: string[] = [];
  const parents: { table: string; field: string }[] = [];
  let other = false;
  for (const rule of kind.visibility) {
    if (rule.by === 'household' || rule.by === 'households') households.push(rule.field);
    else if (rule.by === 'parent') parents.push({ table: rule.table, field: rule.field });
    else other = true;
  }
  return { households, parents, other };
}

/** Does any visibility rule still admit the record? Rules the phone cannot judge keep it (the server sends its delete). */
async function kept(db: LianxinDb, kind: KindDef, row: Row, keeping: Keeping): Promise<boolean> {
  for (const rule of kind.visibility) {
    if (rule.by === 'household' && ids(row[rule.field]).some((h) => keeping.households.has(h))) return true;
    if (rule.by === 'households') {
      if (ids(row[rule.field]).some((h) => keeping.households.has(h))) return true;
      const unitId = ids(row[rule.unit])[0];
      if (unitId && (await keeping.seesUnit(unitId))) return true;
    }
    if (rule.by === 'parent') {
      const parentId = ids(row[rule.field])[0];
      if (parentId && (await db.table(rule.table).get(parentId)) !== undefined) return true;
    }
    if (rule.by === 'unit' || rule.by === 'members') return true;
  }
  return false;
}

/** Rows of `table` whose `field` names one of `values`, through its index when the kind has one. */
async function referring(table: Table<Row, string>, kind: KindDef, field: string, values: readonly string[]): Promise<Row[]> {
  const indexed = kind.indexes.split(',').map((s) => s.trim().replace(/^[*&]/, '')).includes(field);
  if (indexed) return table.where(field).anyOf([...values]).toArray();
  const wanted = new Set(values);
  return table.filter((r) => ids(r[field]).some((v) => wanted.has(v))).toArray();
}

/**
 * Removes households and, kind by kind in registry order (parents first), every record the
 * device held only because of them or of a record removed before it.
 */
export async function dropHouseholds(db: LianxinDb, gone: readonly string[], keeping: Keeping): Promise<void> {
  if (gone.length === 0) return;
  await db.households.bulkDelete([...gone]);
  const removed = new Map<string, string[]>([['households', [...gone]]]);
  for (const kind of allKinds()) {
    if (kind.table === 'households') continue;
    const t = ties(kind);
    const table = db.table(kind.table) as Table<Row, string>;
    const candidates = new Map<string, Row>();
    for (const field of t.households) for (const r of await referring(table, kind, field, gone)) candidates.set(r.id, r);
    for (const p of t.parents) {
      const parents = removed.get(p.table);
      if (parents?.length) for (const r of await referring(table, kind, p.field, parents)) candidates.set(r.id, r);
    }
    const drop: string[] = [];
    for (const row of candidates.values()) if (!(await kept(db, kind, row, keeping))) drop.push(row.id);
    if (drop.length === 0) continue;
    await table.bulkDelete(drop);
    removed.set(kind.table, drop);
  }
}

/** A record the server deleted leaves with the records only reachable through it. */
export async function dropRecord(db: LianxinDb, tableName: string, id: string, keeping: Keeping): Promise<void> {
  if (tableName === 'households') return dropHouseholds(db, [id], keeping);
  await db.table(tableName).delete(id);
  const removed = new Map<string, string[]>([[tableName, [id]]]);
  for (const kind of allKinds()) {
    const parents = ties(kind).parents.filter((p) => removed.has(p.table));
    if (parents.length === 0) continue;
    const table = db.table(kind.table) as Table<Row, string>;
    const drop: string[] = [];
    for (const p of parents) {
      for (const r of await referring(table, kind, p.field, removed.get(p.table)!)) if (!(await kept(db, kind, r, keeping))) drop.push(r.id);
    }
    if (drop.length === 0) continue;
    await table.bulkDelete(drop);
    removed.set(kind.table, drop);
  }
}

/**
 * A `clear` (the server restarts the device's copy): empties the data tables but keeps the
 * households queued work refers to, with their records, so that work can still be re-applied
 * and shown. Returns the households kept: they count as taken away unless the snapshot that
 * follows puts them again.
 */
export async function clearKeeping(db: LianxinDb, keep: ReadonlySet<string>): Promise<string[]> {
  const staying = keep.size ? await db.households.where('id').anyOf([...keep]).primaryKeys() : [];
  const held = new Set(staying);
  const keeping: Keeping = { households: held, seesUnit: async () => false };
  await db.households.filter((h) => !held.has(h.id)).delete();
  for (const kind of allKinds()) {
    if (kind.table === 'households') continue;
    const t = ties(kind);
    const table = db.table(kind.table) as Table<Row, string>;
    if (held.size === 0 || (t.households.length === 0 && t.parents.length === 0)) {
      await table.clear();
      continue;
    }
    // Rules the phone cannot judge do not keep a row through a restart: the snapshot brings it back.
    const byTies = { ...kind, visibility: kind.visibility.filter((r) => r.by !== 'unit' && r.by !== 'members') };
    const drop: string[] = [];
    for (const row of await table.toArray()) if (!(await kept(db, byTies, row, keeping))) drop.push(row.id);
    await table.bulkDelete(drop);
  }
  return staying;
}

/** Drops the deferred households no queued work refers to any more; returns those still waiting. */
export async function dropFreed(db: LianxinDb, deferred: Iterable<string>, pending: ReadonlySet<string>, scope: Scope | null): Promise<string[]> {
  const waiting: string[] = [];
  const free: string[] = [];
  for (const id of deferred) (pending.has(id) ? waiting : free).push(id);
  const held = new Set(await db.households.toCollection().primaryKeys());
  for (const id of free) held.delete(id);
  await dropHouseholds(db, free, keepingFor(db, scope, held));
  return waiting;
}

/** After a push: the households whose queued work is now up may leave. Its own transaction. */
export async function applyDeferredDeletes(db: LianxinDb, scope: Scope | null): Promise<void> {
  await db.transaction('rw', [...db.dataTables(), db.outbox, db.meta], async () => {
    const deferred = await deferredDeletes(db);
    if (deferred.length === 0) return;
    const waiting = await dropFreed(db, deferred, await pendingHouseholds(db), scope);
    await db.setMeta('deferredDeletes', waiting);
  });
}
