import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, type TestApp } from './test-app.ts';
import { TestDevice } from './sync-device.ts';

describe.each(DB_KINDS)('device telemetry on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  it('keeps what each push, pull and late failure report says about the device', async () => {
    const { phone } = memberPhone(t.org, t.unitNamed('石岭村第一村民小组党支部').id, 0);
    const d = new TestDevice(t, phone);
    const headers = await d.headers();
    const telemetry = { appVersion: '0.2.0', outboxLength: 3, oldestPendingAt: '2026-11-20T08:00:00.000Z', storageUsed: 1_200_000, storageQuota: 50_000_000, storagePersisted: true };
    const push = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers, payload: { clientId: d.clientId, schemaVersion: 2, mutations: [], telemetry } });
    expect(push.statusCode).toBe(200);
    const row = () => t.testDb.opened.db.selectFrom('sync_clients').selectAll().where('client_id', '=', d.clientId).executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ app_version: '0.2.0', outbox_length: 3, storage_persisted: true, schema_version: 2 });
    expect(Number((await row()).storage_quota)).toBe(50_000_000);
    expect((await row()).last_push_at).not.toBeNull();

    // A failure the phone could not report at the time (it had no signal) comes with the next pull.
    const report = await t.app.inject({
      method: 'POST', url: '/api/sync/pull', headers,
      payload: { clientId: d.clientId, cursor: null, telemetry: { lastError: 'push failed: timeout', lastErrorAt: '2026-11-21T09:30:00.000Z', outboxLength: 5 } },
    });
    expect(report.statusCode).toBe(200);
    expect(await row()).toMatchObject({ last_error: 'push failed: timeout', outbox_length: 5, app_version: '0.2.0' });
    expect((await row()).last_pull_at).not.toBeNull();
  });

  it('refuses telemetry that is not telemetry, leaving the row as it was', async () => {
    const d = new TestDevice(t, memberPhone(t.org, t.unitNamed('石岭村第一村民小组党支部').id, 1).phone);
    await d.pull();
    const before = await t.testDb.opened.db.selectFrom('sync_clients').selectAll().where('client_id', '=', d.clientId).executeTakeFirstOrThrow();
    const res = await t.app.inject({
      method: 'POST', url: '/api/sync/push', headers: await d.headers(),
      payload: { clientId: d.clientId, schemaVersion: 2, mutations: [], telemetry: { outboxLength: -4 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    const after = await t.testDb.opened.db.selectFrom('sync_clients').selectAll().where('client_id', '=', d.clientId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });
});
