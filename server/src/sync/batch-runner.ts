import { sql } from 'kysely';
import { DomainError } from '@shared/errors.ts';
import { isSyncTable, kindOf } from '@shared/sync/registry.ts';
import { loadByIds } from './row-codec.ts';
import { RowCache } from './kysely-mutator-tx.ts';
import { declaredReads, isInfrastructure, runInBatch, runLogged, type LoggedMutation, type RunOutcome } from './mutation-runner.ts';
import type { SyncWriter } from './sync-writer.ts';

/**
 * Runs a push's new mutations set-based (issue 14), with the outcome of each, in order, exactly
 * as running them one by one in savepoints would give:
 * - the rows the whole batch reads are read first, one query per table (each mutation declares
 *   its record and its kind's `reads`); the mutators then run in memory against that cache, each
 *   seeing the writes of those before it;
 * - new rows are inserted with one statement per table at the end, the change log and the
 *   mutation log likewise (by the caller); all of it inside one savepoint;
 * - a batch in which a mutation is refused is rolled back and run again without it: the ones
 *   before it as a batch, the refused one alone in its own savepoint (its refusal logged as
 *   `runLogged` logs it), the ones after it as the next batch. A batch that the database refuses
 *   only when its rows are written runs one by one, so the refusal stays with its mutation.
 * Trouble with the database itself is thrown, for the whole push to be retried.
 */
export async function runBatch(writer: SyncWriter, ms: readonly LoggedMutation[], now: Date, lang: 'zh' | 'en'): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (let i = 0; i < ms.length; ) i += await settle(writer, ms.slice(i), now, lang, out);
  return out;
}

/** Settles a leading part of `ms` (at least one), appending their outcomes; returns how many. */
async function settle(writer: SyncWriter, ms: readonly LoggedMutation[], now: Date, lang: 'zh' | 'en', out: RunOutcome[]): Promise<number> {
  const attempt = await tryBatch(writer, ms, now);
  if (attempt.outcomes) {
    out.push(...attempt.outcomes);
    return ms.length;
  }
  if (attempt.refusedAt === undefined) {
    // The database refused the batch's writes: one by one, each in its own savepoint.
    for (const m of ms) out.push(await runLogged(writer, m, now, lang));
    return ms.length;
  }
  const before = attempt.refusedAt > 0 ? await settle(writer, ms.slice(0, attempt.refusedAt), now, lang, out) : 0;
  if (before < attempt.refusedAt) return before;
  out.push(await runLogged(writer, ms[attempt.refusedAt]!, now, lang));
  return before + 1;
}

/** One attempt at a batch in a savepoint: all its outcomes, or where it failed (rolled back). */
async function tryBatch(writer: SyncWriter, ms: readonly LoggedMutation[], now: Date): Promise<{ outcomes?: RunOutcome[]; refusedAt?: number }> {
  const trx = writer.trx;
  await writer.flushPending();
  const mark = writer.changes.mark();
  const cache = new RowCache();
  const outcomes: RunOutcome[] = [];
  await sql`savepoint batch`.execute(trx);
  writer.deferInserts = true;
  let refusedAt: number | undefined;
  try {
    await readAhead(writer, cache, ms);
    for (const m of ms) {
      try {
        outcomes.push(await runInBatch(writer, cache, m, now));
      } catch (err) {
        if (!(err instanceof DomainError) && isInfrastructure(err)) throw err;
        refusedAt = outcomes.length;
        break;
      }
    }
    if (refusedAt === undefined) await writer.flushPending();
  } catch (err) {
    // Reading ahead or writing at the end failed (a mutation's own refusal is caught above).
    if (isInfrastructure(err)) throw err;
    await rollback(writer, mark);
    return {};
  } finally {
    writer.deferInserts = false;
  }
  if (refusedAt !== undefined) {
    await rollback(writer, mark);
    return { refusedAt };
  }
  await sql`release savepoint batch`.execute(trx);
  return { outcomes };
}

async function rollback(writer: SyncWriter, mark: number): Promise<void> {
  writer.discardPending();
  await sql`rollback to savepoint batch`.execute(writer.trx);
  writer.changes.rollbackTo(mark);
}

/**
 * Reads every row the batch declares, one query per table (and per lock mode), into the cache;
 * ids not found are cached as absent. The writer learns, in one more query, who sees what is
 * written about the households among them (what `household` visibility rules ask).
 */
async function readAhead(writer: SyncWriter, cache: RowCache, ms: readonly LoggedMutation[]): Promise<void> {
  const byTable = new Map<string, { plain: Set<string>; locked: Set<string> }>();
  for (const m of ms) {
    for (const r of declaredReads(m)) {
      if (!byTable.has(r.table)) byTable.set(r.table, { plain: new Set(), locked: new Set() });
      byTable.get(r.table)![r.lock ? 'locked' : 'plain'].add(r.id);
    }
  }
  const households: string[] = [];
  for (const [table, ids] of byTable) {
    if (!isSyncTable(table)) continue;
    const kind = kindOf(table);
    for (const [lock, set] of [[true, ids.locked], [false, new Set([...ids.plain].filter((id) => !ids.locked.has(id)))]] as const) {
      if (set.size === 0) continue;
      const rows = await loadByIds(writer.trx, kind, [...set], lock);
      for (const id of set) cache.rows.set(`${table}:${id}`, null);
      for (const row of rows) cache.rows.set(`${table}:${String(row.id)}`, row);
      if (lock) for (const id of set) cache.owned.add(`${table}:${id}`);
      if (table === 'households') households.push(...rows.map((r) => String(r.id)));
    }
  }
  await writer.knowHouseholds(households);
}
