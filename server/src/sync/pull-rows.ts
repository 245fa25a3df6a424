import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { KindDef } from '@shared/sync/kind.ts';
import { allKinds } from '@shared/sync/registry.ts';
import { visibleSql } from '../access/visible.ts';
import type { PullScope } from '../access/pull-scope.ts';
import { uuidArray } from '../access/scope-sql.ts';
import { columnOf, fillLookups, fromColumns, isIdsColumn } from './row-codec.ts';

type Row = Record<string, unknown>;

async function load(db: Kysely<any>, kind: KindDef, scope: PullScope, where: RawBuilder<boolean>, page?: { after: string | null; limit: number }): Promise<Row[]> {
  const after = page?.after ? sql`and t.id > ${page.after}` : sql``;
  const limit = page ? sql`order by t.id limit ${page.limit}` : sql``;
  const { rows } = await sql<Row>`select t.* from ${sql.table(kind.table)} as t where ${where} and ${visibleSql(kind, scope)} ${after} ${limit}`.execute(db);
  const out = rows.map((r) => fromColumns(kind, r));
  await fillLookups(db, kind, out);
  return out;
}

/** A page of a kind's rows the device may hold, in id order (a first sync). */
export async function snapshotRows(db: Kysely<any>, kind: KindDef, scope: PullScope, after: string | null, limit: number): Promise<Row[]> {
  return load(db, kind, scope, sql<boolean>`true`, { after, limit });
}

/** Rows of a kind by id, as far as the device may hold them (the rest are gone from its scope). */
export async function visibleRows(db: Kysely<any>, kind: KindDef, scope: PullScope, ids: readonly string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  return load(db, kind, scope, sql<boolean>`t.id = any(${uuidArray(ids)})`);
}

/**
 * What depends on rows a device has just been given (a household reassigned to it): every
 * kind that is seen because of them — a household's visits, disputes and conflicts, then those
 * disputes' mediations — as far as the device may hold them.
 */
export async function dependants(db: Kysely<any>, scope: PullScope, table: string, ids: readonly string[]): Promise<{ table: string; rows: Row[] }[]> {
  if (ids.length === 0) return [];
  const out: { table: string; rows: Row[] }[] = [];
  for (const kind of allKinds()) {
    const refs: RawBuilder<boolean>[] = [];
    for (const rule of kind.visibility) {
      const points = (rule.by === 'household' || rule.by === 'households') && table === 'households' ? rule.field : rule.by === 'parent' && rule.table === table ? rule.field : null;
      if (!points || (kind.table === table && points === 'id')) continue;
      const col = sql.ref(`t.${columnOf(points)}`);
      refs.push(isIdsColumn(kind, points) ? sql<boolean>`${col} && ${uuidArray(ids)}` : sql<boolean>`${col} = any(${uuidArray(ids)})`);
    }
    if (refs.length === 0) continue;
    const rows = await load(db, kind, scope, sql<boolean>`(${sql.join(refs, sql` or `)})`);
    if (rows.length === 0) continue;
    out.push({ table: kind.table, rows });
    out.push(...(await dependants(db, scope, kind.table, rows.map((r) => r.id as string))));
  }
  return out;
}
