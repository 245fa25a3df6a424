import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createTestDb, DB_KINDS, type TestDb } from './test-db.ts';
import { tempClient } from './temp-client.ts';

describe.each(DB_KINDS)('security headers on every response, on %s', (kind) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  const client = tempClient();
  beforeAll(async () => {
    testDb = await createTestDb(kind);
    client.release(1);
    app = await buildApp({ db: testDb.opened, config: { clientDir: client.dir } });
  });
  afterAll(async () => {
    await app.close();
    await testDb.drop();
    client.remove();
  });

  it('the page, its files, the API, its errors and a 404 all carry them', async () => {
    const requests = [
      { url: '/' },
      { url: '/households' },
      { url: '/assets/index-1.js' },
      { url: '/assets/nope.js' },
      { url: '/api/health' },
      { url: '/api/me' },
      { url: '/api/nope' },
      { method: 'POST' as const, url: '/api/auth/login', payload: { phone: 1 } },
    ];
    for (const r of requests) {
      const res = await app.inject(r);
      const name = `${r.method ?? 'GET'} ${r.url} (${res.statusCode})`;
      expect(res.headers['x-content-type-options'], name).toBe('nosniff');
      expect(res.headers['x-frame-options'], name).toBe('DENY');
      expect(res.headers['referrer-policy'], name).toBe('no-referrer');
      const csp = String(res.headers['content-security-policy']);
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      expect(directives, name).toMatchObject({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'img-src': expect.arrayContaining(["'self'", 'data:']),
        'font-src': ["'self'", 'data:'],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
      });
      expect(csp, name).not.toContain('upgrade-insecure-requests');
      expect(csp, name).not.toContain("'unsafe-eval'");
    }
  });
});
