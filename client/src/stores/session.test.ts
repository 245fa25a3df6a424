import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { MeReply } from '@shared/schemas/account.ts';
import { deviceUser, rememberUser } from '../db/device-users.ts';
import { stubLocalStorage } from '../sync/testing/memory-storage.ts';
import { useSessionStore } from './session.ts';

const person = (id: string, name: string, phone: string, mustChangePassword = false): MeReply => ({ id, name, phone, roles: ['member'], mustChangePassword, member: null, units: [] });

/** A server whose phone numbers belong to `owners`; records the client ids logins were made with. */
function server(owners: Record<string, MeReply>) {
  const logins: string[] = [];
  const passwordChanges: unknown[] = [];
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
      return Response.json({ token, user: { id: user.id, name: user.name, roles: user.roles }, mustChangePassword: user.mustChangePassword });
    }
    if (path === '/api/auth/password') {
      passwordChanges.push(JSON.parse(String(init.body)));
      const user = tokens.get(auth)!;
      user.mustChangePassword = false;
      return Response.json({ ok: true });
    }
    if (path === '/api/auth/logout') {
      logouts.push(auth);
      return Response.json({ ok: true });
    }
    return Response.json(tokens.get(auth));
  });
  setActivePinia(createPinia());
  return { logins, logouts, passwordChanges, session: useSessionStore() };
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

describe('a password an admin reset (issue 10, accounts)', () => {
  it('after login with a temporary password, home is the change-password screen until it is changed', async () => {
    stubLocalStorage();
    const li = person('u-li', '李党员', '13800001001', true);
    const { passwordChanges, session } = server({ [li.phone]: li });
    await session.login(li.phone, 'Temp-abc123');
    expect(session.mustChangePassword).toBe(true);
    expect(session.homePath).toBe('/password');

    await session.changePassword('Temp-abc123', 'hello2026');
    expect(passwordChanges).toEqual([{ currentPassword: 'Temp-abc123', newPassword: 'hello2026' }]);
    expect(session.mustChangePassword).toBe(false);
    expect(session.homePath).toBe('/me');
  });

  it('the forced change survives a relaunch (the cached session keeps it) and is gone once done', async () => {
    stubLocalStorage();
    const li = person('u-li', '李党员', '13800001001', true);
    const first = server({ [li.phone]: li });
    await first.session.login(li.phone, 'Temp-abc123');

    setActivePinia(createPinia());
    const relaunched = useSessionStore();
    await relaunched.hydrate();
    expect(relaunched.mustChangePassword).toBe(true);
    await relaunched.changePassword('Temp-abc123', 'hello2026');

    setActivePinia(createPinia());
    const again = useSessionStore();
    await again.hydrate();
    expect(again.isAuthenticated).toBe(true);
    expect(again.mustChangePassword).toBe(false);
  });

  it('a refused change (wrong temporary password) keeps the change forced', async () => {
    stubLocalStorage();
    const li = person('u-li', '李党员', '13800001001', true);
    const { session } = server({ [li.phone]: li });
    await session.login(li.phone, 'Temp-abc123');
    const real = globalThis.fetch;
    vi.stubGlobal('fetch', async (path: string, init: RequestInit) =>
      path === '/api/auth/password' ? Response.json({ code: 'CURRENT_PASSWORD_WRONG', message: 'x' }, { status: 422 }) : real(path, init),
    );
    await expect(session.changePassword('wrong', 'hello2026')).rejects.toMatchObject({ code: 'CURRENT_PASSWORD_WRONG' });
    expect(session.mustChangePassword).toBe(true);
  });
});
