import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

describe.each(DB_KINDS)('revoking devices on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const db = () => t.testDb.opened.db;
  const revoke = async (phone: string, clientId: string, kind: 'retire' | 'lost') =>
    t.app.inject({ method: 'POST', url: `/api/devices/${clientId}/revoke`, headers: await t.as(phone), payload: { kind } });

  it('retire: the queued work is held, none applied, the device is wiped; the supervisor accepts or refuses each', async () => {
    const m = memberPhone(t.org, group().id, 0);
    const d = new TestDevice(t, m.phone);
    await d.pull();
    const h = t.org.households.filter((x) => x.memberId === m.memberId);
    expect((await revoke(staffPhone(t.org, t.unitNamed('东湖社区').id), d.clientId, 'retire')).statusCode).toBe(404);
    expect((await revoke(staffPhone(t.org, group().id), d.clientId, 'retire')).statusCode).toBe(200);

    const [a, b] = [visitArgs(h[0]!.id), visitArgs(h[1]!.id)];
    const reply = await d.push([d.mutation('visit.create', a), d.mutation('visit.create', b)]);
    expect(reply.lastMutationId).toBe(2);
    expect(reply.results.map((r) => r.code)).toEqual(['HELD_FOR_REVIEW', 'HELD_FOR_REVIEW']);
    expect(await db().selectFrom('visits').select('id').where('id', 'in', [a.id, b.id]).execute()).toHaveLength(0);
    expect((await d.pullPage()).wipe).toBe('retire');

    const sup = await t.as(staffPhone(t.org, group().id));
    const held = (await t.app.inject({ url: '/api/reports/held', headers: sup })).json().held as { id: number; args: { id: string } }[];
    expect(held.map((x) => x.args.id)).toEqual([a.id, b.id]);
    const accepted = await t.app.inject({ method: 'POST', url: `/api/reports/held/${held[0]!.id}`, headers: sup, payload: { decision: 'accept' } });
    expect(accepted.json()).toMatchObject({ decision: 'accept', status: 'applied' });
    const refused = await t.app.inject({ method: 'POST', url: `/api/reports/held/${held[1]!.id}`, headers: sup, payload: { decision: 'refuse' } });
    expect(refused.json()).toMatchObject({ decision: 'refuse' });
    expect((await db().selectFrom('visits').select('id').where('id', 'in', [a.id, b.id]).execute()).map((v) => v.id)).toEqual([a.id]);
    const other = await t.app.inject({ url: '/api/reports/held', headers: await t.as(staffPhone(t.org, t.unitNamed('东湖社区').id)) });
    expect(other.json().held).toEqual([]);
  });

  it('retire with poisonous work: everything is held, and accepting a bad change refuses it alone', async () => {
    const m = memberPhone(t.org, group().id, 2);
    const d = new TestDevice(t, m.phone);
    await d.pull();
    const h = t.org.households.filter((x) => x.memberId === m.memberId);
    expect((await revoke(staffPhone(t.org, group().id), d.clientId, 'retire')).statusCode).toBe(200);
    const nul = visitArgs(h[0]!.id, { summary: '路灯\u0000坏了' });
    const badDate = visitArgs(h[0]!.id, { visitedAt: '0000-01-01T00:00:00Z' });
    const good = visitArgs(h[1]!.id);
    const reply = await d.push([d.mutation('visit.create', nul), d.mutation('visit.create', badDate), d.mutation('visit.create', good)]);
    expect(reply.results.map((r) => r.code)).toEqual(['HELD_FOR_REVIEW', 'HELD_FOR_REVIEW', 'HELD_FOR_REVIEW']);

    const sup = await t.as(staffPhone(t.org, group().id));
    const held = (await t.app.inject({ url: '/api/reports/held', headers: sup })).json().held as { id: number; args: { id: string; summary: string } }[];
    const mine = held.filter((x) => [nul.id, badDate.id, good.id].includes(x.args.id));
    expect(mine).toHaveLength(3);
    // Kept as far as it can be stored: the NUL is replaced, the words are there.
    expect(mine[0]!.args.summary).toBe('路灯\ufffd坏了');
    const decide = (id: number) => t.app.inject({ method: 'POST', url: `/api/reports/held/${id}`, headers: sup, payload: { decision: 'accept' } });
    const bad = await decide(mine[1]!.id);
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toMatchObject({ decision: 'accept', status: 'rejected', code: 'VALIDATION_FAILED' });
    expect((await decide(mine[2]!.id)).json()).toMatchObject({ status: 'applied' });
    expect(await db().selectFrom('visits').select('id').where('id', 'in', [badDate.id, good.id]).execute()).toEqual([{ id: good.id }]);
  });

  it('lost: nothing more is accepted, and the device is told to wipe', async () => {
    const m = memberPhone(t.org, group().id, 1);
    const d = new TestDevice(t, m.phone);
    // The phone's session is bound to the device, as the app's login does.
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: m.phone, password: 'demo1234', clientId: d.clientId } });
    const headers = { authorization: `Bearer ${login.json().token}` };
    (d as unknown as { auth: typeof headers }).auth = headers;
    await d.pull();
    expect((await revoke(staffPhone(t.org, t.unitNamed('石岭村').id), d.clientId, 'lost')).statusCode).toBe(200);
    const v = visitArgs(t.org.households.find((x) => x.memberId === m.memberId)!.id);
    const res = await d.pushRaw([d.mutation('visit.create', v)]);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ code: 'CLIENT_REVOKED', kind: 'lost' });
    expect((await t.app.inject({ url: '/api/households', headers })).statusCode).toBe(410);
    expect(await db().selectFrom('visits').select('id').where('id', '=', v.id).execute()).toHaveLength(0);
    expect(await db().selectFrom('held_mutations').select('id').where('client_id', '=', d.clientId).execute()).toHaveLength(0);
  });
});
