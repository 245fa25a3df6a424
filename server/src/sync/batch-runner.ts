import { DomainError } from '@shared/errors.ts';
import { isSyncTable, kindOf } from '@shared/sync/registry.ts';
import { loadByIds } from './row-codec.ts';
import { RowCache } from './kysely-mutator-tx.ts';
import { declaredReads, isInfrastructure, runInBatch, runLogged, type LoggedMutation, type RunOutcome } from './mutation-runner.ts';
import type { SyncWriter } from './sync-writer.ts';

/**
 * Thrown when a batch cannot be undone in part — a mutation was refused after the batch had
 * already written (an event, an update), or the database refused the batch's rows: the push's
 * transaction is rolled back and the push runs again with `runOneByOne`.
 */
export class OneByOne extends Error {
  constructor() {
    super('the push runs again, one mutation at a time');
  }
}

/**
 * Runs a push's new mutations set-based (issue 14), with the outcome of each, in order, exactly
 * as running them one by one in savepoints would give, and no savepoint when none is refused:
 * - the rows the whole batch reads are read first, one query per table (each mutation declares
 *   its record and its kind's `reads`); the mutators then run in memory against that cache, each
 *   seeing the writes of those before it;
 * - new rows are inserted with one statement per table at the end, the change log and the
 *   mutation log likewise (by the caller);
 * - a mutation refused before the batch wrote anything is set aside in memory: the ones before
 *   it run again as a batch, it runs alone in its own savepoint (its refusal logged as
 *   `runLogged` logs it), the ones after it form the next batch. Anything else throws
 *   `OneByOne`; trouble with the database itself is thrown as it is, for the push to be retried.
 */
export async function runBatch(writer: SyncWriter, ms: readonly LoggedMutation[], now: Date, lang: 'zh' | 'en'): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (let i = 0; i < ms.length; ) i += await settle(writer, ms.slice(i), now, lang, out);
  return out;
}

/** The path without batches: each mutation in its own savepoint. */
export async function runOneByOne(writer: SyncWriter, ms: readonly LoggedMutation[], now: Date, lang: 'zh' | 'en'): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (const m of ms) out.push(await runLogged(writer, m, now, lang));
  return out;
}

/** Settles a leading part of `ms` (at least one), appending their outcomes; returns how many. */
async function settle(writer: SyncWriter, ms: readonly LoggedMutation[], now: Date, lang: 'zh' | 'en', out: RunOutcome[]): Promise<number> {
  const attempt = await tryBatch(writer, ms, now);
  if (attempt.outcomes) {
    out.push(...attempt.outcomes);
    return ms.length;
  }
  const refusedAt = attempt.refusedAt!;
  const before = refusedAt > 0 ? await settle(writer, ms.slice(0, refusedAt), now, lang, out) : 0;
  if (before < refusedAt) return before;
  out.push(await runLogged(writer, ms[refusedAt]!, now, lang));
  return before + 1;
}

/** One attempt at a batch: all its outcomes, or the first refused, with nothing of it kept. */
async function tryBatch(writer: SyncWriter, ms: readonly LoggedMutation[], now: Date): Promise<{ outcomes?: RunOutcome[]; refusedAt?: number }> {
  await writer.flushPending();
  const mark = writer.changes.mark();
  const wrote = writer.writes;
  const cache = new RowCache();
  const outcomes: RunOutcome[] = [];
  writer.deferInserts = true;
  try {
    try {
      await readAhead(writer, cache, ms);
    } catch (err) {
      // A statement the database refused leaves the transaction unusable.
      if (isInfrastructure(err)) throw err;
      throw new OneByOne();
    }
    for (const m of ms) {
      try {
        outcomes.push(await runInBatch(writer, cache, m, now));
      } catch (err) {
        if (!(err instanceof DomainError) && isInfrastructure(err)) throw err;
        if (writer.writes !== wrote || !(err instanceof DomainError)) throw new OneByOne();
        // Nothing of the batch reached the database yet: forgetting it undoes it.
        writer.discardPending();
        writer.changes.rollbackTo(mark);
        return { refusedAt: outcomes.length };
      }
    }
    try {
      await writer.flushPending();
    } catch (err) {
      if (isInfrastructure(err)) throw err;
      throw new OneByOne();
    }
  } finally {
    writer.deferInserts = false;
  }
  return { outcomes };
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
