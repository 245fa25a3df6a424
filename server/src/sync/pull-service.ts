import { sql, type Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import { SYNC_TABLES, type PatchOp, type PullReply, type SyncTable } from '@shared/sync/protocol.ts';
import type { Database } from '../db/database.ts';
import type { ChangeTable } from './change-buffer.ts';
import { decodeCursor, encodeCursor, WHOLE_VERSION, type Cursor } from './pull-cursor.ts';
import { resolvePullScope, underAny, type PullScope } from './pull-scope.ts';
import { householdRecords, loadRows } from './pull-tables.ts';

type Db = Kysely<Database>;

export interface PullOptions {
  /** Rows (snapshot) or change entries (incremental) per page. */
  pageSize: number;
}

/**
 * One page of a pull, read in one REPEATABLE READ snapshot so that `lastMutationId` and the
 * rows agree. With no usable cursor the device gets `clear` and a paged snapshot of its scope;
 * afterwards only the change log since the cursor is read, so a pull with nothing new costs
 * a look at a few version rows whatever the size of the scope.
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
  const state = cursor?.s ?? { t: 0, after: null, base: current };
  const patch: PatchOp[] = cursor ? [] : [{ op: 'clear' }];
  let budget = opts.pageSize;
  let { t, after } = state;
  while (t < SYNC_TABLES.length && budget > 0) {
    const table = SYNC_TABLES[t]!;
    const rows = await loadRows(trx, table, ps, { after, limit: budget });
    for (const row of rows) patch.push({ op: 'put', table, row } as PatchOp);
    budget -= rows.length;
    if (budget > 0) {
      t += 1;
      after = null;
    } else {
      after = rows[rows.length - 1]!.id;
    }
  }
  if (t < SYNC_TABLES.length) {
    return { cursor: encodeCursor({ k: ps.key, v: {}, s: { t, after, base: state.base } }), more: true, lastMutationId, patch };
  }
  const v = Object.fromEntries(ps.spaceIds.map((s) => [s, [state.base[s] ?? 0, WHOLE_VERSION] as [number, number]]));
  const more = ps.spaceIds.some((s) => (current[s] ?? 0) > (state.base[s] ?? 0));
  return { cursor: encodeCursor({ k: ps.key, v }), more, lastMutationId, patch };
}

interface ChangeEntry {
  space_id: string;
  version: number;
  seq: number;
  table_name: string;
  row_id: string;
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
      .select(['space_id', 'version', 'seq', 'table_name', 'row_id'])
      .where('space_id', '=', space)
      .where((eb) => eb.or([eb('version', '>', fromVersion), eb.and([eb('version', '=', fromVersion), eb('seq', '>', fromSeq)])]))
      .where('version', '<=', to)
      .where((eb) =>
        eb.or([
          sql<boolean>`${ps.memberId}::uuid = any(member_ids)`,
          ...underAny(eb, 'unit_path', ps.prefixes),
          ...(ps.memberUnitPaths.length ? [eb.and([eb('table_name', 'in', ['units', 'members']), eb('unit_path', 'in', ps.memberUnitPaths)])] : []),
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
    entries.push(...(rows as unknown as ChangeEntry[]));
  }
  const patch = await patchFor(trx, ps, entries);
  return { cursor: encodeCursor({ k: ps.key, v }), more, lastMutationId, patch };
}

/** Turns change entries into puts of the rows as they are now, and deletes for households gone. */
async function patchFor(trx: Db, ps: PullScope, entries: ChangeEntry[]): Promise<PatchOp[]> {
  const ids = new Map<ChangeTable, Set<string>>();
  for (const e of entries) {
    const table = e.table_name as ChangeTable;
    if (!ids.has(table)) ids.set(table, new Set());
    ids.get(table)!.add(e.row_id);
  }
  const patch: PatchOp[] = [];
  const put = (table: SyncTable, rows: { id: string }[]) => rows.forEach((row) => patch.push({ op: 'put', table, row } as PatchOp));
  for (const table of SYNC_TABLES) {
    const want = ids.get(table);
    if (want?.size) put(table, await loadRows(trx, table, ps, { ids: [...want] }));
  }
  // A household that changed hands: the new holder gets it with its records, the old one a delete.
  const moved = [...(ids.get('assignments') ?? [])];
  if (moved.length) {
    const visible = await loadRows(trx, 'households', ps, { ids: moved });
    put('households', visible);
    if (visible.length) {
      const records = await householdRecords(trx, ps, visible.map((h) => h.id));
      for (const table of ['visits', 'disputes', 'mediations', 'conflicts'] as const) put(table, records[table]);
    }
    const kept = new Set(visible.map((h) => h.id));
    for (const id of moved) if (!kept.has(id)) patch.push({ op: 'del', table: 'households', id });
  }
  return patch;
}
