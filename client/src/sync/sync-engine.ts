import { HlcClock } from '@shared/sync/hlc.ts';
import { SCHEMA_VERSION } from '@shared/sync/mutators.ts';
import type { PushReply, Telemetry } from '@shared/sync/protocol.ts';
import type { MeReply } from '@shared/schemas/account.ts';
import { ApiError } from '../api/http.ts';
import type { LianxinDb } from '../db/lianxin-db.ts';
import { applyPullPage } from './apply-pull.ts';
import { MUTATION_TABLES } from './mutate.ts';
import type { SyncTransport } from './transport.ts';

export interface SyncEngineOptions {
  db: LianxinDb;
  transport: SyncTransport;
  clientId: string;
  me: () => MeReply | null;
  appVersion: string;
  now?: () => Date;
  /** Mutations per push request. */
  batchSize?: number;
  /** Regular sync while the app is open, in ms. */
  intervalMs?: number;
  random?: () => number;
}

export interface SyncState {
  syncing: boolean;
  /** A first (or restarted) pull: pages and rows received so far. */
  progress: { pages: number; rows: number } | null;
  lastSyncedAt: string | null;
  lastError: string | null;
  /** The server no longer accepts the session; the user must log in again. */
  unauthorized: boolean;
  /** The device was revoked and its data erased. */
  wiped: 'retire' | 'lost' | null;
}

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60 * 1000;

/**
 * Push everything pending, then pull until done — one run at a time (and one tab at a time,
 * through Web Locks), started on demand, on start, on regaining the network, on becoming
 * visible, on a poke and on a timer; errors back off exponentially with jitter.
 */
export class SyncEngine {
  readonly clock: HlcClock;
  state: SyncState = { syncing: false, progress: null, lastSyncedAt: null, lastError: null, unauthorized: false, wiped: null };
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private interval: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<(s: SyncState) => void>();
  private readonly detach: (() => void)[] = [];
  private readonly now: () => Date;

  constructor(private readonly o: SyncEngineOptions) {
    this.now = o.now ?? (() => new Date());
    this.clock = new HlcClock(o.clientId, () => this.now().getTime());
  }

