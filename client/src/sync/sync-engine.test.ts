import { afterEach, describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION } from '@shared/sync/mutators.ts';
import type { PullBody, PushBody } from '@shared/sync/protocol.ts';
import { ApiError } from '../api/http.ts';
import { applyPullPage } from './apply-pull.ts';
import { backoffDelay, MAX_BACKOFF_MS } from './backoff.ts';
import type { SyncState } from './sync-engine.ts';
import { openDevice, type Device } from './testing/device.ts';
import { apiError, seedVillage, visitArgs } from './testing/fake-server.ts';
import { FakeSocket, fakeBrowser } from './testing/fake-socket.ts';
import { pokeEngine } from './poke-socket.ts';

const opened: Device[] = [];
afterEach(() => {
  opened.splice(0).forEach((d) => d.close());
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
type World = ReturnType<typeof seedVillage>;
async function device(w: World, opts: Parameters<typeof openDevice>[2] = {}) {
  const d = await openDevice(w.server, w.li.me, opts);
  opened.push(d);
  return d;
}
const pushBodies = (d: Device) => d.calls.filter((c) => c.path === '/api/sync/push').map((c) => c.body as PushBody);
const pullBodies = (d: Device) => d.calls.filter((c) => c.path === '/api/sync/pull').map((c) => c.body as PullBody);
const later = (w: World, ms: number) => (w.server.now = new Date(w.server.now.getTime() + ms));

describe('push', () => {
  it('sends the queue oldest first in batches of at most 100, with the schema version and telemetry, and drops what the server took', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    const first = w.server.now.toISOString();
    for (let i = 0; i < 120; i++) {
      await d.mutate('visit.create', visitArgs(w.households[i % 4]!.id));
      later(w, 1000);
    }
    await d.engine.sync();
    const bodies = pushBodies(d);
    expect(bodies.map((b) => [b.mutations[0]!.id, b.mutations.at(-1)!.id, b.mutations.length])).toEqual([[1, 100, 100], [101, 120, 20]]);
    expect(bodies.every((b) => b.schemaVersion === SCHEMA_VERSION && b.clientId === d.clientId)).toBe(true);
    expect(bodies[0]!.mutations.map((m) => m.id)).toEqual([...Array(100).keys()].map((i) => i + 1));
    expect(bodies[0]!.telemetry).toMatchObject({ appVersion: 'test-1.0', outboxLength: 120, oldestPendingAt: first, lastError: null });
    expect(bodies[1]!.telemetry).toMatchObject({ outboxLength: 20 });
    expect(await d.db.outbox.count()).toBe(0);
    expect(w.server.log.filter((l) => l.status === 'applied')).toHaveLength(120);
    expect(w.server.rows.visits.size).toBe(120);
    expect(d.engine.state).toMatchObject({ syncing: false, lastError: null, lastSyncedAt: w.server.now.toISOString() });
  });

  it('a push whose answer was lost is retried without duplicates', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    const v = visitArgs(w.households[0]!.id);
    await d.mutate('visit.create', v);
    await d.mutate('visit.create', visitArgs(w.households[1]!.id));
    d.net.loseNextAnswer.add('/api/sync/push');
    await d.engine.sync();
    expect(d.engine.state.lastError).toMatch(/超时/);
    expect(await d.db.outbox.count()).toBe(2); // it cannot know the server took them
    expect(w.server.log).toHaveLength(2);

    await d.engine.sync();
    expect(pushBodies(d).at(-1)!.mutations.map((m) => m.id)).toEqual([1, 2]);
    expect(await d.db.outbox.count()).toBe(0);
    expect(w.server.log.map((l) => [l.id, l.status])).toEqual([[1, 'applied'], [2, 'applied']]);
    expect(w.server.rows.visits.size).toBe(2);
    expect(await d.db.visits.get(v.id)).toMatchObject({ id: v.id });
  });

  it('after a lost answer, the pulled lastMutationId acknowledges the entries: nothing is sent again', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    await d.mutate('visit.create', visitArgs(w.households[0]!.id));
    d.net.loseNextAnswer.add('/api/sync/push');
    await d.engine.sync();
    expect(await d.db.outbox.count()).toBe(1);

    const reply = await d.transport.pull({ clientId: d.clientId, cursor: (await d.db.getMeta<string>('cursor')) ?? null });
    expect(reply.lastMutationId).toBe(1);
    await applyPullPage(d.db, reply, w.li.me, d.clientId);
    expect(await d.db.outbox.count()).toBe(0);
    expect(await d.db.visits.count()).toBe(1);
    const pushes = d.pushes();
    await d.engine.sync();
    expect(d.pushes()).toBe(pushes);
    expect(w.server.log).toHaveLength(1);
  });

  it('moves a rejected mutation aside with its code and message, and does not let it block the others', async () => {
    const w = seedVillage();
    const d = await device(w, { batchSize: 2 });
    await d.engine.sync();
    const [gone, kept] = w.households;
    w.server.reassign(gone!.id, w.wang.member.id); // the phone does not know yet
    later(w, 60_000);
    const refused = visitArgs(gone!.id);
    await d.mutate('visit.create', refused);
    const fine = [visitArgs(kept!.id), visitArgs(kept!.id)];
    for (const v of fine) await d.mutate('visit.create', v);
    await d.engine.sync();

    expect(w.server.log.map((l) => [l.id, l.status, l.code])).toEqual([[1, 'rejected', 'OUT_OF_SCOPE'], [2, 'applied', undefined], [3, 'applied', undefined]]);
    expect(await d.db.outbox.count()).toBe(0);
    const rejected = await d.db.rejected.toArray();
    expect(rejected).toEqual([
      { id: 1, name: 'visit.create', args: refused, hlc: expect.any(String), createdAt: expect.any(String), code: 'OUT_OF_SCOPE', message: '该记录不在您的管辖范围内', rejectedAt: w.server.now.toISOString() },
    ]);
    expect(fine.every((v) => w.server.rows.visits.has(v.id))).toBe(true);
    // The refused visit's household has left the phone; what was typed has not.
    expect(await d.db.households.get(gone!.id)).toBeUndefined();
    expect((rejected[0]!.args as { summary: string }).summary).toBe(refused.summary);
  });

  it('renumbers queued work from the server’s expected id after a MUTATION_GAP, once', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    await d.db.setMeta('nextMutationId', 40); // as if this device had lost its record of ids
    const a = visitArgs(w.households[0]!.id);
    const b = visitArgs(w.households[1]!.id);
    await d.mutate('visit.create', a);
    await d.mutate('visit.create', b);
    expect((await d.db.outbox.toArray()).map((e) => e.id)).toEqual([40, 41]);
    await d.engine.sync();
    expect(pushBodies(d).map((p) => p.mutations.map((m) => m.id))).toEqual([[40, 41], [1, 2]]);
    expect(pushBodies(d)[1]!.mutations.map((m) => (m.args as { id: string }).id)).toEqual([a.id, b.id]); // order kept
    expect(w.server.log.map((l) => [l.id, l.status])).toEqual([[1, 'applied'], [2, 'applied']]);
    expect(await d.db.outbox.count()).toBe(0);
    expect(await d.db.getMeta('nextMutationId')).toBe(3);
    expect(d.engine.state.lastError).toBeNull();
  });

  it('a gap that persists after renumbering is an error, not a loop', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    await d.mutate('visit.create', visitArgs(w.households[0]!.id));
    d.net.failNext.set('/api/sync/push', [apiError('MUTATION_GAP', { expected: 5 }), apiError('MUTATION_GAP', { expected: 5 })]);
    await d.engine.sync();
    expect(d.pushes()).toBe(2);
    expect(d.engine.state.lastError).toBe('同步顺序不连续，正在重试');
    expect(d.engine.failureCount).toBe(1);
    expect((await d.db.outbox.toArray()).map((e) => e.id)).toEqual([5]);
  });
});

