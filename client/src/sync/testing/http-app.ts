import { vi } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { PullBody, PushBody } from '@shared/sync/protocol.ts';
import type { MeReply } from '@shared/schemas/account.ts';
import { ApiError } from '../../api/http.ts';
import { rememberUser } from '../../db/device-users.ts';
import { useSessionStore } from '../../stores/session.ts';
import { useSyncStore } from '../../stores/sync.ts';
import { seedVillage } from './fake-server.ts';
import { stubLocalStorage } from './memory-storage.ts';

/**
 * The app's real stores over HTTP (fetch stubbed) to the in-memory server, logged in as Li:
 * the server's refusals come back as the real server sends them (status and `{code, message}`),
 * and `net.fail` makes the next calls answer a bare status, as a down server behind a proxy does.
 * Needs fake-indexeddb/auto imported by the test file.
 */
export function httpApp(w = seedVillage()) {
  const net = { online: true, fail: [] as number[], as: w.li.me as MeReply };
  const storage = stubLocalStorage();
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    if (!net.online) throw new TypeError('Failed to fetch');
    const failure = net.fail.shift();
    if (failure) return new Response('<html>Bad Gateway</html>', { status: failure, headers: { 'content-type': 'text/html' } });
    const body = JSON.parse(String(init.body)) as PushBody & PullBody;
    try {
      const reply = path === '/api/sync/push' ? await w.server.push(body, net.as) : w.server.pull(body, net.as);
      return Response.json(reply);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return Response.json({ code: err.code, message: err.message, ...err.details }, { status: err.status });
    }
  });
  const pinia: Pinia = createPinia();
  setActivePinia(pinia);
  const session = useSessionStore();
  session.token = 'tok';
  session.me = w.li.me;
  session.clientId = `dev-${crypto.randomUUID()}`;
  // As a login does: this phone knows Li and the id Li's session is bound to.
  rememberUser({ userId: w.li.me.id, name: w.li.me.name, phone: w.li.me.phone }, session.clientId);
  return { w, net, storage, pinia, session, sync: useSyncStore() };
}

/** Live counts and engine state arrive a tick after the change. */
export async function eventually(check: () => void): Promise<void> {
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
