import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { generateOrg } from '../src/demo/generate-org.ts';
import { DEMO_PASSWORD, loadOrg } from '../src/demo/load-org.ts';
import { createTestDb, DB_KINDS, type TestDb } from './test-db.ts';

describe.each(DB_KINDS)('the request log keeps no session token, on %s', (kind) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    const org = generateOrg({ towns: 1, villagesPerTown: 1, groupsPerVillage: 1, subdistricts: 0, communitiesPerSubdistrict: 0, compoundsPerCommunity: 0, membersPerBranch: 1, unassignedPerBranch: 0 }, 3);
    await loadOrg(testDb.opened.db, org);
    app = await buildApp({ db: testDb.opened, logger: { level: 'info', stream } });
  });
  afterAll(async () => {
    await app.close();
    await testDb.drop();
  });

  it("redacts the poke socket's ?token= in every request line, and logs no Authorization header", async () => {
    const phone = '13800000001';
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password: DEMO_PASSWORD } });
    const token = login.json().token as string;
    expect(token).toBeTruthy();
    const ws = await app.injectWS(`/api/sync/poke?token=${encodeURIComponent(token)}&v=1`);
    ws.terminate();
    await app.inject({ url: `/api/sync/poke?token=${token}` });
    await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });

    const log = lines.join('\n');
    expect(log).toContain('/api/sync/poke?token=[redacted]&v=1');
    expect(log).toContain('"url":"/api/me"');
    expect(log).not.toContain(token);
  });
});
