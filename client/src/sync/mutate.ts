import type { HlcClock } from '@shared/sync/hlc.ts';
import { runMutation, validateArgs } from '@shared/sync/mutators.ts';
import type { MutatorResult } from '@shared/sync/mutator-tx.ts';
import type { MutationArgs, MutationName } from '@shared/sync/registry.ts';
import type { MeReply } from '@shared/schemas/account.ts';
import { DexieMutatorTx } from '../db/dexie-mutator-tx.ts';
import type { LianxinDb } from '../db/lianxin-db.ts';
import { scopeFromMe } from './client-context.ts';
import { mutationTables } from './mutation-tables.ts';
import { takeMutationId } from './outbox-ids.ts';

export interface MutateDeps {
  db: LianxinDb;
  clock: HlcClock;
  clientId: string;
  me: MeReply;
  now?: () => Date;
}


/**
 * Records a change on the phone: the shared mutator applies it to the local rows and the
 * outbox entry is added in the same Dexie transaction, so the screen never shows work that
 * is not queued, nor queues work that did not apply. A rule that says no throws (a
 * DomainError with the Chinese message) and leaves nothing behind.
 */
export async function mutate<K extends MutationName>(deps: MutateDeps, name: K, input: MutationArgs[K]): Promise<MutatorResult & { mutationId: number }> {
  // A plain copy, as the wire will carry it: a view may hand in a reactive proxy, which
  // IndexedDB cannot store, and later edits of the caller's object must not change queued work.
  const args = JSON.parse(JSON.stringify(input)) as MutationArgs[K];
  validateArgs(name, args);
  const { db } = deps;
  const now = (deps.now ?? (() => new Date()))().toISOString();
  return db.transaction('rw', mutationTables(), async () => {
    // Another tab of this browser may have stamped since: start from the last stamp stored.
    const stored = await db.getMeta<string>('hlc');
    if (stored) deps.clock.observe(stored);
    const hlc = deps.clock.tick();
    const ctx = { side: 'client' as const, userId: deps.me.id, memberId: deps.me.member?.id ?? null, scope: await scopeFromMe(db, deps.me), hlc, now, deviceNow: Date.parse(now), clientId: deps.clientId };
    const result = await runMutation(new DexieMutatorTx(db, deps.me), ctx, name, args);
    // Taken inside the transaction: a refused change rolls it back and leaves no hole.
    const id = await takeMutationId(db);
    await db.outbox.add({ id, name, args, hlc, createdAt: now });
    await db.setMeta('hlc', hlc); // the clock restarts from here after a reload
    return { ...result, mutationId: id };
  });
}

/**
 * Re-runs queued mutations over fresh server rows (after a pull), so the member keeps seeing
 * their own pending work. A rule failing now is left for the server to judge.
 */
export async function reapplyPending(db: LianxinDb, me: MeReply, clientId: string): Promise<void> {
  const tx = new DexieMutatorTx(db, me);
  const scope = await scopeFromMe(db, me);
  for (const entry of await db.outbox.orderBy('id').toArray()) {
    const ctx = { side: 'client' as const, userId: me.id, memberId: me.member?.id ?? null, scope, hlc: entry.hlc, now: entry.createdAt, deviceNow: Date.parse(entry.createdAt), clientId };
    try {
      await runMutation(tx, ctx, entry.name, entry.args);
    } catch {
      // The server decides; its verdict arrives with the next push.
    }
  }
}
