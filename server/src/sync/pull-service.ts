import { sql, type Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import { allKinds, isSyncTable, kindOf } from '@shared/sync/registry.ts';
import type { PatchOp, PullReply } from '@shared/sync/protocol.ts';
import type { Database } from '../db/database.ts';
import { underAny } from '../access/scope-sql.ts';
import type { PullScope } from '../access/pull-scope.ts';
import { encodeCursor, WHOLE_VERSION, type Cursor } from './pull-cursor.ts';
import { dependants, snapshotRows, visibleRows } from './pull-rows.ts';
import { isCurrent, readPullState, usableCursor, type PullState } from './pull-state.ts';

type Db = Kysely<Database>;

export interface PullOptions {
  /** Rows (snapshot) or change entries (incremental) per page. */
  pageSize: number;
  /** A page stops once its rows pass this many bytes of JSON; the row that passes it is still sent. */
  pageBytes: number;
}

/** Bytes a row adds to the answer (its JSON; the patch op around it is small). */
const sizeOf = (row: unknown) => Buffer.byteLength(JSON.stringify(row));

/**
 * One page of a pull. (1) A cursor that already has every space's current version is answered
 * from `probed` — the state the route read in one statement — with no further query. (2) Anything
 * else is read in one REPEATABLE READ snapshot so that `lastMutationId` and the rows agree: with
 * no usable cursor, `clear` and a paged snapshot of the scope, kind by kind in the registry's
 * order; afterwards only the change log since the cursor.
 */
export async function pull(db: Db, scope: Scope, clientId: string, cursorText: string | null, opts: PullOptions, probed?: PullState): Promise<PullReply> {
  // 1.
  if (probed && cursorText) {
    const cursor = usableCursor(cursorText, probed);
    if (cursor && isCurrent(cursor, probed)) return { cursor: cursorText, more: false, lastMutationId: probed.lastMutationId, patch: [] };
  }
  // 2.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { state } = await readPullState(trx, scope, clientId);
      const cursor = usableCursor(cursorText, state);
      if (!cursor || cursor.s) return snapshotPage(trx, state, cursor, opts);
      return incrementalPage(trx, state, cursor, opts);
    });
}

const versionsOf = (state: PullState) => Object.fromEntries(Object.entries(state.spaces).map(([s, { version }]) => [s, version]));

async function snapshotPage(trx: Db, state: PullState, cursor: Cursor | null, opts: PullOptions): Promise<PullReply> {
  const { ps, lastMutationId } = state;
  const current = versionsOf(state);
  const kinds = allKinds();
  const snap = cursor?.s ?? { t: 0, after: null, base: current };
  const patch: PatchOp[] = cursor ? [] : [{ op: 'clear' }];
  let rowsLeft = opts.pageSize;
  let bytes = 0;
  let { t, after } = snap;
  while (t < kinds.length && rowsLeft > 0 && bytes < opts.pageBytes) {
    const kind = kinds[t]!;
    const rows = await snapshotRows(trx, kind, ps, after, rowsLeft);
    let taken = 0;
    for (const row of rows) {
      patch.push({ op: 'put', table: kind.table, row } as PatchOp);
      taken += 1;
      bytes += sizeOf(row);
      if (bytes >= opts.pageBytes) break;
    }
    rowsLeft -= taken;
    if (taken === rows.length && rowsLeft > 0) {
      t += 1; // this kind is done
      after = null;
    } else {
      after = rows[taken - 1]!.id as string;
    }
  }
  if (t < kinds.length) {
    return { cursor: encodeCursor({ k: ps.key, v: {}, s: { t, after, base: snap.base } }), more: true, lastMutationId, patch };
  }
  const v = Object.fromEntries(ps.spaceIds.map((s) => [s, [snap.base[s] ?? 0, WHOLE_VERSION] as [number, number]]));
  const more = ps.spaceIds.some((s) => (current[s] ?? 0) > (snap.base[s] ?? 0));
  return { cursor: encodeCursor({ k: ps.key, v }), more, lastMutationId, patch };
}

