import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/uuid.ts';
import { VISIT_AMEND_WINDOW_MS } from '@shared/kinds/visits.ts';
import { DB_KINDS } from './test-db.ts';
import { createTestApp, memberPhone, staffPhone, type TestApp } from './test-app.ts';
import { TestDevice, visitArgs } from './sync-device.ts';

describe.each(DB_KINDS)('amending visits and repeating mediations on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const group = () => t.unitNamed('石岭村第一村民小组党支部');
  const visit = (id: string) => t.testDb.opened.db.selectFrom('visits').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('the author amends within the window; others and latecomers are refused and the visit stays as it was', async () => {
    const author = memberPhone(t.org, group().id, 0);
    const d = new TestDevice(t, author.phone);
    const v = visitArgs(t.org.households.find((h) => h.memberId === author.memberId)!.id);
    await d.push([d.mutation('visit.create', v)]);
    const ok = await d.push([d.mutation('visit.amend', { id: v.id, changes: { summary: '补充：已联系村委维修路灯', followUp: false } })]);
    expect(ok.results[0]!.status).toBe('applied');
    expect(await visit(v.id)).toMatchObject({ summary: '补充：已联系村委维修路灯', follow_up: false });
    expect((await visit(v.id)).amended_at).not.toBeNull();

    const other = new TestDevice(t, memberPhone(t.org, group().id, 1).phone);
    const refused = await other.push([other.mutation('visit.amend', { id: v.id, changes: { summary: '别人改的' } })]);
    expect(refused.results[0]).toMatchObject({ status: 'rejected', code: 'VISIT_AMEND_FORBIDDEN' });

    t.clock.now = new Date(t.clock.now.getTime() + VISIT_AMEND_WINDOW_MS + 60_000);
    const late = await d.push([d.mutation('visit.amend', { id: v.id, changes: { summary: '太晚了' } })]);
    expect(late.results[0]).toMatchObject({ status: 'rejected', code: 'VISIT_AMEND_WINDOW_CLOSED' });
    expect((await visit(v.id)).summary).toBe('补充：已联系村委维修路灯');
  });

  it('a repeated mediation id: identical content is a no-op, different content is rejected', async () => {
    const m = memberPhone(t.org, group().id, 2);
    const d = new TestDevice(t, m.phone);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const disputeId = uuidv7();
    await d.push([d.mutation('dispute.open', { id: disputeId, householdIds: [h.id], category: 'housing_land', description: '宅基地边界争议', openedAt: t.clock.now.toISOString() })]);
    const mediation = { id: uuidv7(), disputeId, mediatedAt: t.clock.now.toISOString(), mediatorIds: [m.memberId], summary: '现场丈量，双方认可', agreementReached: true };
    expect((await d.push([d.mutation('mediation.add', mediation)])).results[0]!.status).toBe('applied');
    expect((await d.push([d.mutation('mediation.add', mediation)])).results[0]!.status).toBe('duplicate');
    const changed = await d.push([d.mutation('mediation.add', { ...mediation, agreementReached: false })]);
    expect(changed.results[0]).toMatchObject({ status: 'rejected', code: 'RECORD_ID_REUSED' });
    const rows = await t.testDb.opened.db.selectFrom('mediations').selectAll().where('id', '=', mediation.id).execute();
    expect(rows.map((r) => r.agreement_reached)).toEqual([true]);
  });

  it('refuses mediators who are neither of the dispute’s branch nor of a tier above it, and unknown ids', async () => {
    const group = t.unitNamed('石岭村第一村民小组党支部');
    const m = memberPhone(t.org, group.id, 3);
    const h = t.org.households.find((x) => x.memberId === m.memberId)!;
    const d = new TestDevice(t, m.phone);
    const disputeId = uuidv7();
    await d.push([d.mutation('dispute.open', { id: disputeId, householdIds: [h.id], category: 'neighbour', description: '占道堆放杂物', openedAt: t.clock.now.toISOString() })]);
    const elsewhere = t.org.units.find((u) => (u.kind === 'villager_group' || u.kind === 'compound') && u.id !== group.id && !u.path.includes(group.parentId!))!;
    const stranger = memberPhone(t.org, elsewhere.id, 0).memberId;
    const colleague = memberPhone(t.org, group.id, 1).memberId;
    const village = t.org.users.find((u) => u.phone === staffPhone(t.org, group.parentId!))!.id;
    const mediation = (mediatorIds: string[]) => ({ id: uuidv7(), disputeId, mediatedAt: t.clock.now.toISOString(), mediatorIds, summary: '上门劝说', agreementReached: false });
    const r = await d.push([
      d.mutation('mediation.add', mediation([m.memberId, stranger])),
      d.mutation('mediation.add', mediation([uuidv7()])),
      d.mutation('mediation.add', mediation([m.memberId, colleague, village])),
    ]);
    expect(r.results.map((x) => x.code ?? x.status)).toEqual(['MEDIATOR_NOT_ALLOWED', 'MEDIATOR_NOT_ALLOWED', 'applied']);
    expect(r.results[0]!.message).toMatch(/调解人/);
    expect(await t.testDb.opened.db.selectFrom('mediations').select('id').where('dispute_id', '=', disputeId).execute()).toHaveLength(1);
  });
});
