import { sql, type Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import { allKinds, isSyncTable, kindOf } from '@shared/sync/registry.ts';
import type { PatchOp, PullReply } from '@shared/sync/protocol.ts';
import type { Database } from '../db/database.ts';
import { resolvePullScope, type PullScope } from '../access/pull-scope.ts';
import { underAny } from '../access/scope-sql.ts';
import { decodeCursor, encodeCursor, WHOLE_VERSION, type Cursor } from './pull-cursor.ts';
import { dependants, snapshotRows, visibleRows } from './pull-rows.ts';

type Db = Kysely<Database>;

export interface PullOptions {
  /** Rows (snapshot) or change entries (incremental) per page. */
  pageSize: number;
}

/**
 * One page of a pull, read in one REPEATABLE READ snapshot so that `lastMutationId` and the
 * rows agree. With no usable cursor the device gets `clear` and a paged snapshot of its scope,
 * kind by kind in the registry's order; afterwards only the change log since the cursor is read,
 * so a pull with nothing new costs a look at a few version rows whatever the size of the scope.
 */
export async function pull(db: Db, scope: Scope, clientId: string, cursorText: string | null, opts: PullOptions): Promise<PullReply> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const ps = await resolvePullScope(trx, scope);
      const client = await trx.selectFrom('sync_clients').select('last_mutation_id').where('client_id', '=', clientId).executeTakeFirst();
      const lastMutationId = client?.last_mutation_id ?? 0;
      const current = await spaceVersions(trx, ps.spaceIds);
      let cursor = decodeCursor(cursorText);
      if (cursor && (cursor.k !== ps.key || Object.entries(cursor.v).some(([s, [v]]) => v > (current[s] ?? 0)))) cursor = null;
      if (cursor?.s && cursor.s.t > allKinds().length) cursor = null;

      if (!cursor || cursor.s) return snapshotPage(trx, ps, cursor, current, lastMutationId, opts);
      return incrementalPage(trx, ps, cursor, current, lastMutationId, opts);
    });
}

async function spaceVersions(trx: Db, spaceIds: string[]): Promise<Record<string, number>> {
  if (spaceIds.length === 0) return {};
  const rows = await trx.selectFrom('space_versions').select(['space_id', 'version']).where('space_id', 'in', spaceIds).execute();
  const out: Record<string, number> = Object.fromEntries(spaceIds.map((s) => [s, 0]));
  for (const r of rows) out[r.space_id] = Number(r.version);
  return out;
}

async function snapshotPage(trx: Db, ps: PullScope, cursor: Cursor | null, current: Record<string, number>, lastMutationId: number, opts: PullOptions): Promise<PullReply> {
  const kinds = allKinds();
  const state = cursor?.s ?? { t: 0, after: null, base: current };
  const patch: PatchOp[] = cursor ? [] : [{ op: 'clear' }];
  let budget = opts.pageSize;
  let { t, after } = state;
  while (t < kinds.length && budget > 0) {
    const kind = kinds[t]!;
    const rows = await snapshotRows(trx, kind, ps, after, budget);
    for (const row of rows) patch.push({ op: 'put', table: kind.table, row } as PatchOp);
    budget -= rows.length;
    if (budget > 0) {
      t += 1;
      after = null;
    } else {
      after = rows[rows.length - 1]!.id as string;
    }
  }
  if (t < kinds.length) {
    return { cursor: encodeCursor({ k: ps.key, v: {}, s: { t, after, base: state.base } }), more: true, lastMutationId, patch };
  }
  const v = Object.fromEntries(ps.spaceIds.map((s) => [s, [state.base[s] ?? 0, WHOLE_VERSION] as [number, number]]));
  const more = ps.spaceIds.some((s) => (current[s] ?? 0) > (state.base[s] ?? 0));
  return { cursor: encodeCursor({ k: ps.key, v }), more, lastMutationId, patch };
}

interface ChangeEntry {
  table_name: string;
  row_id: string;
  scope_change: boolean;
}

async function incrementalPage(trx: Db, ps: PullScope, cursor: Cursor, current: Record<string, number>, lastMutationId: number, opts: PullOptions): Promise<PullReply> {
  const v = { ...cursor.v };
  let budget = opts.pageSize;
  let more = false;
  const entries: ChangeEntry[] = [];
  for (const space of ps.spaceIds) {
    const [fromVersion, fromSeq] = v[space] ?? [0, WHOLE_VERSION];
    const to = current[space] ?? 0;
    if (to <= fromVersion && fromSeq === WHOLE_VERSION) continue; // nothing new here: the cheap path
    if (budget <= 0) {
      more = true;
      continue;
    }
    const rows = await trx
      .selectFrom('changes')
      .select(['version', 'seq', 'table_name', 'row_id', 'scope_change'])
      .where('space_id', '=', space)
      .where((eb) => eb.or([eb('version', '>', fromVersion), eb.and([eb('version', '=', fromVersion), eb('seq', '>', fromSeq)])]))
      .where('version', '<=', to)
      .where((eb) =>
        eb.or([
          ...(ps.memberId ? [sql<boolean>`${ps.memberId}::uuid = any(member_ids)`] : []),
          ...(ps.anchorPaths.length ? [eb.and([eb('unit_wide', '=', true), eb('unit_path', 'in', ps.anchorPaths)])] : []),
          underAny('unit_path', ps.prefixes),
        ]),
      )
      .orderBy('version')
      .orderBy('seq')
      .limit(budget + 1)
      .execute();
    if (rows.length > budget) {
      rows.length = budget;
      const last = rows[rows.length - 1]!;
      v[space] = [Number(last.version), Number(last.seq)];
      more = true;
    } else {
      v[space] = [to, WHOLE_VERSION];
    }
    budget -= rows.length;
    entries.push(...rows);
  }
  const patch = await patchFor(trx, ps, entries);
  return { cursor: encodeCursor({ k: ps.key, v }), more, lastMutationId, patch };
}

/**
 * Turns change entries into steps: each named row as it is now, if the device may still hold
 * it, else a delete (it left the device's scope, or was deleted); a row whose audience changed
 * brings what depends on it to a device newly given it (a reassigned household's history).
 */
async function patchFor(trx: Db, ps: PullScope, entries: ChangeEntry[]): Promise<PatchOp[]> {
  const wanted = new Map<string, { ids: Set<string>; moved: Set<string> }>();
  for (const e of entries) {
    if (!isSyncTable(e.table_name)) continue; // a kind this server no longer knows
    const w = wanted.get(e.table_name) ?? { ids: new Set(), moved: new Set() };
    w.ids.add(e.row_id);
    if (e.scope_change) w.moved.add(e.row_id);
    wanted.set(e.table_name, w);
  }
  const patch: PatchOp[] = [];
  const put = (table: string, rows: Record<string, unknown>[]) => rows.forEach((row) => patch.push({ op: 'put', table, row } as PatchOp));
  for (const kind of allKinds()) {
    const w = wanted.get(kind.table);
    if (!w) continue;
    const rows = await visibleRows(trx, kindOf(kind.table), ps, [...w.ids]);
    put(kind.table, rows);
    const found = new Set(rows.map((r) => r.id as string));
    for (const id of w.ids) if (!found.has(id)) patch.push({ op: 'del', table: kind.table, id } as PatchOp);
    const given = rows.filter((r) => w.moved.has(r.id as string)).map((r) => r.id as string);
    for (const dep of await dependants(trx, ps, kind.table, given)) put(dep.table, dep.rows);
  }
  return patch;
}