describe('pull', () => {
  it('pulls pages until done, reporting progress on a first pull, and storing the cursor', async () => {
    const w = seedVillage();
    w.server.pageSize = 3;
    const d = await device(w);
    const progress: SyncState['progress'][] = [];
    d.engine.onChange((s) => {
      if (s.progress !== progress.at(-1)) progress.push(s.progress);
    });
    await d.engine.sync();
    // 3 units + 2 members + 4 households = 9 rows: [clear + 2], 3, 3, 1.
    expect(progress.filter((p) => p !== null)).toEqual([{ pages: 1, rows: 2 }, { pages: 2, rows: 5 }, { pages: 3, rows: 8 }, { pages: 4, rows: 9 }]);
    expect(d.engine.state.progress).toBeNull();
    expect(await d.db.households.count()).toBe(4);
    expect(pullBodies(d).map((b) => b.cursor)).toEqual([null, 'v:2', 'v:5', 'v:8', 'v:10']);
    expect(await d.db.getMeta('cursor')).toBe('v:10');

    progress.length = 0;
    await d.engine.sync(); // nothing new: one page, no progress bar
    expect(progress.filter((p) => p !== null)).toEqual([]);
  });

  it('a wipe erases everything but the device’s identity, and says so', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    await d.mutate('visit.create', visitArgs(w.households[0]!.id));
    await d.db.rejected.add({ id: 99, name: 'visit.create', args: {}, hlc: 'h', createdAt: w.server.now.toISOString(), code: 'X', message: 'x', rejectedAt: w.server.now.toISOString() });
    const seen: SyncState['wiped'][] = [];
    d.engine.onChange((s) => seen.push(s.wiped));
    w.server.revoke(d.clientId, 'lost');
    await d.engine.sync();

    for (const t of d.db.tables.filter((t) => t.name !== 'meta')) expect(await t.count()).toBe(0);
    expect((await d.db.meta.toCollection().primaryKeys()).sort()).toEqual(['clientId', 'hlc', 'nextMutationId']);
    expect(await d.db.getMeta('nextMutationId')).toBe(2);
    expect(d.engine.state.wiped).toBe('lost');
    expect(seen).toContain('lost');
    const calls = d.calls.length;
    await d.engine.sync();
    expect(d.calls.length).toBe(calls);
  });

  it('a push refused because the device was retired wipes it too', async () => {
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    await d.mutate('visit.create', visitArgs(w.households[0]!.id));
    w.server.revoke(d.clientId, 'retire');
    await d.engine.sync();
    expect(d.engine.state.wiped).toBe('retire');
    expect(await d.db.households.count()).toBe(0);
    expect(await d.db.outbox.count()).toBe(0);
  });
});

