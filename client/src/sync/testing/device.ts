import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { MeReply } from '@shared/schemas/account.ts';
import type { MutationArgs, MutationName } from '@shared/sync/registry.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { LianxinDb } from '../../db/lianxin-db.ts';
import { mutate } from '../mutate.ts';
import { SyncEngine, type SyncEngineOptions } from '../sync-engine.ts';
import type { FakeServer } from './fake-server.ts';

/** Opens a device store under fake-indexeddb; the same name opens the same store again. */
export function openDb(name = `test-${uuidv7()}`): LianxinDb {
  return new LianxinDb(name, { indexedDB, IDBKeyRange });
}

/** One phone of `me`: its store, its sync engine over the fake server, and its network. */
export async function openDevice(server: FakeServer, me: MeReply, opts: { dbName?: string; clientId?: string } & Partial<SyncEngineOptions> = {}) {
  const { dbName, clientId = `dev-${uuidv7()}`, ...engineOptions } = opts;
  const db = openDb(dbName);
  const link = server.device(me);
  const engine = new SyncEngine({ db, transport: link.transport, clientId, getMe: () => me, appVersion: 'test-1.0', now: () => server.now, random: () => 0.5, ...engineOptions });
  await engine.init();
  return {
    db, engine, clientId, me, ...link,
    mutate: <K extends MutationName>(name: K, args: MutationArgs[K]) => mutate({ db, clock: engine.clock, clientId, me, now: () => server.now }, name, args),
    pushes: () => link.calls.filter((c) => c.path === '/api/sync/push').length,
    pulls: () => link.calls.filter((c) => c.path === '/api/sync/pull').length,
    close: () => {
      engine.stop();
      db.close();
    },
  };
}
export type Device = Awaited<ReturnType<typeof openDevice>>;
