import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, goOnline, login, logVisit, memberOf, phone, shot, startE2E, swReady, synced, type E2E } from './harness.ts';

/** Issue 4, tests 3 and 4: a household reassigned while offline; a change the server no longer allows. */
describe('work that meets a changed world', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('a visit logged offline lands (late) after the household was reassigned, then the household leaves the device', async () => {
    const member = memberOf(e, '13800001001');
    const h = e.org.households.filter((x) => x.memberId === member.id)[1]!;
    const ctx = await phone(e);
    const page = await ctx.newPage();
    await login(page, e.base, '13800001001');
    await swReady(page);
    await synced(page);
    await ctx.setOffline(true);
    await logVisit(page, h.id, '上门走访，了解家中老人近况');
    // Meanwhile the administrator gives the household to nobody.
    const moved = await e.app.inject({ method: 'POST', url: `/api/admin/households/${h.id}/assign`, headers: await apiAs(e, '13800000001'), payload: { memberId: null } });
    expect(moved.statusCode).toBe(200);
    await page.goto(`${e.base}/households`);
    await goOnline(ctx, page);
    await synced(page);
    await page.locator(`[data-household="${h.id}"]`).waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('[data-test=reassigned-notice]').waitFor();
    await shot(page, '07-after-reassignment');
    const visits = await e.db.opened.db.selectFrom('visits').select(['summary', 'late']).where('household_id', '=', h.id).execute();
    expect(visits).toEqual([{ summary: '上门走访，了解家中老人近况', late: true }]);
    await ctx.close();
  });

  it('a dispute move no longer allowed is returned with its reason in Chinese', async () => {
    const member = memberOf(e, '13800001001');
    const h = e.org.households.find((x) => x.memberId === member.id)!;
    const ctx = await phone(e);
    const page = await ctx.newPage();
    await login(page, e.base, '13800001001');
    await swReady(page);
    await page.goto(`${e.base}/households/${h.id}`);
    await page.locator('[data-test=open-dispute]').click();
    await page.locator('[data-test=dispute-form] textarea[name=description]').fill('宅基地边界争议');
    await page.locator('[data-test=save-dispute]').click();
    await page.waitForURL('**/disputes/**');
    const disputeId = page.url().split('/').pop()!;
    await synced(page);

    await ctx.setOffline(true);
    await page.locator('[data-move=mediating]').click();
    await page.locator('[data-test=pending]').waitFor();
    // Meanwhile the branch secretary escalates it to the village.
    const secretary = await apiAs(e, '13800000005');
    const hlc = `${Date.now().toString(16).padStart(16, '0')}-0000-e2e`;
    const up = await e.app.inject({
      method: 'POST', url: '/api/sync/push', headers: secretary,
      payload: { clientId: 'e2e-secretary-device', schemaVersion: 2, mutations: [{ id: 1, name: 'dispute.transition', args: { id: disputeId, from: 'open', to: 'escalated' }, hlc }] },
    });
    expect(up.json().results[0].status).toBe('applied');

    await goOnline(ctx, page);
    await page.locator('[data-test=rejected]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test=rejected]').click();
    await page.waitForURL('**/sync');
    const item = page.locator('[data-rejected=DISPUTE_NOT_AT_YOUR_TIER]');
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('该纠纷已上报，由上级处理');
    await shot(page, '08-returned');
    await ctx.close();
  });
});
