import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { visitArgs } from '../sync/testing/fake-server.ts';
import { eventually, httpApp as app } from '../sync/testing/http-app.ts';
import { deviceUser } from '../db/device-users.ts';
import { useSyncStore } from './sync.ts';

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

describe('a shared phone and erased storage (issue 8)', () => {
  it('keeps what the store holds in the device marker: unsent work, and that it synced', async () => {
    const { w, net, sync } = app();
    await sync.start();
    await sync.syncNow();
    expect(deviceUser(w.li.me.id)).toMatchObject({ held: true, pending: 0 });
    net.online = false;
    await sync.mutate('visit.create', visitArgs(w.households[0]!.id));
    await eventually(() => expect(deviceUser(w.li.me.id)!.pending).toBe(1));
  });

  it('notices on start that the browser erased the store, says how many unsent records were lost, and resyncs from scratch', async () => {
    const { w, net, sync } = app();
    await sync.start();
    await sync.syncNow();
    net.online = false;
    await sync.mutate('visit.create', visitArgs(w.households[0]!.id));
    await sync.mutate('visit.create', visitArgs(w.households[1]!.id));
    await eventually(() => expect(sync.pending).toBe(2));
    sync.stop();
    await sync.start(); // an ordinary reopen: nothing was erased
    expect(sync.erased).toBeNull();
    sync.stop();

    await Dexie.delete(`lianxin-${w.li.me.id}`); // as clearing the site's data does
    net.online = true;
    await sync.start();
    expect(sync.erased).toEqual({ lost: 2 });
    await sync.syncNow();
    expect(await sync.db!.households.count()).toBe(4);
    expect(sync.lastError).toBeNull();
    expect(sync.erased).toEqual({ lost: 2 }); // until the member has read it, across reloads
    sync.stop();
    await sync.start();
    expect(sync.erased).toEqual({ lost: 2 });
    sync.dismissErased();
    sync.stop();
    await sync.start();
    expect(sync.erased).toBeNull();
  });

  it('a client id the server says is another user’s: the sync stops and this user gets a new id for good', async () => {
    const { w, session, sync } = app();
    const old = session.clientId!;
    w.server.pull({ clientId: old, cursor: null }, w.wang.me); // Wang synced with it first
    await sync.start();
    await eventually(() => expect(sync.notYours).toBe(true));
    expect(sync.lastErrorReason).toBe('notYours');
    expect(session.clientId).not.toBe(old);
    expect(deviceUser(w.li.me.id)!.clientId).toBe(session.clientId);
  });
});
