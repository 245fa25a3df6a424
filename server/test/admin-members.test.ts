import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '@shared/domain/audit-actions.ts';
import { auditChangeText } from '@shared/domain/audit-change.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';
import { auditOf, login, makeAdmin, userOf, type Headers } from './admin-helpers.ts';

describe.each(DB_KINDS)('admin console: disabling, moving members and grants on %s', (kind) => {
  let t: TestApp;
  let district: Headers;
  let adminA: { userId: string; headers: Headers };
  let adminB: Headers;
  beforeAll(async () => {
    t = await createTestApp(kind);
    district = await t.as('13800000001');
    adminA = await makeAdmin(t, district, t.unitNamed('石岭村').id, '13800009201');
    adminB = (await makeAdmin(t, district, t.unitNamed('龙塘村').id, '13800009202')).headers;
  });
  afterAll(() => t.close());

  const db = () => t.testDb.opened.db;
  const group1 = () => t.unitNamed('石岭村第一村民小组党支部');
  const group2 = () => t.unitNamed('石岭村第二村民小组党支部');
  const post = (url: string, headers: Headers, payload?: object) => t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

  /** A device of the member whose session is bound to it, as the phone app logs in. */
  const deviceOf = async (phone: string) => {
    const d = new TestDevice(t, phone);
    const { headers } = await login(t, phone, undefined, d.clientId);
    (d as unknown as { auth: Headers }).auth = headers!;
    return { d, headers: headers! };
  };

  it('disabling retires the devices: pending work is held for review, the desk session ends, login is refused; re-enabling restores them', async () => {
    const m = memberPhone(t.org, group1().id, 0);
    const userId = userOf(t, m.phone);
    const { d, headers } = await deviceOf(m.phone);
    await d.pull();
    const desk = (await login(t, m.phone)).headers!;
    const households = t.org.households.filter((h) => h.memberId === m.memberId);

    // Another village's admin changes nothing.
    expect((await post(`/api/admin/users/${userId}/disable`, adminB)).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/me', headers: desk })).statusCode).toBe(200);

    const res = await post(`/api/admin/users/${userId}/disable`, adminA.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ userId, disabledAt: expect.any(String) });
    expect((await t.app.inject({ url: '/api/me', headers: desk })).statusCode).toBe(401);
    expect((await login(t, m.phone)).res.json().code).toBe('ACCOUNT_DISABLED');
    expect((await login(t, m.phone, 'not-the-password')).res.json().code).toBe('BAD_CREDENTIALS');
    // The device may still hand in its work (held, not applied) and learn it is retired — nothing else.
    const visit = visitArgs(households[0]!.id);
    const reply = await d.push([d.mutation('visit.create', visit)]);
    expect(reply.results.map((r) => r.code)).toEqual(['HELD_FOR_REVIEW']);
    expect(await db().selectFrom('visits').select('id').where('id', '=', visit.id).execute()).toHaveLength(0);
    expect((await d.pullPage()).wipe).toBe('retire');
    expect((await t.app.inject({ url: '/api/households', headers })).statusCode).toBe(401);
    const held = (await t.app.inject({ url: '/api/reports/held', headers: await t.as(staffPhone(t.org, group1().id)) })).json().held as { args: { id: string } }[];
    expect(held.map((x) => x.args.id)).toContain(visit.id);
    expect((await t.app.inject({ url: '/api/admin/people?status=disabled', headers: adminA.headers })).json().people.map((p: { userId: string }) => p.userId)).toEqual([userId]);

    const enabled = await post(`/api/admin/users/${userId}/enable`, adminA.headers);
    expect(enabled.json()).toMatchObject({ userId, disabledAt: null });
    expect((await login(t, m.phone)).res.statusCode).toBe(200);
    // The same phone (its id survives the wipe) syncs afresh.
    d.cursor = null;
    const again = await d.pullPage();
    expect(again.wipe).toBeUndefined();
    expect(again.patch.some((p) => p.op === 'put' && p.table === 'households')).toBe(true);

    const [off] = await auditOf(t, 'user.disable', userId);
    expect(off).toMatchObject({ actor_user_id: adminA.userId, target_kind: 'users', before: { disabledAt: null }, after: { devicesRetired: [d.clientId] } });
    expect((await auditOf(t, 'user.enable', userId))[0]).toMatchObject({ after: { disabledAt: null, devicesRestored: [d.clientId] } });
  });

  it('a device reported lost stays lost when its owner is re-enabled; staff are disabled the same way; never oneself', async () => {
    const sup = staffPhone(t.org, group2().id);
    const supId = userOf(t, sup);
    expect((await post(`/api/admin/users/${supId}/disable`, adminA.headers)).statusCode).toBe(200);
    expect((await login(t, sup)).res.json().code).toBe('ACCOUNT_DISABLED');
    expect((await post(`/api/admin/users/${supId}/enable`, adminA.headers)).statusCode).toBe(200);
    expect((await login(t, sup)).res.statusCode).toBe(200);
    expect((await post(`/api/admin/users/${adminA.userId}/disable`, adminA.headers)).json().code).toBe('NOT_ON_SELF');

    const m = memberPhone(t.org, group1().id, 1);
    const { d } = await deviceOf(m.phone);
    await d.pull();
    await db().updateTable('sync_clients').set({ revoked_at: new Date(), revoke_kind: 'lost' }).where('client_id', '=', d.clientId).execute();
    const userId = userOf(t, m.phone);
    await post(`/api/admin/users/${userId}/disable`, adminA.headers);
    await post(`/api/admin/users/${userId}/enable`, adminA.headers);
    expect((await db().selectFrom('sync_clients').select('revoke_kind').where('client_id', '=', d.clientId).executeTakeFirstOrThrow()).revoke_kind).toBe('lost');
  });

  it('moving a member is refused while they hold households, or releases them when asked; the phone follows', async () => {
    const m = memberPhone(t.org, group1().id, 2);
    const held = t.org.households.filter((h) => h.memberId === m.memberId);
    const move = (payload: object, headers = adminA.headers) => post(`/api/admin/members/${m.memberId}/move`, headers, payload);
    const refused = await move({ unitId: group2().id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'MEMBER_HOLDS_HOUSEHOLDS', message: expect.stringContaining('住户') });
    expect((await db().selectFrom('members').select('unit_id').where('id', '=', m.memberId).executeTakeFirstOrThrow()).unit_id).toBe(group1().id);
    // Out of scope at either end, or not a liaison unit: refused.
    expect((await move({ unitId: t.unitNamed('龙塘村第一村民小组党支部').id, releaseHouseholds: true })).statusCode).toBe(403);
    expect((await move({ unitId: group2().id, releaseHouseholds: true }, adminB)).statusCode).toBe(403);
    expect((await move({ unitId: t.org.units.find((u) => u.kind === 'town')!.id, releaseHouseholds: true }, district)).json().code).toBe('UNIT_NOT_LIAISON');

    const { d } = await deviceOf(m.phone);
    await d.pull();
    expect(d.rows.get('households')?.size).toBe(held.length);
    const ok = await move({ unitId: group2().id, releaseHouseholds: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ id: m.memberId, unitId: group2().id, households: 0 });
    const left = await db().selectFrom('households').select(['member_id', 'unit_id']).where('id', 'in', held.map((h) => h.id)).execute();
    expect(left.every((h) => h.member_id === null && h.unit_id === group1().id)).toBe(true);
    await d.pull();
    expect(d.rows.get('households')?.size ?? 0).toBe(0);
    const entries = await auditOf(t, 'member.move', m.memberId);
    expect(entries.map((e) => e.unit_path.includes(group1().id) || e.unit_path.includes(group2().id))).toEqual([true, true]);
    expect(entries[0]).toMatchObject({ target_kind: 'members', before: { unitName: group1().name, households: held.length }, after: { unitName: group2().name, households: 0, releasedHouseholds: expect.arrayContaining(held.map((h) => h.id)) } });
    // Each release went through the one assignment rule and has its own entry.
    for (const h of held) expect(await auditOf(t, 'household.assign', h.id)).toEqual([expect.objectContaining({ after: expect.objectContaining({ memberId: null }) })]);
    // The audit screen shows the move in words.
    const seen = (await t.app.inject({ url: '/api/admin/audit?action=member.move', headers: adminA.headers })).json().entries;
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });

  it('grants: listed, added and taken back on units the caller administers; an admin keeps their last admin role', async () => {
    const m = memberPhone(t.org, group1().id, 3);
    const userId = userOf(t, m.phone);
    const grants = async (headers: Headers) => (await t.app.inject({ url: `/api/admin/users/${userId}/grants`, headers })).json().grants;
    expect(await grants(adminA.headers)).toEqual([]);
    expect((await post('/api/admin/grants', adminA.headers, { userId, role: 'supervisor', unitId: group1().id })).statusCode).toBe(201);
    expect((await post('/api/admin/grants', adminB, { userId, role: 'supervisor', unitId: group1().id })).statusCode).toBe(403);
    expect(await grants(adminA.headers)).toEqual([{ role: 'supervisor', unit: expect.objectContaining({ id: group1().id, kind: 'villager_group' }) }]);
    expect(await grants(adminB)).toEqual([]);

    const revoke = (headers: Headers, payload: object) => t.app.inject({ method: 'DELETE', url: '/api/admin/grants', headers, payload });
    expect((await revoke(adminB, { userId, role: 'supervisor', unitId: group1().id })).statusCode).toBe(403);
    expect(await grants(adminA.headers)).toHaveLength(1);
    expect((await revoke(adminA.headers, { userId, role: 'admin', unitId: group1().id })).statusCode).toBe(404);
    expect((await revoke(adminA.headers, { userId, role: 'supervisor', unitId: group1().id })).json()).toEqual({ ok: true });
    expect(await grants(adminA.headers)).toEqual([]);
    expect((await auditOf(t, 'grant.add', userId))[0]).toMatchObject({ after: { role: 'supervisor', unitId: group1().id } });
    expect((await auditOf(t, 'grant.revoke', userId))[0]).toMatchObject({ before: { role: 'supervisor', unitId: group1().id }, after: null });

    const last = await revoke(adminA.headers, { userId: adminA.userId, role: 'admin', unitId: t.unitNamed('石岭村').id });
    expect(last.statusCode).toBe(422);
    expect(last.json().code).toBe('LAST_ADMIN_GRANT');
    // With a second admin role, the first may go.
    expect((await post('/api/admin/grants', district, { userId: adminA.userId, role: 'admin', unitId: t.unitNamed('龙塘村').id })).statusCode).toBe(201);
    expect((await revoke((await login(t, '13800009201')).headers!, { userId: adminA.userId, role: 'admin', unitId: t.unitNamed('石岭村').id })).statusCode).toBe(200);
  });

  it('existing admin writes leave an audit entry in the same transaction: member create/update, staff create', async () => {
    const created = await post('/api/admin/members', district, { unitId: group1().id, name: '新党员', phone: '13800009299', password: 'demo1234' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect((await auditOf(t, 'member.create', id))[0]).toMatchObject({ after: { name: '新党员', phone: '13800009299', centralHousehold: false } });
    await t.app.inject({ method: 'PATCH', url: `/api/admin/members/${id}`, headers: district, payload: { centralHousehold: true } });
    expect((await auditOf(t, 'member.update', id))[0]).toMatchObject({ before: { centralHousehold: false }, after: { centralHousehold: true } });
    const staff = await db().selectFrom('audit_log').selectAll().where('action', '=', 'staff.create').execute();
    expect(staff.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(staff)).not.toContain('demo1234');
  });

  it('every entry these actions wrote reads in Chinese on the audit screen: labelled fields, named values, no raw codes', async () => {
    const mine = Object.keys(AUDIT_ACTIONS).filter((a) => !a.startsWith('household.'));
    const rows = await db().selectFrom('audit_log').selectAll().where('action', 'in', mine).execute();
    expect(new Set(rows.map((r) => r.action)).size).toBeGreaterThanOrEqual(8);
    for (const r of rows) {
      const text = auditChangeText(r.target_kind, r.before, r.after, 'zh');
      expect(text, `${r.action}: ${text}`).not.toMatch(/[A-Za-z]/);
      expect(text.length, r.action).toBeGreaterThan(0);
    }
  });
});
