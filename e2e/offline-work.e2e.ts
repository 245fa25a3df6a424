import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, logVisit, phone, shot, startE2E, swReady, synced, type E2E } from './harness.ts';

/** Issue 4, test 1: a member works a whole round with no signal, and nothing is lost or doubled. */
describe('offline round of visits, a dispute and a mediation', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('keeps everything across an offline reload and a closed page, then syncs each record exactly once', async () => {
    const member = e.org.members.find((m) => e.org.users.find((u) => u.id === m.userId)!.phone === '13800001001')!;
    const mine = e.org.households.filter((h) => h.memberId === member.id);
    const ctx = await phone(e);
    let page = await ctx.newPage();
    await login(page, e.base, '13800001001');
    await page.waitForURL('**/households');
    await swReady(page);
    await synced(page);
    await shot(page, '01-households');

    await ctx.setOffline(true);
    await page.reload(); // served by the service worker
    await page.locator('[data-test=household-list]').waitFor();
    await expect(page.locator('[data-test=sync-status]').textContent()).resolves.toContain('离线');

    const summaries = ['了解到老人腿脚不便，需要代购药品', '宣讲医保缴费政策', '帮助办理低保年审材料'];
    for (const [i, s] of summaries.entries()) {
      await logVisit(page, mine[i % mine.length]!.id, s);
      if (i === 0) await shot(page, '02-household-detail');
      await page.goto(`${e.base}/households`);
    }
    // The list shows each household's last visit and that its records wait to go up.
    await page.locator(`[data-household="${mine[0]!.id}"]`).filter({ hasText: '今天已走访' }).waitFor();
    await page.locator(`[data-household="${mine[0]!.id}"] [data-state=pending]`).waitFor();
    await shot(page, '03-households-pending');
    // Open a dispute and mediate it, still offline.
    await page.goto(`${e.base}/households/${mine[0]!.id}`);
    await page.locator('[data-test=open-dispute]').click();
    await page.locator('[data-test=dispute-form] textarea[name=description]').fill('两户因屋后排水沟堵塞发生争执');
    await shot(page, '04-dispute-form');
    await page.locator('[data-test=save-dispute]').click();
    await page.waitForURL('**/disputes/**');
    const disputeId = page.url().split('/').pop()!;
    await page.locator('[data-test=add-mediation]').click();
    await page.locator('[data-test=mediation-form] textarea[name=summary]').fill('组织双方协商，约定周末共同清理');
    await page.locator('[data-test=save-mediation]').click();
    await page.locator('[data-test=mediations] [data-mediation]').waitFor();
    await shot(page, '05-dispute');
    await expect(page.locator('[data-test=pending]').textContent()).resolves.toContain('5');

    // Close the page; open a new one in the same profile, still offline.
    await page.close();
    page = await ctx.newPage();
    await page.goto(`${e.base}/households`);
    await page.locator('[data-test=household-list]').waitFor();
    await expect(page.locator('[data-test=pending]').textContent()).resolves.toContain('5');
    await page.goto(`${e.base}/disputes/${disputeId}`);
    await page.locator('[data-test=mediations] [data-mediation]').waitFor();

    await ctx.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.goto(`${e.base}/households`);
    await synced(page);
    await expect(page.locator('[data-test=pending]').count()).resolves.toBe(0);

    const db = e.db.opened.db;
    const visits = await db.selectFrom('visits').select(['summary']).where('member_id', '=', member.id).execute();
    for (const s of summaries) expect(visits.filter((v) => v.summary === s)).toHaveLength(1);
    expect(await db.selectFrom('disputes').select('id').where('id', '=', disputeId).execute()).toHaveLength(1);
    expect(await db.selectFrom('mediations').select('id').where('dispute_id', '=', disputeId).execute()).toHaveLength(1);
    await ctx.close();
  });
});
