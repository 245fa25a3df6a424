import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, staffPhone, type TestApp } from './test-app.ts';

describe.each(DB_KINDS)('unstorable or nonsense input is a 400 with a code, never a 500, on %s', (kind) => {
  let t: TestApp;
  let district: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    district = await t.as(staffPhone(t.org, t.org.units.find((u) => u.kind === 'district')!.id));
  });
  afterAll(() => t.close());

  const expect400 = (res: { statusCode: number; json(): unknown }) => {
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
    // A person reads it: no schema pointers, patterns or English schema words.
    expect((res.json() as { message: string }).message).not.toMatch(/must|pattern|\/[a-z]|\^\[/i);
  };

  it('refuses NUL and control characters in the login phone, password and client id', async () => {
    for (const payload of [
      { phone: '1380000\u00000001', password: 'demo1234' },
      { phone: '13800000001', password: 'demo\u00001234' },
      { phone: '13800000001', password: 'demo1234', clientId: 'phone\u0000one' },
      { phone: '13800000001', password: 'demo1234', clientId: 'bell\u0007' },
      { phone: '13800000001\n', password: 'demo1234' },
    ]) {
      expect400(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload }));
    }
    const named = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: '1380000\u00000001', password: 'demo1234' } });
    expect(named.json().message).toMatch(/^手机号：/);
  });

  it('refuses a sync report period that is not a small whole number of days', async () => {
    for (const days of ['Infinity', '-Infinity', '1e999', '-1', '0', 'abc', '1e9', '1.5', 'NaN']) {
      for (const url of [`/api/reports/sync?days=${days}`, `/api/reports/sync.csv?days=${days}`, `/api/reports/sync?staleDays=${days}`]) {
        expect400(await t.app.inject({ url, headers: district }));
      }
    }
    expect((await t.app.inject({ url: '/api/reports/sync?days=30', headers: district })).statusCode).toBe(200);
  });

  it('refuses unstorable ids in URLs', async () => {
    expect400(await t.app.inject({ url: '/api/reports/sync/devices/abc%00def', headers: district }));
    expect400(await t.app.inject({ method: 'POST', url: '/api/devices/abc%00def/revoke', headers: district, payload: { kind: 'lost' } }));
    for (const id of ['Infinity', '1e999', '99999999999999999999']) {
      expect400(await t.app.inject({ method: 'POST', url: `/api/reports/held/${id}`, headers: district, payload: { decision: 'accept' } }));
    }
  });

  it("refuses NUL in a household's address or notes written by an admin", async () => {
    const admin = await t.as(staffPhone(t.org, t.org.units.find((u) => u.kind === 'district')!.id, 'admin'));
    const group = t.org.units.find((u) => u.kind === 'villager_group')!;
    const base = { unitId: group.id, headName: '张三', size: 3, address: { kind: 'village', houseNumber: '12号' } };
    expect400(await t.app.inject({ method: 'POST', url: '/api/admin/households', headers: admin, payload: { ...base, notes: 'a\u0000b' } }));
    expect400(await t.app.inject({ method: 'POST', url: '/api/admin/households', headers: admin, payload: { ...base, address: { kind: 'village', houseNumber: '1\u00002' } } }));
  });
});
