import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditChangeText } from '@shared/domain/audit-change.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { auditOf, login, makeAdmin, userOf, type Headers } from './admin-helpers.ts';

describe.each(DB_KINDS)('admin console: password resets, changes and unlocks on %s', (kind) => {
  let t: TestApp;
  let district: Headers;
  let adminA: { userId: string; headers: Headers };
  let adminB: Headers;
  beforeAll(async () => {
    t = await createTestApp(kind, { login: { maxFailures: 3, windowMs: 15 * 60 * 1000 } });
    district = await t.as('13800000001');
    adminA = await makeAdmin(t, district, t.unitNamed('石岭村').id, '13800009101');
    adminB = (await makeAdmin(t, district, t.unitNamed('龙塘村').id, '13800009102')).headers;
  });
  afterAll(() => t.close());

  const db = () => t.testDb.opened.db;
  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const post = (url: string, headers: Headers, payload?: object) => t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
  const hashOf = async (userId: string) => (await db().selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow()).password_hash;

  it('a reset gives a readable temporary password once; the next login must change it and may meanwhile only sync', async () => {
    const m = memberPhone(t.org, group().id, 0);
    const userId = userOf(t, m.phone);
    const old = (await login(t, m.phone)).headers!;
    const reset = await post(`/api/admin/users/${userId}/reset-password`, adminA.headers);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    const { temporaryPassword } = reset.json() as { temporaryPassword: string };
    expect(temporaryPassword).toMatch(/^[a-hj-km-np-z]{4}-[2-9]{4}$/);
    // Stored hashed only; the reset ended the old session; the old password no longer works.
    const hash = await hashOf(userId);
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain(temporaryPassword);
    expect((await t.app.inject({ url: '/api/me', headers: old })).statusCode).toBe(401);
    expect((await login(t, m.phone)).res.statusCode).toBe(401);

    const fresh = await login(t, m.phone, temporaryPassword, 'reset-phone-1');
    expect(fresh.res.json()).toMatchObject({ mustChangePassword: true });
    const h = fresh.headers!;
    const refused = await t.app.inject({ url: '/api/households', headers: h });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', message: expect.stringContaining('密码') });
    expect((await t.app.inject({ url: '/api/me', headers: h })).json()).toMatchObject({ mustChangePassword: true });
    // A phone with pending work keeps syncing under the temporary password.
    const pull = await post('/api/sync/pull', h, { clientId: 'reset-phone-1', cursor: null });
    expect(pull.statusCode, pull.body).toBe(200);

    const change = (payload: object) => post('/api/auth/password', h, payload);
    expect((await change({ currentPassword: 'wrong-one-1', newPassword: 'newpass123' })).json().code).toBe('CURRENT_PASSWORD_WRONG');
    expect((await change({ currentPassword: temporaryPassword, newPassword: 'abcdefghij' })).json().code).toBe('PASSWORD_WEAK');
    expect((await change({ currentPassword: temporaryPassword, newPassword: `x${m.phone}` })).json().code).toBe('PASSWORD_WEAK');
    expect((await change({ currentPassword: temporaryPassword, newPassword: 'short1' })).statusCode).toBe(400);
    expect((await change({ currentPassword: temporaryPassword, newPassword: 'lianxin2024' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/households', headers: h })).statusCode).toBe(200);
    const again = await login(t, m.phone, 'lianxin2024');
    expect(again.res.json()).toMatchObject({ mustChangePassword: false });

    const [entry] = await auditOf(t, 'user.reset_password', userId);
    expect(entry).toMatchObject({ actor_user_id: adminA.userId, target_kind: 'users', before: { mustChangePassword: false }, after: { mustChangePassword: true } });
    expect(entry!.unit_path).toContain(group().id);
    const everything = JSON.stringify(await db().selectFrom('audit_log').select(['before', 'after']).execute());
    expect(everything).not.toContain(temporaryPassword);
    expect(everything).not.toContain('scrypt');
    expect(auditChangeText('users', entry!.before, entry!.after)).toBe('须修改密码：否 → 是');
  });

  it('every user changes their own password; a normal login says no change is needed', async () => {
    const m = memberPhone(t.org, group().id, 1);
    const first = await login(t, m.phone);
    expect(first.res.json()).toMatchObject({ mustChangePassword: false });
    expect((await post('/api/auth/password', first.headers!, { currentPassword: 'demo1234', newPassword: 'demo1234' })).json().code).toBe('PASSWORD_UNCHANGED');
    expect((await post('/api/auth/password', first.headers!, { currentPassword: 'demo1234', newPassword: 'grid2024ok' })).statusCode).toBe(200);
    expect((await login(t, m.phone, 'grid2024ok')).res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'x', newPassword: 'grid2024ok' } })).statusCode).toBe(401);
  });

  it('an admin of another village resets nothing; nobody resets their own password through the admin door', async () => {
    const m = memberPhone(t.org, group().id, 2);
    const userId = userOf(t, m.phone);
    const before = await hashOf(userId);
    const res = await post(`/api/admin/users/${userId}/reset-password`, adminB);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect(await hashOf(userId)).toBe(before);
    const self = await post(`/api/admin/users/${adminA.userId}/reset-password`, adminA.headers);
    expect(self.json().code).toBe('NOT_ON_SELF');
    expect((await post('/api/admin/users/01900000-0000-7000-8000-000000000000/reset-password', adminA.headers)).statusCode).toBe(404);
  });

  it('a person who also holds a role beyond the caller’s subtrees is left to a higher admin', async () => {
    const m = memberPhone(t.org, group().id, 3);
    const userId = userOf(t, m.phone);
    const town = t.org.units.find((u) => u.kind === 'town')!;
    expect((await post('/api/admin/grants', district, { userId, role: 'supervisor', unitId: town.id })).statusCode).toBe(201);
    for (const action of ['reset-password', 'disable', 'unlock']) {
      const res = await post(`/api/admin/users/${userId}/${action}`, adminA.headers);
      expect(res.statusCode, action).toBe(403);
      expect(res.json().code).toBe('PERSON_BEYOND_SCOPE');
    }
    // The village admin sees the person, but not the role on the town.
    const seen = (await t.app.inject({ url: `/api/admin/people/${userId}`, headers: adminA.headers })).json();
    expect(seen.grants).toEqual([]);
    expect((await t.app.inject({ url: `/api/admin/people/${userId}`, headers: district })).json().grants).toHaveLength(1);
    expect((await post(`/api/admin/users/${userId}/reset-password`, district)).statusCode).toBe(200);
  });

  it('a locked-out phone shows as locked and an admin in scope unlocks it', async () => {
    const m = memberPhone(t.org, group().id, 4);
    const userId = userOf(t, m.phone);
    for (let i = 0; i < 3; i++) expect((await login(t, m.phone, 'wrong-pass')).res.statusCode).toBe(401);
    expect((await login(t, m.phone)).res.statusCode).toBe(429);
    const person = (headers: Headers) => t.app.inject({ url: `/api/admin/people/${userId}`, headers });
    expect((await person(adminA.headers)).json()).toMatchObject({ locked: true });
    expect((await t.app.inject({ url: '/api/admin/people?locked=true', headers: adminA.headers })).json().people.map((p: { userId: string }) => p.userId)).toEqual([userId]);

    const other = await post(`/api/admin/users/${userId}/unlock`, adminB);
    expect(other.statusCode).toBe(403);
    expect((await login(t, m.phone)).res.statusCode).toBe(429);

    const unlocked = await post(`/api/admin/users/${userId}/unlock`, adminA.headers);
    expect(unlocked.json()).toEqual({ ok: true, cleared: 3 });
    expect((await person(adminA.headers)).json()).toMatchObject({ locked: false });
    expect((await login(t, m.phone)).res.statusCode).toBe(200);
    expect(await auditOf(t, 'user.unlock', userId)).toEqual([expect.objectContaining({ before: { failures: 3 }, after: { failures: 0 } })]);
  });
});
