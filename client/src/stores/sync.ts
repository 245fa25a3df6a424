import { defineStore } from 'pinia';
import { liveQuery } from 'dexie';
import { computed, ref, shallowRef, watch } from 'vue';
import type { MutationArgs, MutationName } from '@shared/sync/registry.ts';
import { LianxinDb } from '../db/lianxin-db.ts';
import { loadMutate } from '../sync/lazy-mutate.ts';
import { discardReturned } from '../sync/returned-work.ts';
import { pokeEngine } from '../sync/poke-socket.ts';
import { detectErasure, noteHeld } from '../db/device-users.ts';
import { SyncEngine, type SyncState } from '../sync/sync-engine.ts';
import { httpTransport } from '../sync/http-transport.ts';
import { useSessionStore } from './session.ts';

const APP_VERSION = '0.2.0';

/**
 * What the views show about syncing — offline, syncing (with progress on a long first pull),
 * pending N, last synced, rejected N, conflicts N — and the one door through which they change
 * data (`mutate`). The work itself is in sync/sync-engine.ts.
 */
export const useSyncStore = defineStore('sync', () => {
  const session = useSessionStore();
  const db = shallowRef<LianxinDb | null>(null);
  const engine = shallowRef<SyncEngine | null>(null);
  const state = ref<SyncState | null>(null);
  const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** null until the device's store has answered: "all synced" must never show before we know. */
  const pending = ref<number | null>(null);
  const rejected = ref(0);
  const conflicts = ref(0);
  const cleanups: (() => void)[] = [];
  /** Denied persistence or a nearly full disk: unsent work is at risk, so the member is told. */
  /** Counts pokes: open reports refresh when something in the user's scope changed. */
  const pokes = ref(0);
  const storageWarning = ref<{ kind: 'denied' | 'low'; pct: number } | null>(null);
  /** The store was erased under the app (issue 8, item 10): how many unsent records went with it. */
  const erased = ref<{ lost: number } | null>(null);

  async function checkStorage(): Promise<void> {
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (!storage?.persist) return;
    const persisted = (await storage.persisted?.().catch(() => false)) || (await storage.persist().catch(() => false));
    const est = await storage.estimate?.().catch(() => null);
    const pct = est?.quota ? Math.round(((est.usage ?? 0) / est.quota) * 100) : 0;
    storageWarning.value = pct >= 90 ? { kind: 'low', pct } : persisted ? null : { kind: 'denied', pct };
  }

  const syncing = computed(() => state.value?.syncing ?? false);
  const progress = computed(() => state.value?.progress ?? null);
  const lastSyncedAt = computed(() => state.value?.lastSyncedAt ?? null);
  const lastError = computed(() => state.value?.lastError ?? null);
  /** Why the last sync failed (sync/failure-reason.ts); null while syncing works. */
  const lastErrorReason = computed(() => state.value?.lastErrorReason ?? null);
  /** The server refused this user's client id as another user's; the app renews it (App.vue). */
  const notYours = computed(() => state.value?.notYours ?? false);
  const wiped = computed(() => state.value?.wiped ?? null);

  function watchCount(query: () => Promise<number>, target: { value: number | null }) {
    const sub = liveQuery(query).subscribe({ next: (n) => (target.value = n), error: () => {} });
    cleanups.push(() => sub.unsubscribe());
  }

  let starting: Promise<void> | null = null;
  let generation = 0;

  /** Opens the device's store (one per user) and starts syncing for the logged-in user. */
  function start(): Promise<void> {
    if (engine.value || !session.me || !session.clientId) return Promise.resolve();
    starting ??= open(session.me.id, session.clientId, ++generation).finally(() => (starting = null));
    return starting;
  }

  async function open(userId: string, clientId: string, gen: number): Promise<void> {
    const store = new LianxinDb(`lianxin-${userId}`);
    // Before the engine writes its first facts: an empty store that should not be empty was erased.
    const empty = (await store.meta.count()) === 0 && (await store.outbox.count()) === 0;
    const lost = detectErasure(userId, empty);
    const e = new SyncEngine({ db: store, transport: httpTransport, clientId, getMe: () => session.me, appVersion: APP_VERSION });
    await e.init();
    if (gen !== generation) {
      store.close(); // stopped (logged out) while the store was opening
      return;
    }
    db.value = store;
    engine.value = e;
    state.value = e.state;
    erased.value = lost === null ? null : { lost };
    cleanups.push(
      e.onChange((s) => {
        state.value = s;
        if (s.lastSyncedAt) noteHeld(userId, { held: true });
        // Once: a new id for good; the user logs in again on it (App.vue tells them).
        if (s.notYours && session.clientId === clientId) session.renewClientId();
      }),
    );
    if (e.state.lastSyncedAt) noteHeld(userId, { held: true });
    // Deleted while open (the browser, or the member clearing site data): Dexie would quietly
    // recreate it empty on the next write, and the count of lost work with it. Stop writing and
    // open it again, so the member is told at once what was lost.
    store.on('versionchange', (ev: IDBVersionChangeEvent) => {
      if (ev.newVersion !== null) return; // an upgrade from another tab: Dexie's own handling
      store.close({ disableAutoOpen: true });
      if (gen === generation) {
        stop();
        void start();
      }
      return false;
    });
    watchCount(() => store.outbox.count(), pending);
    // Whose unsent work is on this phone, readable while they are logged out (device-users.ts).
    cleanups.push(watch(pending, (n) => n !== null && noteHeld(userId, { pending: n })));
    watchCount(() => store.rejected.count(), rejected);
    watchCount(() => store.conflicts.where('status').equals('open').count(), conflicts);
    if (typeof addEventListener === 'function') {
      const setOnline = () => (online.value = navigator.onLine);
      addEventListener('online', setOnline);
      addEventListener('offline', setOnline);
      cleanups.push(() => removeEventListener('online', setOnline), () => removeEventListener('offline', setOnline));
      setOnline(); // the network may have come back while the store was opening
    }
    cleanups.push(pokeEngine(() => session.token, e, () => pokes.value++));
    void checkStorage();
    e.start();
  }

  function stop(): void {
    generation++;
    cleanups.splice(0).forEach((f) => f());
    engine.value?.stop();
    db.value?.close();
    engine.value = null;
    db.value = null;
    state.value = null;
    pending.value = null;
    erased.value = null;
    rejected.value = conflicts.value = 0;
  }

  /** 立即同步: at once, with the backoff started over. */
  async function syncNow(): Promise<void> {
    await engine.value?.syncNow();
  }

  /** The member has read the erasure notice. */
  function dismissErased(): void {
    if (session.me) noteHeld(session.me.id, { erasedLost: null });
    erased.value = null;
  }

  /** Records a change on the device (and queues it); throws the rule's Chinese message if refused. */
  async function mutate<K extends MutationName>(name: K, args: MutationArgs[K]) {
    if (!db.value || !engine.value || !session.me || !session.clientId) throw new Error('sync not started');
    const { mutate: mutateLocal } = await loadMutate();
    const result = await mutateLocal({ db: db.value, clock: engine.value.clock, clientId: session.clientId, me: session.me }, name, args);
    if (online.value) void engine.value.sync();
    return result;
  }

  /** The member decided to drop a refused change: deliberately, never by itself. */
  async function discardRejected(id: number): Promise<void> {
    const entry = await db.value?.rejected.get(id);
    if (entry && db.value) await discardReturned(db.value, entry);
  }

  return { db, pokes, storageWarning, online, pending, rejected, conflicts, syncing, progress, lastSyncedAt, lastError, lastErrorReason, notYours, erased, wiped, start, stop, syncNow, dismissErased, mutate, discardRejected };
});