/** Advances the fake clock; says whether a new request went out meanwhile. */
async function callsDuring(d: Device, ms: number): Promise<boolean> {
  const before = d.calls.length;
  await vi.advanceTimersByTimeAsync(ms);
  await d.engine.whenIdle();
  return d.calls.length !== before;
}

describe('the sync loop', () => {
  it('never runs two syncs at once; calls meanwhile join the run and ask for one more', async () => {
    const w = seedVillage();
    const d = await device(w);
    let inFlight = 0;
    let most = 0;
    let release!: () => void;
    let reached!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const atGate = new Promise<void>((r) => (reached = r));
    d.net.gate = async () => {
      most = Math.max(most, ++inFlight);
      reached();
      await held;
      inFlight--;
    };
    const p1 = d.engine.sync();
    await atGate; // the first request is on its way
    const p2 = d.engine.sync();
    d.engine.poke();
    const p3 = d.engine.sync();
    expect(p2).toBe(p1);
    expect(p3).toBe(p1);
    release();
    await p1;
    expect(most).toBe(1);
    // First run: the first-contact pull, nothing to push, the pull; then one more run (not three).
    expect(d.pulls()).toBe(3);
    await d.engine.sync();
    expect(d.pulls()).toBe(4);
  });

  it('takes the browser’s Web Lock so that one tab syncs at a time', async () => {
    const w = seedVillage();
    const d = await device(w);
    const request = vi.fn(async (_name: string, run: () => Promise<void>) => run());
    vi.stubGlobal('navigator', { locks: { request }, onLine: true });
    await d.engine.sync();
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0]![0]).toBe('lianxin-sync');
    expect(d.pulls()).toBe(2);
  });

  it('backs off after errors (1 s doubling, with jitter), records the error and sends it with the next successful call', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const w = seedVillage();
    const d = await device(w, { intervalMs: 3600_000 });
    await d.engine.sync();
    await d.mutate('visit.create', visitArgs(w.households[0]!.id));
    d.net.online = false;
    d.engine.start();
    await d.engine.whenIdle();
    expect(d.engine.failureCount).toBe(1);
    expect(d.engine.state.nextRetryAt).toBe(new Date(w.server.now.getTime() + 750).toISOString()); // 1 s, jitter 0.5
    expect(await d.db.getMeta('lastError')).toBe('网络不可用，请检查网络后重试');
    expect(await d.db.getMeta('lastErrorAt')).toBe(w.server.now.toISOString());

    const calls = d.calls.length;
    await vi.advanceTimersByTimeAsync(749);
    expect(d.calls.length).toBe(calls);
    await vi.advanceTimersByTimeAsync(1);
    await d.engine.whenIdle();
    expect(d.calls.length).toBe(calls + 1);
    expect(d.engine.failureCount).toBe(2);
    expect(d.engine.state.nextRetryAt).toBe(new Date(w.server.now.getTime() + 1500).toISOString());

    // A long error text is cut to what the wire accepts.
    d.net.online = true;
    d.net.failNext.set('/api/sync/push', [new ApiError(500, 'INTERNAL', 'x'.repeat(5000))]);
    await vi.advanceTimersByTimeAsync(1500);
    await d.engine.whenIdle();
    expect(d.engine.failureCount).toBe(3);
    expect(((await d.db.getMeta<string>('lastError')) ?? '').length).toBe(1000);

    await vi.advanceTimersByTimeAsync(3000);
    await d.engine.whenIdle();
    expect(d.engine.failureCount).toBe(0);
    expect(pushBodies(d).at(-1)!.telemetry).toMatchObject({ lastError: 'x'.repeat(1000), lastErrorAt: w.server.now.toISOString(), outboxLength: 1 });
    expect(await d.db.outbox.count()).toBe(0);
    expect(await d.db.getMeta('lastError')).toBeUndefined();
    expect(d.engine.state).toMatchObject({ lastError: null, nextRetryAt: null });
    await d.engine.sync(); // reported once: the next call no longer carries it
    expect(pullBodies(d).at(-1)!.telemetry).toMatchObject({ lastError: null, lastErrorAt: null, outboxLength: 0 });
  });

  it('while backing off, the regular timer leaves the retry to the backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const w = seedVillage();
    const d = await device(w, { intervalMs: 200 });
    d.net.online = false;
    d.engine.start();
    await d.engine.whenIdle();
    expect(await callsDuring(d, 749)).toBe(false); // three ticks of the timer, no request
    expect(await callsDuring(d, 1)).toBe(true); // the retry, when due
    expect(d.engine.failureCount).toBe(2);
  });

  it('the backoff doubles up to five minutes, jittered between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(9, () => 1)).toBe(256_000);
    expect(backoffDelay(10, () => 1)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(50, () => 0)).toBe(MAX_BACKOFF_MS / 2);
  });

  it('a refused session (401) stops the loop instead of retrying', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const w = seedVillage();
    const d = await device(w, { intervalMs: 1000 });
    d.net.failNext.set('/api/sync/pull', [apiError('SESSION_EXPIRED')]);
    d.engine.start();
    await d.engine.whenIdle();
    expect(d.engine.state).toMatchObject({ unauthorized: true, nextRetryAt: null, lastError: '登录已过期，请重新登录' });
    const calls = d.calls.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await d.engine.sync();
    expect(d.calls.length).toBe(calls);
  });

  it('syncs on start, on a poke, on the timer, on regaining the network and on becoming visible — until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    vi.stubGlobal('addEventListener', win.addEventListener.bind(win));
    vi.stubGlobal('removeEventListener', win.removeEventListener.bind(win));
    vi.stubGlobal('document', doc);
    const w = seedVillage();
    const d = await device(w, { intervalMs: 60_000 });
    const settle = () => d.engine.whenIdle();

    d.engine.start();
    await settle();
    expect(d.pulls()).toBe(2); // first contact, then the regular pull
    d.engine.poke();
    await settle();
    expect(d.pulls()).toBe(3);
    await vi.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(d.pulls()).toBe(4);
    win.dispatchEvent(new Event('online'));
    await settle();
    expect(d.pulls()).toBe(5);
    doc.dispatchEvent(new Event('visibilitychange')); // still hidden: nothing
    await settle();
    expect(d.pulls()).toBe(5);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(d.pulls()).toBe(6);

    d.engine.stop();
    win.dispatchEvent(new Event('online'));
    doc.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await settle();
    expect(d.pulls()).toBe(6);
  });

  it('reports storage use and persistence when the browser tells', async () => {
    vi.stubGlobal('navigator', { onLine: true, storage: { estimate: async () => ({ usage: 1234.4, quota: 5_000_000 }), persisted: async () => true } });
    const w = seedVillage();
    const d = await device(w);
    await d.engine.sync();
    expect(pullBodies(d)[0]!.telemetry).toMatchObject({ storageUsed: 1234, storageQuota: 5_000_000, storagePersisted: true, outboxLength: 0, oldestPendingAt: null });
  });
});

