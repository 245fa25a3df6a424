import { HlcClock } from '@shared/sync/hlc.ts';
import { SCHEMA_VERSION } from '@shared/sync/schema-version.ts';
import type { PushReply, Telemetry } from '@shared/sync/protocol.ts';
import type { MeReply } from '@shared/schemas/account.ts';
import { ApiError } from '../api/http.ts';
import type { LianxinDb, OutboxEntry } from '../db/lianxin-db.ts';
import { applyPullPage } from './apply-pull.ts';
import { backoffDelay } from './backoff.ts';
import { failureReason, storedReason, type FailureReason } from './failure-reason.ts';
import { scopeFromMe } from './client-context.ts';
import { applyDeferredDeletes } from './household-removal.ts';
import { closeGap } from './outbox-ids.ts';
import { collectTelemetry, errorText } from './telemetry.ts';
import type { SyncTransport } from './transport.ts';

export interface SyncEngineOptions {
  db: LianxinDb;
  transport: SyncTransport;
  clientId: string;
  /** The cached /api/me answer of the logged-in user (null: nobody, so nothing to sync). */
  getMe?: () => MeReply | null;
  /** The same as `getMe` (the name the server's client tests use). */
  me?: () => MeReply | null;
  appVersion: string;
  now?: () => Date;
  /** Mutations per push request (at most 100). */
  batchSize?: number;
  /** Regular sync while the app is open, in ms (default 60 s). */
  intervalMs?: number;
  /** For the backoff's jitter. */
  random?: () => number;
}

export interface SyncState {
  syncing: boolean;
  /** A first (or restarted) pull: pages and rows received so far, for a progress bar. */
  progress: { pages: number; rows: number } | null;
  lastSyncedAt: string | null;
  lastError: string | null;
  /** Why the last sync failed, for the status line (null: it did not). */
  lastErrorReason: FailureReason | null;
  /** When the next try after a failure is due (null: none scheduled). */
  nextRetryAt: string | null;
  /** The server no longer accepts the session; the user must log in again. */
  unauthorized: boolean;
  /**
   * The server says this client id is another user's: retrying cannot help. The app gives
   * the user a new id and asks them to log in again (the session is bound to the old id).
   */
  notYours: boolean;
  /** The device was revoked and its data erased; the app tells the member. */
  wiped: 'retire' | 'lost' | null;
}

const MAX_BATCH = 100;
export const SYNC_LOCK = 'lianxin-sync';

/**
 * Push everything pending, then pull until done — one run at a time (and one tab at a time,
 * through Web Locks, so mutations never reorder), started on demand, on start, on regaining
 * the network, on becoming visible, on a poke and on a timer; errors back off exponentially
 * with jitter. No Vue and no `window` needed: the store wraps it, tests run it in Node.
 */
export class SyncEngine {
  readonly clock: HlcClock;
  state: SyncState = { syncing: false, progress: null, lastSyncedAt: null, lastError: null, lastErrorReason: null, nextRetryAt: null, unauthorized: false, notYours: false, wiped: null };
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private failures = 0;
  private initialized: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private interval: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<(s: SyncState) => void>();
  private readonly detach: (() => void)[] = [];
  private readonly now: () => Date;
  private readonly getMe: () => MeReply | null;

  constructor(private readonly o: SyncEngineOptions) {
    this.now = o.now ?? (() => new Date());
    const getMe = o.getMe ?? o.me;
    if (!getMe) throw new Error('SyncEngine needs getMe');
    this.getMe = getMe;
    this.clock = new HlcClock(o.clientId, () => this.now().getTime());
  }

  /** Restores the clock and the last sync facts from the device; runs once (sync() calls it too). */
  init(): Promise<void> {
    this.initialized ??= (async () => {
      const db = this.o.db;
      const last = await db.getMeta<string>('hlc');
      if (last) this.clock.observe(last); // stamps keep rising even if the wall clock went back
      const stored = await db.getMeta<string>('clientId');
      if (stored !== this.o.clientId) {
        // A new client id over an old store (the id's storage was cleared): what the server took
        // under the old id says nothing about this one, so learn its numbering afresh.
        if (stored !== undefined) await db.meta.delete('lastMutationId');
        await db.setMeta('clientId', this.o.clientId);
      }
      const lastError = (await db.getMeta<string>('lastError')) ?? null;
      // A stored error without a reason (older app) still shows as a failure.
      const lastErrorReason = lastError === null ? null : (storedReason(await db.getMeta('lastErrorReason')) ?? 'unknown');
      this.set({ lastSyncedAt: (await db.getMeta<string>('lastSyncedAt')) ?? null, lastError, lastErrorReason });
    })();
    return this.initialized;
  }

