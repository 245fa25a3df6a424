import type { PatchOp, PullReply } from '@shared/sync/protocol.ts';
import type { MeReply } from '@shared/schemas/account.ts';
import type { LianxinDb } from '../db/lianxin-db.ts';
import type { Scope } from '@shared/domain/scope.ts';
import { scopeFromMe } from './client-context.ts';
import { clearKeeping, deferredDeletes, dropFreed, dropHouseholds, dropRecord, keepingFor } from './household-removal.ts';
import { loadMutate, loadedMutate } from './lazy-mutate.ts';
import { mutationTables } from './mutation-tables.ts';
import { continueNumbering } from './outbox-ids.ts';
import { pendingHouseholds } from './outbox-refs.ts';

export { deferredDeletes } from './household-removal.ts';

/**
 * Applies a page's steps; returns the number of rows written. Households leaving go together at
 * the end of the page, so what they take with them is decided once, over the page's rows.
 */
async function applyOps(db: LianxinDb, patch: PatchOp[], deferred: Set<string>, pending: ReadonlySet<string>, scope: Scope): Promise<number> {
  let rows = 0;
  const gone: string[] = [];
  const held = new Set(await db.households.toCollection().primaryKeys());
  const keeping = keepingFor(db, scope, held);
  // Consecutive puts go to IndexedDB as one bulk write per table, not one awaited write per row.
  const puts = new Map<string, { id: string }[]>();
  const flush = async () => {
    for (const [table, batch] of puts) await db.table(table).bulkPut(batch);
    puts.clear();
  };
  for (const op of patch) {
    if (op.op === 'put') {
      const batch = puts.get(op.table) ?? [];
      batch.push(op.row);
      puts.set(op.table, batch);
      if (op.table === 'households') {
        deferred.delete(op.row.id); // back in scope (or still)
        held.add(op.row.id);
      }
      rows++;
      continue;
    }
    await flush();
    if (op.op === 'clear') {
      // Kept for queued work: they leave after the snapshot unless it puts them again.
      const kept = await clearKeeping(db, pending);
      for (const id of kept) deferred.add(id);
      held.clear();
      for (const id of kept) held.add(id);
    } else if (op.table === 'households') {
      // A household leaving the device waits until the work queued for it has gone up.
      if (pending.has(op.id)) deferred.add(op.id);
      else gone.push(op.id);
    } else {
      await dropRecord(db, op.table, op.id, keeping);
    }
  }
  await flush();
  if (gone.length) {
    for (const id of gone) held.delete(id);
    await dropHouseholds(db, gone, keeping);
  }
  return rows;
}

/**
 * Applies one pull page in one transaction: the rows, the cursor, the acknowledgement of
 * pushed work (`lastMutationId`, read by the server in the same snapshot as the rows, so an
 * acknowledged mutation is never dropped before its effects arrive) and, after the last page,
 * the deferred deletions that are now free and the re-application of what is still queued
 * over the fresh rows. Returns the number of rows written.
 */
export async function applyPullPage(db: LianxinDb, reply: PullReply, me: MeReply, clientId: string): Promise<number> {
  // Queued work is replayed with the mutators, loaded before the transaction (an import awaited
  // inside it would end it). Work queued by another tab meanwhile is replayed just after.
  if (!reply.more && !loadedMutate() && (await db.outbox.count()) > 0) await loadMutate();
  let missed = false;
  const written = await db.transaction('rw', mutationTables(), async () => {
    if ((await db.getMeta<number>('lastMutationId')) === undefined) await continueNumbering(db, reply.lastMutationId);
    await db.outbox.where('id').belowOrEqual(reply.lastMutationId).delete();
    const deferred = new Set(await deferredDeletes(db));
    const pending = await pendingHouseholds(db);
    const rows = await applyOps(db, reply.patch, deferred, pending, await scopeFromMe(db, me));
    await db.setMeta('cursor', reply.cursor);
    await db.setMeta('lastMutationId', reply.lastMutationId);
    let waiting = [...deferred];
    if (!reply.more) {
      waiting = await dropFreed(db, deferred, pending, await scopeFromMe(db, me));
      const m = loadedMutate();
      if (m) await m.reapplyPending(db, me, clientId);
      else missed = (await db.outbox.count()) > 0;
    }
    await db.setMeta('deferredDeletes', waiting);
    return rows;
  });
  if (missed) {
    const { reapplyPending } = await loadMutate();
    await db.transaction('rw', mutationTables(), () => reapplyPending(db, me, clientId));
  }
  return written;
}
