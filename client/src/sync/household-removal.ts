import type { LianxinDb } from '../db/lianxin-db.ts';
import { pendingHouseholds } from './outbox-refs.ts';

/**
 * How households leave the device (DESIGN.md, scope changes): the server sends a `del` of the
 * household only; the device removes what it held because of it. A household that queued work
 * still refers to stays, remembered in meta `deferredDeletes`, until that work has gone up —
 * otherwise the member would lose sight of work the server has not judged yet.
 * Every function here runs inside the caller's transaction unless it says otherwise.
 */

/** Households the server took away while work for them was still queued. */
export async function deferredDeletes(db: LianxinDb): Promise<string[]> {
  return (await db.getMeta<string[]>('deferredDeletes')) ?? [];
}

/** Removes a household and what the device holds only because of it. */
export async function dropHousehold(db: LianxinDb, id: string): Promise<void> {
  await db.households.delete(id);
  await db.visits.where('householdId').equals(id).delete();
  const held = new Set(await db.households.toCollection().primaryKeys());
  const stillOurs = (householdIds: readonly string[]) => householdIds.some((h) => h !== id && held.has(h));
  for (const d of await db.disputes.where('householdIds').equals(id).toArray()) {
    if (stillOurs(d.householdIds)) continue; // another party is still the member's
    await dropDispute(db, d.id);
  }
  await db.conflicts.where('householdIds').equals(id).filter((c) => !stillOurs(c.householdIds)).delete();
}

/** A dispute leaves with its mediations (they are only reachable through it). */
export async function dropDispute(db: LianxinDb, id: string): Promise<void> {
  await db.mediations.where('disputeId').equals(id).delete();
  await db.disputes.delete(id);
}

/**
 * A `clear` (the server restarts the device's copy): empties the data tables but keeps the
 * households queued work refers to, with their records, so that work can still be re-applied
 * and shown. Returns the households kept: they count as taken away unless the snapshot that
 * follows puts them again.
 */
export async function clearKeeping(db: LianxinDb, keep: ReadonlySet<string>): Promise<string[]> {
  await Promise.all([db.units.clear(), db.members.clear()]);
  const kept = keep.size ? await db.households.where('id').anyOf([...keep]).primaryKeys() : [];
  if (kept.length === 0) {
    await Promise.all([db.households, db.visits, db.disputes, db.mediations, db.conflicts].map((t) => t.clear()));
    return [];
  }
  const ours = new Set(kept);
  const touchesOurs = (ids: readonly string[]) => ids.some((h) => ours.has(h));
  await db.households.filter((h) => !ours.has(h.id)).delete();
  await db.visits.filter((v) => !ours.has(v.householdId)).delete();
  await db.disputes.filter((d) => !touchesOurs(d.householdIds)).delete();
  const disputes = new Set(await db.disputes.toCollection().primaryKeys());
  await db.mediations.filter((m) => !disputes.has(m.disputeId)).delete();
  await db.conflicts.filter((c) => !touchesOurs(c.householdIds)).delete();
  return kept;
}

/** Drops the deferred households no queued work refers to any more; returns those still waiting. */
export async function dropFreed(db: LianxinDb, deferred: Iterable<string>, pending: ReadonlySet<string>): Promise<string[]> {
  const waiting: string[] = [];
  for (const id of deferred) {
    if (pending.has(id)) waiting.push(id);
    else await dropHousehold(db, id);
  }
  return waiting;
}

/** After a push: the households whose queued work is now up may leave. Its own transaction. */
export async function applyDeferredDeletes(db: LianxinDb): Promise<void> {
  await db.transaction('rw', [...db.dataTables(), db.outbox, db.meta], async () => {
    const deferred = await deferredDeletes(db);
    if (deferred.length === 0) return;
    const waiting = await dropFreed(db, deferred, await pendingHouseholds(db));
    await db.setMeta('deferredDeletes', waiting);
  });
}
