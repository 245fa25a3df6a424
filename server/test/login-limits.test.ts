import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, type TestApp } from './test-app.ts';

describe.each(DB_KINDS)('login limits on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { login: { maxFailures: 5, windowMs: 15 * 60 * 1000 }, loginRateLimit: { max: 8, windowMs: 60 * 1000 } });
  });
  afterAll(() => t.close());

  const login = (phone: string, password: string, from: string, lang = 'zh-CN') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: from, headers: { 'accept-language': lang }, payload: { phone, password } });

  it("a stranger's wrong passwords do not lock the owner out from their own address", async () => {
    const phone = '13800000003';
    for (let i = 0; i < 5; i++) expect((await login(phone, 'guess-' + i, '203.0.113.66')).statusCode).toBe(401);
    expect((await login(phone, 'demo1234', '203.0.113.66')).json().code).toBe('TOO_MANY_ATTEMPTS');
    const owner = await login(phone, 'demo1234', '198.51.100.7');
    expect(owner.statusCode).toBe(200);
  });

  it('tells the locked-out person how many minutes to wait, in Chinese and in English', async () => {
    const phone = '13800000004';
    const from = '198.51.100.20';
    for (let i = 0; i < 5; i++) expect((await login(phone, 'wrong-password', from)).statusCode).toBe(401);
    const locked = await login(phone, 'demo1234', from);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', message: '密码错误次数过多，请15分钟后再试', retryAfterSeconds: 900 });

    t.clock.now = new Date(t.clock.now.getTime() + 5 * 60 * 1000);
    const later = await login(phone, 'demo1234', from, 'en');
    expect(later.json().message).toBe('Too many wrong passwords; try again in 10 minutes');
    expect(later.headers['retry-after']).toBe('600');

    t.clock.now = new Date(t.clock.now.getTime() + 10 * 60 * 1000 + 1000);
    expect((await login(phone, 'demo1234', from)).statusCode).toBe(200);
  });

  it('limits the logins one address may try across phones, and says how long to wait', async () => {
    const from = '192.0.2.99';
    for (let i = 0; i < 8; i++) expect((await login(`1390000000${i}`, 'wrong-password', from)).statusCode).toBe(401);
    const limited = await login('13800000005', 'demo1234', from);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: '此网络登录尝试过于频繁，请1分钟后再试' });
    // Another address is not held back by this one.
    expect((await login('13800000005', 'demo1234', '192.0.2.100')).statusCode).toBe(200);
  });
});