  onChange(listener: (s: SyncState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<SyncState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  /** Starts the triggers and syncs at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const w = globalThis as unknown as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener; document?: Document };
    if (w.addEventListener && w.removeEventListener) {
      const online = () => void this.syncNow(); // the link is back: no need to wait out the backoff
      w.addEventListener('online', online);
      this.detach.push(() => w.removeEventListener!('online', online));
    }
    const doc = w.document;
    if (doc?.addEventListener) {
      const visible = () => {
        if (doc.visibilityState === 'visible') void this.sync();
      };
      doc.addEventListener('visibilitychange', visible);
      this.detach.push(() => doc.removeEventListener('visibilitychange', visible));
    }
    // The timer makes up for missed pokes; while backing off it leaves the retry to the backoff.
    this.interval = setInterval(() => {
      if (!this.retryTimer) void this.sync();
    }, this.o.intervalMs ?? 60_000);
    void this.sync();
  }

  stop(): void {
    this.started = false;
    this.detach.splice(0).forEach((f) => f());
    if (this.interval) clearInterval(this.interval);
    this.clearRetry();
    this.interval = null;
  }

  /** The server said something changed in our scope (poke socket). */
  poke(): void {
    void this.sync();
  }

  /**
   * The member tapped 立即同步, or the network or the poke socket came back: sync at once, and
   * start the backoff over — waiting out (or doubling) a delay earned during an outage that is
   * over would keep the member waiting for nothing.
   */
  syncNow(): Promise<void> {
    this.failures = 0;
    this.clearRetry();
    if (this.state.nextRetryAt) this.set({ nextRetryAt: null });
    return this.sync();
  }

  /** Runs a sync, or joins the one under way and asks for one more after it. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        await this.init();
        do {
          this.again = false;
          await this.exclusive(() => this.runOnce());
        } while (this.again && !this.stopped());
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Settles when no sync is running (without asking for one, unlike sync()). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Only one tab of a browser syncs at a time, so mutations never go up out of order. */
  private async exclusive(run: () => Promise<void>): Promise<void> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (locks?.request) await locks.request(SYNC_LOCK, run);
    else await run();
  }

  private async runOnce(): Promise<void> {
    const me = this.getMe();
    if (!me || this.stopped()) return;
    this.set({ syncing: true });
    try {
      // A store that never spoke to the server learns where this device's numbering stands first.
      if ((await this.o.db.getMeta<number>('lastMutationId')) === undefined) await this.pullAll(me);
      if (this.state.wiped) return;
      await this.pushAll();
      await applyDeferredDeletes(this.o.db, await scopeFromMe(this.o.db, me));
      await this.pullAll(me);
      if (this.state.wiped) return;
      await this.succeeded();
    } catch (err) {
      await this.failed(err);
    } finally {
      this.set({ syncing: false, progress: null });
    }
  }

  /** States only the member can end (logging in again); no sync runs in them. */
  private stopped(): boolean {
    return this.state.unauthorized || this.state.notYours || this.state.wiped !== null;
  }

  private async succeeded(): Promise<void> {
    this.failures = 0;
    this.clearRetry();
    const at = this.now().toISOString();
    const db = this.o.db;
    // The error went up as telemetry with this run's calls: forget it.
    await db.transaction('rw', db.meta, async () => {
      await db.setMeta('lastSyncedAt', at);
      await db.meta.bulkDelete(['lastError', 'lastErrorAt', 'lastErrorReason']);
    });
    this.set({ lastSyncedAt: at, lastError: null, lastErrorReason: null, nextRetryAt: null });
  }

  private async failed(err: unknown): Promise<void> {
    const message = errorText(err);
    const reason = failureReason(err, (globalThis.navigator as Navigator | undefined)?.onLine !== false);
    const at = this.now().toISOString();
    const db = this.o.db;
    await Promise.all([db.setMeta('lastError', message), db.setMeta('lastErrorAt', at), db.setMeta('lastErrorReason', reason)]).catch(() => {});
    this.set({ lastError: message, lastErrorReason: reason });
    if (reason === 'notYours') {
      // Retrying would spin for ever behind "加载中…" (issue 8): stop and let the app renew the id.
      this.stop();
      this.set({ notYours: true, nextRetryAt: null });
      return;
    }
    if (err instanceof ApiError && err.status === 401) {
      // Retrying cannot help; the session store sends the user to log in again.
      this.stop();
      this.set({ unauthorized: true, nextRetryAt: null });
      return;
    }
    if (err instanceof ApiError && err.code === 'CLIENT_REVOKED') {
      await this.wipe(err.details.kind === 'retire' ? 'retire' : 'lost');
      return;
    }
    this.failures++;
    if (!this.started) return; // a stopped engine does not wake itself up
    // A busy or rate-limited server says how long to stay away (503/429 with retryAfterSeconds):
    // coming back sooner only adds to its queue.
    const asked = err instanceof ApiError && typeof err.details.retryAfterSeconds === 'number' ? err.details.retryAfterSeconds * 1000 : 0;
    const delay = Math.max(backoffDelay(this.failures, this.o.random), asked);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.sync();
    }, delay);
    this.set({ nextRetryAt: new Date(this.now().getTime() + delay).toISOString() });
  }

  private clearRetry() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Failed runs in a row (the backoff grows with it). */
  get failureCount(): number {
    return this.failures;
  }

  telemetry(): Promise<Telemetry> {
    return collectTelemetry(this.o.db, this.o.appVersion, this.now());
  }

  /** Sends the queue in batches, oldest first, until it is empty. */
  private async pushAll(): Promise<void> {
    const db = this.o.db;
    let renumbered = false;
    for (;;) {
      const batch = await db.outbox.orderBy('id').limit(Math.min(MAX_BATCH, this.o.batchSize ?? MAX_BATCH)).toArray();
      if (batch.length === 0) return;
      let reply: PushReply;
      try {
        reply = await this.o.transport.push({
          clientId: this.o.clientId,
          schemaVersion: SCHEMA_VERSION,
          mutations: batch.map(({ id, name, args, hlc }) => ({ id, name, args, hlc })),
          telemetry: await this.telemetry(),
        });
      } catch (err) {
        const expected = err instanceof ApiError && err.code === 'MUTATION_GAP' ? err.details.expected : undefined;
        if (typeof expected === 'number' && !renumbered) {
          await db.transaction('rw', db.outbox, db.meta, () => closeGap(db, expected));
          renumbered = true; // once: a second gap means something else is wrong; back off instead
          continue;
        }
        throw err;
      }
      await this.settle(reply, batch);
    }
  }

  /** Moves refused work aside with its reason and drops everything the server has taken. */
  private async settle(reply: PushReply, batch: OutboxEntry[]): Promise<void> {
    const db = this.o.db;
    const at = this.now().toISOString();
    await db.transaction('rw', db.outbox, db.rejected, async () => {
      for (const r of reply.results) {
        if (r.status !== 'rejected') continue;
        const entry = batch.find((e) => e.id === r.id);
        // The message comes localised from the server; the code lets the app explain it offline.
        if (entry) await db.rejected.put({ ...entry, code: r.code ?? 'INTERNAL', message: r.message ?? '', rejectedAt: at });
      }
      await db.outbox.where('id').belowOrEqual(reply.lastMutationId).delete();
    });
    // Without this the loop would send the same batch forever.
    if (reply.lastMutationId < batch[batch.length - 1]!.id) throw new Error('push not acknowledged');
  }

  /** Pulls pages until the server has no more, each page in one transaction. */
  private async pullAll(me: MeReply): Promise<void> {
    const db = this.o.db;
    let cursor = (await db.getMeta<string | null>('cursor')) ?? null;
    const fresh = cursor === null;
    let pages = 0;
    let rows = 0;
    for (;;) {
      const reply = await this.o.transport.pull({ clientId: this.o.clientId, cursor, telemetry: await this.telemetry() });
      if (reply.wipe) {
        await this.wipe(reply.wipe);
        return;
      }
      rows += await applyPullPage(db, reply, me, this.o.clientId);
      pages++;
      if (fresh || pages > 1) this.set({ progress: { pages, rows } });
      cursor = reply.cursor;
      if (!reply.more) return;
    }
  }

  /**
   * Erases everything on the device but its identity: the client id, and the mutation
   * counter and clock (so an id or a stamp is never issued twice). The app tells the member why.
   */
  private async wipe(kind: 'retire' | 'lost'): Promise<void> {
    const db = this.o.db;
    await db.transaction('rw', db.tables, async () => {
      await Promise.all([...db.dataTables(), db.outbox, db.rejected].map((t) => t.clear()));
      await db.meta.where('key').noneOf(['clientId', 'nextMutationId', 'hlc']).delete();
    });
    this.stop();
    this.set({ wiped: kind, lastSyncedAt: null, lastError: null, lastErrorReason: null, nextRetryAt: null, progress: null });
  }
}
