import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import { ConflictsReport, CoverageReport, DeviceLog, DisputeBoard, HeldReport, SyncReport } from '@shared/schemas/reports.ts';
import { SCHEMA_VERSION } from '@shared/sync/mutators.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

/** Columns a query might carry that no screen may see: they must never reach the wire. */
const INTERNAL = { spaceId: 'internal-space', openedBy: 'internal-user', hlc: 'internal-hlc' };

// The dispute board's query hands back internal columns too, as a careless `selectAll` would:
// the reply must still carry only the schema's fields.
vi.mock('../src/repositories/report-repository.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/repositories/report-repository.ts')>();
  return { ...real, disputeBoard: async (...args: Parameters<typeof real.disputeBoard>) => (await real.disputeBoard(...args)).map((r) => ({ ...r, ...INTERNAL })) };
});

/** The reply holds exactly the schema's fields: valid, and nothing for `Clean` to remove. */
function expectExactly(schema: TSchema, body: unknown) {
  expect([...Value.Errors(schema, body)].map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  expect(Value.Clean(schema, structuredClone(body))).toEqual(body);
}

describe.each(DB_KINDS)('report replies and their schemas on %s', (kind) => {
  let t: TestApp;
  let sup: { authorization: string };
  const get = async (url: string) => {
    const res = await t.app.inject({ url, headers: sup });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  const group = () => t.unitNamed('石岭村第一村民小组党支部');

  // Something in every report: a device with an applied and a refused change, its telemetry and
  // a skewed clock; a dispute; a conflict; a retired device's held work.
  let clientId = '';
  beforeAll(async () => {
    t = await createTestApp(kind);
    sup = await t.as(staffPhone(t.org, group().id));
    const m = memberPhone(t.org, group().id, 0);
    const d = new TestDevice(t, m.phone);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const other = t.org.households.find((x) => x.memberId !== m.memberId)!;
    clientId = d.clientId;
    await d.push([
      d.mutation('dispute.open', { id: uuidv7(), householdIds: [h.id], category: 'neighbour', description: '噪音扰民', openedAt: t.clock.now.toISOString() }),
      d.mutation('household.update', { id: h.id, changes: { headName: { value: '王大明', baseVersion: 0 } } }),
    ]);
    const secretary = new TestDevice(t, staffPhone(t.org, group().id));
    await secretary.push([secretary.mutation('household.update', { id: h.id, changes: { headName: { value: '王达明', baseVersion: 0 } } })]);
    // Last, so its clock (an hour fast) is the one the report judges.
    const telemetry = { appVersion: '1.2.3', outboxLength: 2, oldestPendingAt: '2024-05-01T08:00:00.000Z', lastError: '网络超时', deviceTime: new Date(t.clock.now.getTime() + 3_600_000).toISOString() };
    const pushed = await t.app.inject({
      method: 'POST', url: '/api/sync/push', headers: await d.headers(),
      payload: { clientId, schemaVersion: SCHEMA_VERSION, telemetry, mutations: [d.mutation('visit.create', visitArgs(h.id)), d.mutation('visit.create', visitArgs(other.id))] },
    });
    expect(pushed.statusCode).toBe(200);

    const leaving = new TestDevice(t, memberPhone(t.org, group().id, 1).phone);
    await leaving.pull();
    const revoked = await t.app.inject({ method: 'POST', url: `/api/devices/${leaving.clientId}/revoke`, headers: sup, payload: { kind: 'retire' } });
    expect(revoked.statusCode).toBe(200);
    const mine = t.org.households.find((x) => x.memberId === memberPhone(t.org, group().id, 1).memberId)!;
    await leaving.push([leaving.mutation('visit.create', visitArgs(mine.id))]);
  });
  afterAll(() => t.close());

  it('every report reply holds exactly the fields of its shared schema', async () => {
    const sync = await get('/api/reports/sync');
    expectExactly(SyncReport, sync);
    const row = (sync as SyncReport).rows.find((r) => r.clientId === clientId)!;
    expect(row).toMatchObject({ appVersion: '1.2.3', pending: 2, oldestPendingAt: '2024-05-01T08:00:00.000Z', clockSkewWarning: true, applied: 3, rejected: 1 });
    expect((sync as SyncReport).units.length).toBeGreaterThan(0);

    const log = (await get(`/api/reports/sync/devices/${clientId}`)) as DeviceLog;
    expectExactly(DeviceLog, log);
    // What was typed travels with refusals only.
    expect(log.mutations.find((x) => x.status === 'rejected')!.args).toBeDefined();
    expect(log.mutations.filter((x) => x.status !== 'rejected').every((x) => !('args' in x))).toBe(true);

    const coverage = (await get('/api/reports/coverage?days=60')) as CoverageReport;
    expectExactly(CoverageReport, coverage);
    expect(coverage.byUnit.length && coverage.unvisited.length && coverage.visitsByDuty.length).toBeGreaterThan(0);

    const conflicts = (await get('/api/reports/conflicts')) as ConflictsReport;
    expectExactly(ConflictsReport, conflicts);
    expect(conflicts.conflicts.length).toBeGreaterThan(0);

    const disputes = (await get('/api/reports/disputes')) as DisputeBoard;
    expectExactly(DisputeBoard, disputes);
    expect(disputes.disputes.length).toBeGreaterThan(0);

    const held = (await get('/api/reports/held')) as HeldReport;
    expectExactly(HeldReport, held);
    expect(held.held).toHaveLength(1);
  });

  it('a column the query returns but the schema does not name is not sent', async () => {
    const res = await t.app.inject({ url: '/api/reports/disputes', headers: sup });
    expect(res.statusCode).toBe(200);
    for (const value of Object.values(INTERNAL)) expect(res.body).not.toContain(value);
    const [first] = (res.json() as DisputeBoard).disputes;
    expect(Object.keys(first!).sort()).toEqual(Object.keys(DisputeBoard.properties.disputes.items.properties).sort());
  });
});
