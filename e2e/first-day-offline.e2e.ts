import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goOnline, login, memberOf, phone, shot, startE2E, synced, type E2E } from './harness.ts';

/**
 * Issue 8, item 4: the first day offline. A member logs in for the first time and walks into a
 * stairwell without reloading the app: once it has said 已可离线使用, every member screen —
 * screens never opened online included — must open and save from the service worker's cache.
 */
describe('the first day offline', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('after the first login, with no reload, 记走访 opens and saves offline once the app says it can', async () => {
    const member = memberOf(e, '13800001001');
    const household = e.org.households.find((h) => h.memberId === member.id)!;
    const ctx = await phone(e);
    const page = await ctx.newPage();
    // The worker installs while the member types the password: listen from the first load.
    const offlineReady = page.getByText('已可离线使用').waitFor({ timeout: 60_000 });
    await login(page, e.base, '13800001001');
    await offlineReady;
    // The promise is kept only if the worker already controls this very page (no reload happened).
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await synced(page);
    // A mark on this document: it must still be here after the offline work (nothing reloaded).
    await page.evaluate(() => ((window as unknown as { firstDocument: boolean }).firstDocument = true));

    await ctx.setOffline(true);
    await page.locator(`[data-household="${household.id}"] [data-test=log-visit]`).click();
    await page.locator('[data-test=visit-form] textarea[name=summary]').fill('首日离线走访：了解到老人需要代购药品');
    await shot(page, '20-first-day-offline-visit');
    await page.locator('[data-test=save-visit]').click();
    await page.waitForURL(`**/households/${household.id}`);
    await page.locator('[data-test=visits] [data-visit]').filter({ hasText: '首日离线走访' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { firstDocument?: boolean }).firstDocument)).toBe(true);

    await goOnline(ctx, page);
    await synced(page);
    const stored = await e.db.opened.db.selectFrom('visits').select('summary').where('household_id', '=', household.id).execute();
    expect(stored.filter((v) => v.summary === '首日离线走访：了解到老人需要代购药品')).toHaveLength(1);
    await ctx.close();
  });
});
