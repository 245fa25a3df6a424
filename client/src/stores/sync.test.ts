import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { PullBody, PushBody } from '@shared/sync/protocol.ts';
import { seedVillage, visitArgs } from '../sync/testing/fake-server.ts';
import { useSessionStore } from './session.ts';
import { useSyncStore } from './sync.ts';

/** The real store over HTTP (fetch stubbed) to the in-memory server. */
function app() {
  const w = seedVillage();
  const net = { online: true };
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    if (!net.online) throw new TypeError('Failed to fetch');
    const body = JSON.parse(String(init.body)) as PushBody & PullBody;
    const reply = path === '/api/sync/push' ? await w.server.push(body, w.li.me) : w.server.pull(body, w.li.me);
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  setActivePinia(createPinia());
  const session = useSessionStore();
  session.token = 'tok';
  session.me = w.li.me;
  session.clientId = `dev-${crypto.randomUUID()}`;
  return { w, net, session, sync: useSyncStore() };
}

/** Live counts arrive a tick after the change. */
async function eventually(check: () => void) {
  for (let i = 0; ; i++) {
    try {
      check();
      return;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

afterEach(() => {
  useSyncStore().stop();
  vi.unstubAllGlobals();
});

describe('sync store', () => {
  it('opens the user’s store, syncs, and shows pending work live until it is pushed', async () => {
    const { w, net, sync } = app();
    await sync.start();
    await sync.syncNow();
    expect(sync.lastSyncedAt).not.toBeNull();
    expect(await sync.db!.households.count()).toBe(4);

    net.online = false;
    await sync.mutate('visit.create', visitArgs(w.households[0]!.id));
    await eventually(() => expect(sync.pending).toBe(1));
    await sync.syncNow();
    expect(sync.lastError).toBe('网络不可用，请检查网络后重试');
    expect(sync.pending).toBe(1);
    net.online = true;
    await sync.syncNow();
    await eventually(() => expect(sync.pending).toBe(0));
    expect(w.server.log.map((l) => l.status)).toEqual(['applied']);
    expect(sync.syncing).toBe(false);
    expect(sync.lastError).toBeNull();
  });

  it('counts refused work until the member discards it, and shows a refused change’s message to the caller', async () => {
    const { w, sync } = app();
    await sync.start();
    await sync.syncNow();
    await expect(sync.mutate('visit.create', visitArgs(w.other.id))).rejects.toThrow('找不到该住户');
    w.server.reassign(w.households[0]!.id, w.wang.member.id);
    w.server.now = new Date(w.server.now.getTime() + 60_000);
    await sync.mutate('visit.create', visitArgs(w.households[0]!.id));
    await sync.syncNow();
    await eventually(() => expect(sync.rejected).toBe(1));
    const [entry] = await sync.db!.rejected.toArray();
    await sync.discardRejected(entry!.id);
    await eventually(() => expect(sync.rejected).toBe(0));
  });

  it('stops cleanly: no store, no counts', async () => {
    const { sync } = app();
    await sync.start();
    sync.stop();
    expect(sync.db).toBeNull();
    expect(sync.pending).toBeNull(); // unknown, so "all synced" cannot show
    await expect(sync.mutate('visit.create', visitArgs(crypto.randomUUID()))).rejects.toThrow();
  });
});
