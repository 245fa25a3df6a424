import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { MeReply } from '@shared/schemas/account.ts';
import { deviceUser, rememberUser } from '../db/device-users.ts';
import { stubLocalStorage } from '../sync/testing/memory-storage.ts';
import { useSessionStore } from './session.ts';

const person = (id: string, name: string, phone: string): MeReply => ({ id, name, phone, roles: ['member'], mustChangePassword: false, member: null, units: [] });

/** A server whose phone numbers belong to `owners`; records the client ids logins were made with. */
function server(owners: Record<string, MeReply>) {
  const logins: string[] = [];
  const logouts: string[] = [];
  const tokens = new Map<string, MeReply>();
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    const auth = new Headers(init.headers).get('authorization')?.slice(7) ?? '';
    if (path === '/api/auth/login') {
      const body = JSON.parse(String(init.body)) as { phone: string; clientId: string };
      const user = owners[body.phone]!;
      const token = `t${tokens.size}`;
      tokens.set(token, user);
      logins.push(body.clientId);
      return Response.json({ token, user: { id: user.id, name: user.name, roles: user.roles } });
    }
    if (path === '/api/auth/logout') {
      logouts.push(auth);
      return Response.json({ ok: true });
    }
    return Response.json(tokens.get(auth));
  });
  setActivePinia(createPinia());
  return { logins, logouts, session: useSessionStore() };
}

afterEach(() => vi.unstubAllGlobals());

describe('logging in on a shared phone (issue 8, item 2)', () => {
  it('each person logs in with their own client id, the same one each time', async () => {
    stubLocalStorage();
    const wang = person('u-wang', '王党员', '13800001002');
    const li = person('u-li', '李党员', '13800001001');
    const { logins, session } = server({ [wang.phone]: wang, [li.phone]: li });
    await session.login(wang.phone, 'pw');
    const w = session.clientId;
    await session.logout();
    await session.login(li.phone, 'pw');
    const l = session.clientId;
    await session.logout();
    await session.login(wang.phone, 'pw');
    expect(w).not.toBe(l);
    expect(session.clientId).toBe(w);
    expect(logins).toEqual([w, l, w]);
    expect(deviceUser('u-li')).toMatchObject({ name: '李党员', clientId: l });
  });

  it('a number passed on to someone else: the session is made again on a new id, never on the old owner’s', async () => {
    stubLocalStorage();
    const wang = person('u-wang', '王党员', '13800001002');
    rememberUser({ userId: wang.id, name: wang.name, phone: wang.phone }, 'wang-id');
    const zhao = person('u-zhao', '赵党员', wang.phone);
    const { logins, logouts, session } = server({ [wang.phone]: zhao });
    await session.login(zhao.phone, 'pw');
    expect(logins[0]).toBe('wang-id'); // the guess, by phone number
    expect(logouts).toEqual(['t0']); // that session is dropped at once
    expect(logins[1]).not.toBe('wang-id');
    expect(session.clientId).toBe(logins[1]);
    expect(session.token).toBe('t1');
    expect(deviceUser('u-wang')!.clientId).toBe('wang-id');
  });
});