interface ChangeEntry {
  space: string;
  version: number;
  seq: number;
  table_name: string;
  row_id: string;
  scope_change: boolean;
}

async function incrementalPage(trx: Db, state: PullState, cursor: Cursor, opts: PullOptions): Promise<PullReply> {
  const { ps, lastMutationId } = state;
  const current = versionsOf(state);
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
    for (const r of rows) entries.push({ ...r, space, version: Number(r.version), seq: Number(r.seq) });
  }
  const steps = await stepsFor(trx, ps, entries);
  const kept = keepWithinBytes(entries, steps, opts.pageBytes);
  if (kept < entries.length) {
    // Cut by bytes: the last kept entry's space resumes after it; later spaces resume where they were.
    const last = entries[kept - 1]!;
    v[last.space] = [last.version, last.seq];
    for (const e of entries.slice(kept)) if (e.space !== last.space) v[e.space] = cursor.v[e.space] ?? [0, WHOLE_VERSION];
    more = true;
  }
  const named = new Set(entries.slice(0, kept).map(keyOf));
  const patch = [...steps].filter(([key]) => named.has(key)).flatMap(([, ops]) => ops);
  return { cursor: encodeCursor({ k: ps.key, v }), more, lastMutationId, patch };
}

const keyOf = (e: { table_name: string; row_id: string }) => `${e.table_name}:${e.row_id}`;

/**
 * How many entries, from the first, fit the byte budget: each costs the steps of its row the
 * first time the row is named (a later entry for the same row is already covered), and at
 * least one is always kept so that a page always moves on.
 */
function keepWithinBytes(entries: ChangeEntry[], steps: Map<string, PatchOp[]>, pageBytes: number): number {
  const counted = new Set<string>();
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const key = keyOf(entries[i]!);
    if (counted.has(key)) continue;
    counted.add(key);
    bytes += (steps.get(key) ?? []).reduce((n, op) => n + (op.op === 'put' ? sizeOf(op.row) : 50), 0);
    if (bytes > pageBytes && i > 0) return i;
  }
  return entries.length;
}

/**
 * Turns change entries into steps, per named row (in the registry's order of kinds): the row as
 * it is now, if the device may still hold it, else a delete (it left the device's scope, or was
 * deleted); a row whose audience changed brings what depends on it to a device newly given it
 * (a reassigned household's history).
 */
async function stepsFor(trx: Db, ps: PullScope, entries: ChangeEntry[]): Promise<Map<string, PatchOp[]>> {
  const wanted = new Map<string, { ids: Set<string>; moved: Set<string> }>();
  for (const e of entries) {
    if (!isSyncTable(e.table_name)) continue; // a kind this server no longer knows
    const w = wanted.get(e.table_name) ?? { ids: new Set(), moved: new Set() };
    w.ids.add(e.row_id);
    if (e.scope_change) w.moved.add(e.row_id);
    wanted.set(e.table_name, w);
  }
  const steps = new Map<string, PatchOp[]>();
  for (const kind of allKinds()) {
    const w = wanted.get(kind.table);
    if (!w) continue;
    const rows = await visibleRows(trx, kindOf(kind.table), ps, [...w.ids]);
    const found = new Map(rows.map((r) => [r.id as string, r]));
    for (const id of w.ids) {
      const row = found.get(id);
      steps.set(`${kind.table}:${id}`, [row ? ({ op: 'put', table: kind.table, row } as PatchOp) : ({ op: 'del', table: kind.table, id } as PatchOp)]);
    }
    // What the given rows bring is read in one go and travels with the first of them (the
    // earliest entry: a page that keeps any of them keeps that one; a put sent twice is harmless).
    const given = [...w.moved].filter((id) => found.has(id));
    if (given.length) {
      const ops = steps.get(`${kind.table}:${given[0]}`)!;
      for (const dep of await dependants(trx, ps, kind.table, given)) for (const r of dep.rows) ops.push({ op: 'put', table: dep.table, row: r } as PatchOp);
    }
  }
  return steps;
}
