import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';

describe.each(DB_KINDS)('health, login and sessions on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { sessionTtlMs: 60 * 60 * 1000, login: { maxFailures: 3, windowMs: 10 * 60 * 1000 } });
  });
  afterAll(() => t.close());

  const login = (phone: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password } });

  it('answers health with the database kind', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: kind, version: expect.any(String) });
  });

  it('logs a member in with phone and password and answers /api/me', async () => {
    const group = t.org.units.find((u) => u.kind === 'villager_group')!;
    const { phone, memberId } = memberPhone(t.org, group.id);
    const res = await login(phone, 'demo1234');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[\w-]{40,}$/);
    expect(body.user.roles).toEqual(['member']);
    const me = await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ phone, roles: ['member'], member: { id: memberId, unit: { id: group.id, kind: 'villager_group' } }, units: [] });
  });

  it('tells a supervisor which units they supervise', async () => {
    const town = t.org.units.find((u) => u.kind === 'town')!;
    const headers = await t.as(staffPhone(t.org, town.id));
    const me = (await t.app.inject({ url: '/api/me', headers })).json();
    expect(me.roles).toEqual(['supervisor']);
    expect(me.member).toBeNull();
    expect(me.units).toEqual([{ id: town.id, kind: 'town', name: town.name, role: 'supervisor' }]);
  });

  it('refuses a wrong password and an unknown phone alike, in Chinese by default', async () => {
    const wrong = await login('13800000003', 'not-the-password');
    const unknown = await login('13899999999', 'demo1234');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'BAD_CREDENTIALS', message: '手机号或密码不正确' });
    }
    const en = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en-US' }, payload: { phone: '13899999999', password: 'x' } });
    expect(en.json().message).toBe('Wrong phone number or password');
  });

  it('locks a phone after too many failures, even for the right password, and says when to retry', async () => {
    const phone = '13800000004';
    for (let i = 0; i < 3; i++) expect((await login(phone, 'wrong-password')).statusCode).toBe(401);
    const locked = await login(phone, 'demo1234');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.now = new Date(t.clock.now.getTime() + 11 * 60 * 1000);
    expect((await login(phone, 'demo1234')).statusCode).toBe(200);
  });

  it('refuses a request with no token, a bad token, or a malformed body', async () => {
    expect((await t.app.inject({ url: '/api/me' })).json().code).toBe('UNAUTHENTICATED');
    expect((await t.app.inject({ url: '/api/me', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: 13800000003 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });

  it('expires a session after its lifetime', async () => {
    const res = await login('13800000005', 'demo1234');
    const headers = { authorization: `Bearer ${res.json().token}` };
    expect((await t.app.inject({ url: '/api/me', headers })).statusCode).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 61 * 60 * 1000);
    const expired = await t.app.inject({ url: '/api/me', headers });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('SESSION_EXPIRED');
  });

  it('revokes a session on logout', async () => {
    const res = await login('13800000002', 'demo1234');
    const headers = { authorization: `Bearer ${res.json().token}` };
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me', headers })).json().code).toBe('UNAUTHENTICATED');
  });

  it('stores only a hash of the session token', async () => {
    const token = (await login('13800000001', 'demo1234')).json().token as string;
    const rows = await t.testDb.opened.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await t.app.inject({ url: '/api/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });
});
