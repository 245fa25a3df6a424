import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { MeReply } from '@shared/schemas/account.ts';
import { errorText, type ErrorCode } from '@shared/errors.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { ApiError } from '../../client/src/api/http.ts';
import { LianxinDb } from '../../client/src/db/lianxin-db.ts';
import { mutate } from '../../client/src/sync/mutate.ts';
import { SyncEngine } from '../../client/src/sync/sync-engine.ts';
import type { SyncTransport } from '../../client/src/sync/transport.ts';
import type { TestApp } from './test-app.ts';

/** Decides, per call, whether the network is up and whether an answer gets lost on the way back. */
export interface Network {
  online: boolean;
  /** Paths whose next answer is lost after the server acted on the request. */
  loseNextAnswer: Set<string>;
}

/** The app's real client (Dexie under fake-indexeddb, the sync engine) talking to the real server. */
export async function clientDevice(t: TestApp, phone: string, opts: { dbName?: string; clientId?: string } = {}) {
  const headers = await t.as(phone);
  const me = (await t.app.inject({ url: '/api/me', headers })).json() as MeReply;
  const net: Network = { online: true, loseNextAnswer: new Set() };
  const calls: string[] = [];
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    calls.push(path);
    if (!net.online) throw new ApiError(0, 'NETWORK', '网络不可用');
    const res = await t.app.inject({ method: 'POST', url: path, headers, payload: body as object });
    if (net.loseNextAnswer.delete(path)) throw new ApiError(0, 'TIMEOUT', '网络连接超时');
    const data = res.body ? res.json() : null;
    if (res.statusCode >= 300) {
      const { code, message: _m, ...details } = data as { code: ErrorCode; message: string };
      throw new ApiError(res.statusCode, code, errorText(code), details);
    }
    return data as T;
  };
  const transport: SyncTransport = {
    push: (b) => call('/api/sync/push', b),
    pull: (b) => call('/api/sync/pull', b),
  };
  const db = new LianxinDb(opts.dbName ?? `test-${uuidv7()}`, { indexedDB, IDBKeyRange });
  const clientId = opts.clientId ?? `dev-${uuidv7()}`;
  const engine = new SyncEngine({ db, transport, clientId, me: () => me, appVersion: 'test', now: () => t.clock.now, random: () => 0.5 });
  await engine.init();
  return {
    db, engine, me, net, calls, clientId,
    mutate: (name: Parameters<typeof mutate>[1], args: Parameters<typeof mutate>[2]) =>
      mutate({ db, clock: engine.clock, clientId, me, now: () => t.clock.now }, name, args as never),
    close: () => {
      engine.stop();
      db.close();
    },
  };
}