  /** Restores the clock and last sync time from the device; call once before use. */
  async init(): Promise<void> {
    const last = await this.o.db.getMeta<string>('hlc');
    if (last) this.clock.observe(last);
    this.set({ lastSyncedAt: (await this.o.db.getMeta<string>('lastSyncedAt')) ?? null, lastError: (await this.o.db.getMeta<string>('lastError')) ?? null });
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
    const w = globalThis as unknown as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener; document?: Document };
    if (w.addEventListener && w.removeEventListener) {
      const online = () => void this.sync();
      const visible = () => {
        if (w.document?.visibilityState === 'visible') void this.sync();
      };
      w.addEventListener('online', online);
      w.document?.addEventListener('visibilitychange', visible);
      this.detach.push(() => w.removeEventListener!('online', online), () => w.document?.removeEventListener('visibilitychange', visible));
    }
    this.interval = setInterval(() => void this.sync(), this.o.intervalMs ?? 60_000);
    void this.sync();
  }

  stop(): void {
    this.detach.splice(0).forEach((f) => f());
    if (this.interval) clearInterval(this.interval);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.interval = this.retryTimer = null;
  }

  /** The server said something changed in our scope. */
  poke(): void {
    void this.sync();
  }

  /** Runs a sync, or joins the one under way and asks for one more after it. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.exclusive(() => this.runOnce());
        } while (this.again && !this.state.unauthorized && !this.state.wiped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Only one tab of a browser pushes at a time, so mutations never reorder. */
  private async exclusive(run: () => Promise<void>): Promise<void> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (locks) await locks.request(`lianxin-sync-${this.o.clientId}`, run);
    else await run();
  }

  private async runOnce(): Promise<void> {
    const me = this.o.me();
    if (!me || this.state.unauthorized || this.state.wiped) return;
    this.set({ syncing: true });
    try {
      // A store that never spoke to the server learns where this device's numbering stands first.
      if ((await this.o.db.getMeta<number>('lastMutationId')) === undefined) await this.pullAll(me);
      await this.pushAll();
      await this.pullAll(me);
      this.failures = 0;
      const at = this.now().toISOString();
      await this.o.db.setMeta('lastSyncedAt', at);
      await this.o.db.setMeta('lastError', null);
      this.set({ lastSyncedAt: at, lastError: null });
    } catch (err) {
      await this.failed(err);
    } finally {
      this.set({ syncing: false, progress: null });
    }
  }

  private async failed(err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    await this.o.db.setMeta('lastError', message);
    await this.o.db.setMeta('lastErrorAt', this.now().toISOString());
    this.set({ lastError: message });
    if (err instanceof ApiError && err.status === 401) {
      this.set({ unauthorized: true });
      return;
    }
    if (err instanceof ApiError && err.code === 'CLIENT_REVOKED') {
      await this.wipe((err.details.kind as 'retire' | 'lost') ?? 'lost');
      return;
    }
    this.failures++;
    const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.failures - 1));
    const delay = base / 2 + (this.o.random ?? Math.random)() * (base / 2);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.sync(), delay);
  }

  /** Failed runs in a row (the backoff grows with it). */
  get failureCount(): number {
    return this.failures;
  }

  async telemetry(): Promise<Telemetry> {
    const db = this.o.db;
    const oldest = await db.outbox.orderBy('id').first();
    const t: Telemetry = {
      appVersion: this.o.appVersion,
      outboxLength: await db.outbox.count(),
      oldestPendingAt: oldest?.createdAt ?? null,
      lastError: (await db.getMeta<string | null>('lastError')) ?? null,
      lastErrorAt: (await db.getMeta<string | null>('lastErrorAt')) ?? null,
    };
    const storage = (globalThis.navigator as Navigator | undefined)?.storage;
    if (storage?.estimate) {
      const est = await storage.estimate().catch(() => null);
      if (est?.usage !== undefined) t.storageUsed = Math.round(est.usage);
      if (est?.quota !== undefined) t.storageQuota = Math.round(est.quota);
      if (storage.persisted) t.storagePersisted = await storage.persisted().catch(() => false);
    }
    return t;
  }

  private async pushAll(): Promise<void> {
    const db = this.o.db;
    let renumbered = false;
    for (;;) {
      const batch = await db.outbox.orderBy('id').limit(this.o.batchSize ?? 100).toArray();
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
        if (err instanceof ApiError && err.code === 'MUTATION_GAP' && !renumbered && typeof err.details.expected === 'number') {
          await this.renumber(err.details.expected);
          renumbered = true;
          continue;
        }
        throw err;
      }
      await this.settle(reply, batch);
    }
  }

  /** Moves refused work aside with its reason and drops everything the server has taken. */
  private async settle(reply: PushReply, batch: { id: number; name: string; args: unknown; hlc: string; createdAt: string }[]) {
    const db = this.o.db;
    const at = this.now().toISOString();
    await db.transaction('rw', db.outbox, db.rejected, async () => {
      for (const r of reply.results) {
        if (r.status !== 'rejected') continue;
        const entry = batch.find((e) => e.id === r.id);
        if (entry) await db.rejected.put({ ...entry, code: r.code ?? 'INTERNAL', message: r.message ?? '', rejectedAt: at });
      }
      await db.outbox.where('id').belowOrEqual(reply.lastMutationId).delete();
    });
    if (reply.lastMutationId < batch[batch.length - 1]!.id) throw new Error('push not acknowledged');
  }

  /**
   * The server expects a different next id — only after this device lost its own record of
   * ids (storage cleared, restored). Pending entries keep their order under new ids.
   */
  private async renumber(expected: number): Promise<void> {
    const db = this.o.db;
    await db.transaction('rw', db.outbox, db.meta, async () => {
      const entries = await db.outbox.orderBy('id').toArray();
      await db.outbox.clear();
      await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, id: expected + i })));
      await db.setMeta('nextMutationId', expected + entries.length);
    });
  }

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

  /** Erases everything on the device but its id; the app tells the member why. */
  private async wipe(kind: 'retire' | 'lost'): Promise<void> {
    const db = this.o.db;
    await db.transaction('rw', [...MUTATION_TABLES, 'rejected'], async () => {
      await Promise.all([...db.dataTables(), db.outbox, db.rejected].map((t) => t.clear()));
      await db.meta.where('key').noneOf(['nextMutationId', 'hlc']).delete();
    });
    this.stop();
    this.set({ wiped: kind });
  }
}
