import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createTestDb, DB_KINDS, type TestDb } from './test-db.ts';
import { tempClient } from './temp-client.ts';

describe.each(DB_KINDS)('serving the built client, on %s', (kind) => {
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

  it('answers a missing file with 404, never with the page', async () => {
    for (const url of ['/assets/nope.js', '/assets/index-0.css', '/workbox-old.js', '/icons/gone.png', '/assets/folder', '/households/x/app.js']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).not.toContain('text/html');
    }
    expect((await app.inject({ url: '/api/nope' })).json().code).toBe('NOT_FOUND');
  });

  it('answers the routes the client router owns with the page, and files as files', async () => {
    for (const url of ['/', '/households/0190f0a0-0000-7000-8000-000000000001', '/reports?tab=sync']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('build 1');
    }
    const js = await app.inject({ url: '/assets/index-1.js' });
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cache-control']).toContain('immutable');
  });

  it('serves a client rebuilt while it runs, without a restart', async () => {
    client.release(2);
    const js = await app.inject({ url: '/assets/index-2.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.body).toBe('console.log(2);');
    expect((await app.inject({ url: '/' })).body).toContain('build 2');
    expect((await app.inject({ url: '/households' })).body).toContain('build 2');
  });

  it('does not hand out a page whose scripts are not written yet', async () => {
    writeFileSync(join(client.dir, 'index.html'), client.page(3));
    const res = await app.inject({ url: '/households' });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('SERVER_BUSY');
    expect(res.headers['retry-after']).toBe('5');
    client.release(3);
    expect((await app.inject({ url: '/households' })).body).toContain('build 3');
  });

  it('refuses to start on a half-written build', async () => {
    const half = tempClient();
    try {
      half.release(1);
      unlinkSync(join(half.dir, 'assets', 'index-1.js'));
      await expect(buildApp({ db: testDb.opened, config: { clientDir: half.dir } })).rejects.toThrow(/index-1\.js/);
      unlinkSync(join(half.dir, 'index.html'));
      await expect(buildApp({ db: testDb.opened, config: { clientDir: half.dir } })).rejects.toThrow(/index\.html is missing/);
    } finally {
      half.remove();
    }
  });
});
