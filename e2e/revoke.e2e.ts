import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goOnline, login, logVisit, memberOf, phone, shot, startE2E, swReady, synced, type E2E } from './harness.ts';

/** Issue 5: a retired device hands its pending work over before it is wiped; a lost one is wiped. */
describe('revoking devices', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  async function revokeFrom(secretary: Page, memberName: string, kind: 'retire' | 'lost') {
    await secretary.goto(`${e.base}/reports`);
    const row = secretary.locator('[data-test=sync-report] tr', { hasText: memberName });
    await row.locator(`[data-test=${kind}]`).click();
    await secretary.locator('.van-dialog__confirm').click();
    await row.filter({ hasText: kind === 'retire' ? '停用' : '挂失' }).waitFor();
  }

  it('retire: the pending visit goes to the holding area, the phone erases itself, the supervisor accepts it', async () => {
    const a = memberOf(e, '13800001001');
    const memberName = e.org.users.find((u) => u.id === a.userId)!.name;
    const h = e.org.households.find((x) => x.memberId === a.id)!;
    const memberCtx = await phone(e);
    const member = await memberCtx.newPage();
    await login(member, e.base, '13800001001');
    await swReady(member);
    await synced(member);
    await memberCtx.setOffline(true);
    await logVisit(member, h.id, '离职前最后一次走访');

    const secretaryCtx = await phone(e);
    const secretary = await secretaryCtx.newPage();
    await login(secretary, e.base, '13800000005');
    await revokeFrom(secretary, memberName, 'retire');

    await goOnline(memberCtx, member);
    await member.locator('.van-dialog', { hasText: '本机已停用' }).waitFor({ timeout: 30_000 });
    await shot(member, '11-device-retired');
    const left = await member.evaluate(async (userId) => {
      const req = indexedDB.open(`lianxin-${userId}`);
      const idb: IDBDatabase = await new Promise((ok, no) => { req.onsuccess = () => ok(req.result); req.onerror = () => no(req.error); });
      const count = (name: string) => new Promise<number>((ok) => { const r = idb.transaction(name).objectStore(name).count(); r.onsuccess = () => ok(r.result); });
      const out = { outbox: await count('outbox'), visits: await count('visits'), households: await count('households') };
      idb.close();
      return out;
    }, a.userId);
    expect(left).toEqual({ outbox: 0, visits: 0, households: 0 });

    await secretary.goto(`${e.base}/reports`);
    await secretary.locator('[data-section=held]').click();
    await secretary.locator('[data-test=held-list] [data-test=accept]').first().click();
    await secretary.locator('[data-test=held-list]', { hasText: '已接收' }).waitFor();
    const visits = await e.db.opened.db.selectFrom('visits').select('summary').where('household_id', '=', h.id).execute();
    expect(visits.map((v) => v.summary)).toContain('离职前最后一次走访');
    await memberCtx.close();
    await secretaryCtx.close();
  });

  it('lost: the phone is wiped the next time it calls', async () => {
    const a = memberOf(e, '13800001001');
    const other = e.org.members.find((m) => m.unitId === a.unitId && m.id !== a.id)!;
    const otherUser = e.org.users.find((u) => u.id === other.userId)!;
    const memberCtx = await phone(e);
    const member = await memberCtx.newPage();
    await login(member, e.base, otherUser.phone);
    await synced(member);
    const secretaryCtx = await phone(e);
    const secretary = await secretaryCtx.newPage();
    await login(secretary, e.base, '13800000005');
    await revokeFrom(secretary, otherUser.name, 'lost');
    await member.locator('[data-test=sync-status] button').click(); // the next call
    await member.locator('.van-dialog', { hasText: '挂失' }).waitFor({ timeout: 30_000 });
    await memberCtx.close();
    await secretaryCtx.close();
  });
});
