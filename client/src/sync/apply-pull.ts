import type { PatchOp, PullReply } from '@shared/sync/protocol.ts';
import type { MeReply } from '@shared/schemas/account.ts';
import type { LianxinDb } from '../db/lianxin-db.ts';
import { MUTATION_TABLES, reapplyPending } from './mutate.ts';
import { pendingHouseholds } from './outbox-refs.ts';

const DEFERRED = 'deferredDeletes';

/** Removes a household and what the device holds only because of it. */
async function dropHousehold(db: LianxinDb, id: string): Promise<void> {
  await db.households.delete(id);
  await db.visits.where('householdId').equals(id).delete();
  const held = new Set(await db.households.toCollection().primaryKeys());
  const disputes = await db.disputes.where('householdIds').equals(id).toArray();
  for (const d of disputes) {
    if (d.householdIds.some((h) => h !== id && held.has(h))) continue; // another party is still ours
    await db.mediations.where('disputeId').equals(d.id).delete();
    await db.disputes.delete(d.id);
  }
  await db.conflicts.where('householdIds').equals(id).delete();
}

async function applyOps(db: LianxinDb, patch: PatchOp[], deferred: Set<string>, pending: Set<string>): Promise<number> {
  let rows = 0;
  for (const op of patch) {
    if (op.op === 'clear') {
      await Promise.all(db.dataTables().map((t) => t.clear()));
    } else if (op.op === 'put') {
      await db.table(op.table).put(op.row);
      rows++;
    } else if (op.table === 'households') {
      // A household leaving the device waits until the work queued for it has gone up.
      if (pending.has(op.id)) deferred.add(op.id);
      else await dropHousehold(db, op.id);
    } else {
      await db.table(op.table).delete(op.id);
    }
  }
  return rows;
}

/**
 * Applies one pull page in one transaction: the rows, the cursor, the acknowledgement of
 * pushed work (`lastMutationId`, read by the server in the same snapshot as the rows) and,
 * after the last page, the deferred deletions that are now free and the re-application of
 * what is still queued. Returns the number of rows written.
 */
export async function applyPullPage(db: LianxinDb, reply: PullReply, me: MeReply, clientId: string): Promise<number> {
  return db.transaction('rw', [...MUTATION_TABLES], async () => {
    if ((await db.getMeta<number>('lastMutationId')) === undefined) await continueNumbering(db, reply.lastMutationId);
    await db.outbox.where('id').belowOrEqual(reply.lastMutationId).delete();
    const deferred = new Set((await db.getMeta<string[]>(DEFERRED)) ?? []);
    const pending = await pendingHouseholds(db);
    const rows = await applyOps(db, reply.patch, deferred, pending);
    await db.setMeta('cursor', reply.cursor);
    await db.setMeta('lastMutationId', reply.lastMutationId);
    if (!reply.more) {
      for (const id of [...deferred]) {
        if (pending.has(id)) continue;
        await dropHousehold(db, id);
        deferred.delete(id);
      }
      await reapplyPending(db, me, clientId);
    }
    await db.setMeta(DEFERRED, [...deferred]);
    return rows;
  });
}

/**
 * First contact of this device's store with the server: if the server already took mutations
 * under this client id (the browser's storage was cleared, the id survived), number queued
 * work after them — otherwise the server would skip it as retries.
 */
async function continueNumbering(db: LianxinDb, serverLast: number): Promise<void> {
  const next = (await db.getMeta<number>('nextMutationId')) ?? 1;
  const first = await db.outbox.orderBy('id').first();
  if (!first || first.id > serverLast) {
    if (next <= serverLast) await db.setMeta('nextMutationId', serverLast + 1);
    return;
  }
  const entries = await db.outbox.orderBy('id').toArray();
  await db.outbox.clear();
  await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, id: serverLast + 1 + i })));
  await db.setMeta('nextMutationId', serverLast + 1 + entries.length);
}

/** Households that left the device's scope but stay until their queued work is pushed. */
export async function deferredDeletes(db: LianxinDb): Promise<string[]> {
  return (await db.getMeta<string[]>(DEFERRED)) ?? [];
}
