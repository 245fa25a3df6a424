import type { LianxinDb } from '../db/lianxin-db.ts';

/**
 * Mutation ids: they count up per client from 1 and are never reused, because the server
 * skips any id it has already taken as a retry. The next id lives in meta `nextMutationId`,
 * so it survives an empty outbox, a reload and a wipe. Entries leave the outbox only from the
 * bottom (acknowledged), so the queued ids are always consecutive.
 * These run inside the caller's transaction (outbox and meta).
 */

/** Hands out the next id. */
export async function takeMutationId(db: LianxinDb): Promise<number> {
  const id = (await db.getMeta<number>('nextMutationId')) ?? 1;
  await db.setMeta('nextMutationId', id + 1);
  return id;
}

/** Gives the queued entries new ids from `from` on, in their order; the next id follows them. */
export async function renumberOutbox(db: LianxinDb, from: number): Promise<void> {
  const entries = await db.outbox.orderBy('id').toArray();
  await db.outbox.clear();
  await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, id: from + i })));
  await db.setMeta('nextMutationId', from + entries.length);
}

/**
 * First contact of this store with the server (no `lastMutationId` pulled yet): if the server
 * already took mutations under this client id — the browser's storage was cleared and the id
 * survived — number queued and future work after them, or the server would skip it as retries.
 */
export async function continueNumbering(db: LianxinDb, serverLast: number): Promise<void> {
  const first = await db.outbox.orderBy('id').first();
  if (first && first.id <= serverLast) {
    await renumberOutbox(db, serverLast + 1); // the server never saw these: they came after its copy
    return;
  }
  if (((await db.getMeta<number>('nextMutationId')) ?? 1) <= serverLast) await db.setMeta('nextMutationId', serverLast + 1);
}

/**
 * A 409 MUTATION_GAP: the server's next id is `expected` but ours start above it — only after
 * this device lost its record of ids (storage restored). The whole queue takes ids from
 * `expected` on, in order. Nothing is dropped: with consecutive ids the server has taken none
 * of them (a gap can only sit before the first entry it has not seen), and were that ever
 * wrong, the server would answer the renumbered retry with another gap rather than lose work.
 */
export async function closeGap(db: LianxinDb, expected: number): Promise<void> {
  await renumberOutbox(db, expected);
}
