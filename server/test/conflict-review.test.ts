import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/uuid.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice } from './sync-device.ts';

describe.each(DB_KINDS)('conflict review on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const db = () => t.testDb.opened.db;

  /** A review conflict on the head of household, made by the liaison and the secretary. */
  async function conflictOn(n: number) {
    const m = memberPhone(t.org, group().id, n);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const liaison = new TestDevice(t, m.phone);
    const secretary = new TestDevice(t, staffPhone(t.org, group().id));
    await liaison.push([liaison.mutation('household.update', { id: h.id, changes: { headName: { value: '王大明', baseVersion: 0 } } })]);
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    await secretary.push([secretary.mutation('household.update', { id: h.id, changes: { headName: { value: '王达明', baseVersion: 0 } } })]);
    const [c] = await db().selectFrom('conflicts').selectAll().where('record_id', '=', h.id).execute();
    return { h, c: c!, liaison, m };
  }

  it('switching to the other value is an edit every device pulls; the conflict is settled once', async () => {
    const { h, c, liaison, m } = await conflictOn(0);
    // The review list names who wrote each side.
    const listed = (await t.app.inject({ url: '/api/reports/conflicts', headers: await t.as(staffPhone(t.org, group().id)) })).json().conflicts as { id: string; keptByName: string; lostByName: string }[];
    const memberName = t.org.users.find((u) => u.phone === m.phone)!.name;
    const secretaryName = t.org.users.find((u) => u.phone === staffPhone(t.org, group().id))!.name;
    expect(listed.find((x) => x.id === c.id)).toMatchObject({ keptByName: memberName, lostByName: secretaryName });
    await liaison.pull();
    expect(liaison.table('conflicts').get(c.id)).toMatchObject({ status: 'open', lostValue: '王达明' });
    const village = new TestDevice(t, staffPhone(t.org, t.unitNamed('石岭村').id));
    const r = await village.push([village.mutation('conflict.resolve', { id: c.id, keep: 'other', comment: '核对户口本，应为“达”' })]);
    expect(r.results[0]!.status).toBe('applied');
    expect((await db().selectFrom('households').select('head_name').where('id', '=', h.id).executeTakeFirstOrThrow()).head_name).toBe('王达明');
    await liaison.pull();
    expect(liaison.table('households').get(h.id)).toMatchObject({ headName: '王达明' });
    expect(liaison.table('conflicts').get(c.id)).toMatchObject({ status: 'resolved', resolutionNote: expect.stringContaining('户口本') });
    const again = await village.push([village.mutation('conflict.resolve', { id: c.id, keep: 'current' })]);
    expect(again.results[0]).toMatchObject({ status: 'rejected', code: 'CONFLICT_SETTLED' });
  });

  it('only a supervisor over the record may settle it; a refusal changes nothing', async () => {
    const { h, c, liaison } = await conflictOn(1);
    const member = await liaison.push([liaison.mutation('conflict.resolve', { id: c.id, keep: 'other' })]);
    expect(member.results[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    const community = new TestDevice(t, staffPhone(t.org, t.unitNamed('东湖社区').id));
    const other = await community.push([community.mutation('conflict.resolve', { id: c.id, keep: 'other' })]);
    expect(other.results[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    expect((await db().selectFrom('households').select('head_name').where('id', '=', h.id).executeTakeFirstOrThrow()).head_name).toBe('王大明');
    expect((await db().selectFrom('conflicts').select('status').where('id', '=', c.id).executeTakeFirstOrThrow()).status).toBe('open');
    const keep = await new TestDevice(t, staffPhone(t.org, group().id));
    const kept = await keep.push([keep.mutation('conflict.resolve', { id: c.id, keep: 'current', comment: '维持' })]);
    expect(kept.results[0]!.status).toBe('applied');
    expect((await db().selectFrom('households').select('head_name').where('id', '=', h.id).executeTakeFirstOrThrow()).head_name).toBe('王大明');
  });

  it('settling a transition conflict as “escalated” makes the same move dispute.transition makes: the tier above handles it', async () => {
    const m = memberPhone(t.org, group().id, 2);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const liaison = new TestDevice(t, m.phone);
    const secretary = new TestDevice(t, staffPhone(t.org, group().id));
    const id = uuidv7();
    await liaison.push([liaison.mutation('dispute.open', { id, householdIds: [h.id], category: 'neighbour', description: '排水沟堵塞', openedAt: t.clock.now.toISOString() })]);
    // Both saw it open: the liaison starts mediating, the secretary (later) escalates it.
    await liaison.push([liaison.mutation('dispute.transition', { id, from: 'open', to: 'mediating' })]);
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    const lost = await secretary.push([secretary.mutation('dispute.transition', { id, from: 'open', to: 'escalated' })]);
    expect(lost.results[0]!.status).toBe('conflict');
    const c = await db().selectFrom('conflicts').selectAll().where('record_id', '=', id).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ field: 'status', policy: 'transition', status: 'open', unit_id: group().id });

    const village = new TestDevice(t, staffPhone(t.org, t.unitNamed('石岭村').id));
    const r = await village.push([village.mutation('conflict.resolve', { id: c.id, keep: 'other', comment: '需村委协调' })]);
    expect(r.results[0]!.status).toBe('applied');
    const d = await db().selectFrom('disputes').select(['status', 'unit_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(d).toEqual({ status: 'escalated', unit_id: group().parentId });
    const steps = await db().selectFrom('record_events').select(['from_status', 'to_status', 'unit_id']).where('record_id', '=', id).orderBy('id').execute();
    expect(steps.at(-1)).toEqual({ from_status: 'mediating', to_status: 'escalated', unit_id: group().parentId });
    // The branch can no longer move it: the same rule as after a plain escalation.
    const after = await liaison.push([liaison.mutation('dispute.transition', { id, from: 'escalated', to: 'resolved' })]);
    expect(after.results[0]).toMatchObject({ status: 'rejected', code: 'DISPUTE_NOT_AT_YOUR_TIER' });
  });
});