describe('a failing sync (issue 8, item 3)', () => {
  it('a busy server’s Retry-After is waited out before the next try, not the shorter backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const w = seedVillage();
    const d = await device(w, { intervalMs: 3600_000 });
    await d.engine.sync();
    await d.mutate('visit.create', visitArgs(w.households[0]!.id));
    d.net.failNext.set('/api/sync/push', [new ApiError(503, 'SERVER_BUSY', '服务器繁忙', { retryAfterSeconds: 12 })]);
    d.engine.start();
    await d.engine.whenIdle();
    expect(d.engine.failureCount).toBe(1);
    expect(d.engine.state.nextRetryAt).toBe(new Date(w.server.now.getTime() + 12_000).toISOString());
    const calls = d.calls.length;
    await vi.advanceTimersByTimeAsync(11_999);
    expect(d.calls.length).toBe(calls);
    await vi.advanceTimersByTimeAsync(1);
    await d.engine.whenIdle();
    expect(d.engine.failureCount).toBe(0);
    d.engine.stop();
    vi.useRealTimers();
  });

  const timers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  /** Fails `n` runs in a row through the backoff: the state an outage leaves behind. */
  async function failRuns(d: Device, n: number) {
    d.engine.start();
    await d.engine.whenIdle();
    while (d.engine.failureCount < n) await callsDuring(d, 60_000);
  }

  it('立即同步 after failures syncs at once, and the next retry waits the base delay, not a doubled one', async () => {
    timers();
    const w = seedVillage();
    const d = await device(w, { intervalMs: 3600_000 });
    d.net.online = false;
    await failRuns(d, 5);
    expect(d.engine.failureCount).toBe(5);
    const before = d.calls.length;

    await d.engine.syncNow(); // still down: it runs now, without waiting for the 16 s retry
    expect(d.calls.length).toBe(before + 1);
    expect(d.engine.failureCount).toBe(1);
    expect(d.engine.state.nextRetryAt).toBe(new Date(w.server.now.getTime() + 750).toISOString()); // 1 s, jitter 0.5
    expect(await callsDuring(d, 749)).toBe(false);
    expect(await callsDuring(d, 1)).toBe(true);

    d.net.online = true; // the server is back: one tap and it is done
    await d.engine.syncNow();
    expect(d.engine.failureCount).toBe(0);
    expect(d.engine.state).toMatchObject({ lastError: null, lastErrorReason: null, nextRetryAt: null });
  });

  it('tapping 立即同步 again and again during an outage never grows the wait', async () => {
    timers();
    const w = seedVillage();
    const d = await device(w, { intervalMs: 3600_000 });
    d.net.online = false;
    d.engine.start();
    await d.engine.whenIdle();
    for (let i = 0; i < 6; i++) await d.engine.syncNow();
    expect(d.engine.failureCount).toBe(1);
    expect(d.engine.state.nextRetryAt).toBe(new Date(w.server.now.getTime() + 750).toISOString());
  });

  it('a poke socket that comes back syncs at once and starts the backoff over', async () => {
    timers();
    vi.spyOn(Math, 'random').mockReturnValue(1); // the socket's own reconnect delay, unjittered
    fakeBrowser();
    const w = seedVillage();
    const d = await device(w, { intervalMs: 3600_000 });
    const close = pokeEngine(() => 'tok', d.engine);
    FakeSocket.all[0]!.open();
    d.net.online = false; // the server goes down: the socket drops, syncs fail
    FakeSocket.all[0]!.drop();
    await failRuns(d, 5); // the next retry is 16 s away
    const before = d.calls.length;
    d.net.online = true; // the server is back, still warming up: its first answer is a 503
    d.net.failNext.set('/api/sync/pull', [new ApiError(503, 'INTERNAL', 'busy')]);
    FakeSocket.all.at(-1)!.open();
    await d.engine.whenIdle();
    expect(d.calls.length).toBe(before + 1); // no timer advanced: the return itself synced
    expect(d.engine.failureCount).toBe(1); // and the backoff started over
    expect(d.engine.state.nextRetryAt).toBe(new Date(w.server.now.getTime() + 750).toISOString());
    expect(await callsDuring(d, 750)).toBe(true);
    expect(d.engine.state).toMatchObject({ lastError: null, lastErrorReason: null, nextRetryAt: null });
    close();
    vi.restoreAllMocks();
  });

  it('says why it failed, in a reason the status line explains, kept across a reload', async () => {
    timers();
    const w = seedVillage();
    const dbName = `test-${crypto.randomUUID()}`;
    const d = await device(w, { dbName, intervalMs: 3600_000 });
    const cases: [ApiError, string][] = [
      [apiError('INTERNAL'), 'server'],
      [new ApiError(503, 'INTERNAL', 'busy'), 'busy'],
      [new ApiError(502, 'INTERNAL', 'bad gateway'), 'unreachable'],
      [new ApiError(0, 'NETWORK', '网络不可用，请检查网络后重试'), 'unreachable'], // the phone is online (Node has no navigator): the server is not
      [new ApiError(0, 'TIMEOUT', '网络连接超时，请稍后重试'), 'timeout'],
      [apiError('VALIDATION_FAILED'), 'refused'],
    ];
    for (const [err, reason] of cases) {
      d.net.failNext.set('/api/sync/pull', [err]);
      await d.engine.syncNow();
      expect(d.engine.state.lastErrorReason).toBe(reason);
    }
    vi.stubGlobal('navigator', { onLine: false });
    d.net.online = false;
    await d.engine.syncNow();
    expect(d.engine.state.lastErrorReason).toBe('offline');
    d.close();
    const again = await device(w, { dbName, clientId: d.clientId, intervalMs: 3600_000 });
    expect(again.engine.state).toMatchObject({ lastErrorReason: 'offline', lastError: '网络不可用，请检查网络后重试' });
  });

  it('a client id that is another user’s stops the loop with its reason, instead of retrying for ever', async () => {
    timers();
    const w = seedVillage();
    const li = await device(w);
    await li.engine.sync();
    // Wang logs in on Li's browser, which had one client id for everyone before issue 8.
    const wang = await openDevice(w.server, w.wang.me, { clientId: li.clientId, intervalMs: 1000 });
    opened.push(wang);
    wang.engine.start();
    await wang.engine.whenIdle();
    expect(wang.engine.state).toMatchObject({ notYours: true, lastErrorReason: 'notYours', nextRetryAt: null });
    const calls = wang.calls.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await wang.engine.syncNow();
    expect(wang.calls.length).toBe(calls);
  });
});
