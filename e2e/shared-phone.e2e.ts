import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { apiAs, goOnline, login, logVisit, memberOf, phone, shot, startE2E, swReady, synced, type E2E } from './harness.ts';

const A = '13800001001';
const B = '13800001002';

/** Issue 8, items 2, 3 and 10: people sharing a phone, failures the member can read, erased storage. */
describe('a phone shared, failing and erased', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  const nameOf = (phoneNumber: string) => e.org.users.find((u) => u.phone === phoneNumber)!.name;
  const householdOf = (phoneNumber: string) => e.org.households.find((h) => h.memberId === memberOf(e, phoneNumber).id)!;
  const devicesOf = async (phoneNumber: string) =>
    (await e.db.opened.db.selectFrom('sync_clients').select('client_id').where('user_id', '=', memberOf(e, phoneNumber).userId).execute()).map((r) => r.client_id);
  const visitsWith = async (summary: string) => (await e.db.opened.db.selectFrom('visits').select('id').where('summary', '=', summary).execute()).length;

  async function logout(page: Page, expectText: string) {
    await page.goto(`${e.base}/me`);
    await page.locator('[data-test=logout]').click();
    await page.locator('.van-dialog', { hasText: expectText }).waitFor();
    await page.locator('.van-dialog__confirm').click();
    await page.waitForURL('**/login');
  }

  it('two members on one browser: each syncs with their own client id, and the phone says whose work waits', async () => {
    const ctx = await phone(e);
    const page = await ctx.newPage();
    await login(page, e.base, A);
    await swReady(page);
    await synced(page);

    // A logs a visit with no signal and logs out: warned that it stays on the phone.
    await ctx.setOffline(true);
    await logVisit(page, householdOf(A).id, '共用手机上离线记录的走访');
    await logout(page, '还有 1 条记录没有上传');
    await page.locator('[data-test=others-pending]', { hasText: `${nameOf(A)} 有 1 条记录待上传，请让其登录后同步` }).waitFor();
    await shot(page, '21-login-others-pending');

    // B logs in on the same browser and syncs (before issue 8: CLIENT_NOT_YOURS, 加载中… for ever).
    await ctx.setOffline(false);
    await login(page, e.base, B);
    await synced(page);
    await page.locator(`[data-household="${householdOf(B).id}"]`).waitFor();
    await page.goto(`${e.base}/me`);
    await page.locator('[data-test=others-pending]', { hasText: `${nameOf(A)} 有 1 条记录待上传` }).waitFor();
    await shot(page, '22-me-others-pending');
    expect(await visitsWith('共用手机上离线记录的走访')).toBe(0); // B's sync does not carry A's work
    await logout(page, '确定退出登录吗');

    // A comes back: the visit goes up under A's own id, the same one as before.
    await login(page, e.base, A);
    await synced(page);
    expect(await visitsWith('共用手机上离线记录的走访')).toBe(1);
    const [aDevices, bDevices] = [await devicesOf(A), await devicesOf(B)];
    expect(aDevices).toHaveLength(1);
    expect(bDevices).toHaveLength(1);
    expect(aDevices[0]).not.toBe(bDevices[0]);
    await page.goto(`${e.base}/me`);
    await expect(page.locator('[data-test=others-pending]').count()).resolves.toBe(0);
    await ctx.close();
  });

  it('an id the server gives to another user: the member is told, logs in again on a new id, and syncs', async () => {
    // The browser-wide id of an older version, already bound to A on the server.
    const legacy = crypto.randomUUID();
    const res = await e.app.inject({ method: 'POST', url: '/api/sync/pull', headers: await apiAs(e, A), payload: { clientId: legacy, cursor: null } });
    expect(res.statusCode).toBe(200);
    const ctx = await phone(e);
    await ctx.addInitScript((id) => {
      if (location.origin === 'null') return; // about:blank has no storage
      if (!localStorage.getItem('lianxin.deviceUsers')) localStorage.setItem('lianxin.clientId', id);
    }, legacy);
    const page = await ctx.newPage();
    await login(page, e.base, B);
    await page.locator('.van-dialog', { hasText: '已为您换用新的编号，请重新登录' }).waitFor({ timeout: 30_000 });
    await shot(page, '23-client-not-yours');
    await page.locator('.van-dialog__confirm').click();
    await page.waitForURL('**/login');
    await login(page, e.base, B);
    await synced(page);
    expect(await devicesOf(B)).not.toContain(legacy);
    await ctx.close();
  });

  it('a failing sync says why, the header does not say 在线, and 立即同步 recovers at once', async () => {
    const ctx = await phone(e);
    const page = await ctx.newPage();
    await login(page, e.base, A);
    await synced(page);
    // The server goes away behind its proxy.
    await page.route('**/api/sync/**', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }));
    for (let i = 0; i < 4; i++) {
      await page.locator('[data-test=sync-status] .now').click();
      await page.locator('[data-test=sync-error]', { hasText: '服务器暂时无法连接，稍后会自动重试' }).waitFor();
    }
    await expect(page.locator('[data-test=online-badge]').textContent()).resolves.toContain('同步失败');
    await expect(page.locator('[data-test=sync-status]').textContent()).resolves.not.toContain('已全部同步');
    await shot(page, '24-sync-failing');

    await page.unroute('**/api/sync/**');
    const t0 = Date.now();
    await page.locator('[data-test=sync-status] .now').click();
    await synced(page);
    const recovery = Date.now() - t0;
    console.log(`recovery after the server came back, one tap: ${recovery} ms`);
    expect(recovery).toBeLessThan(5000);
    await expect(page.locator('[data-test=online-badge]').textContent()).resolves.toContain('在线');
    await ctx.close();
  });

  it('storage erased under the app: the member is told what was lost, not 找不到该住户, and the phone resyncs', async () => {
    const ctx: BrowserContext = await phone(e);
    const page = await ctx.newPage();
    await login(page, e.base, A);
    await swReady(page);
    await synced(page);
    const h = householdOf(A);
    await ctx.setOffline(true);
    await logVisit(page, h.id, '存储被清除前未上传的走访');
    await page.goto(`${e.base}/households`);
    await logVisit(page, h.id, '存储被清除前未上传的第二次走访');
    await expect(page.locator('[data-test=pending]').textContent()).resolves.toContain('2');

    // The browser (or the member, clearing site data) deletes the database; the session stays.
    const userId = memberOf(e, A).userId;
    const deleted = await page.evaluate(
      (name) => new Promise<string>((ok) => {
        const req = indexedDB.deleteDatabase(name);
        req.onsuccess = () => ok('deleted');
        req.onerror = () => ok('error');
        req.onblocked = () => ok('blocked');
      }),
      `lianxin-${userId}`,
    );
    expect(deleted).toBe('deleted');
    await page.reload(); // offline, from the service worker
    const notice = '本机数据已被清除，其中 2 条未上传的记录已丢失';
    await page.locator('[data-test=storage-erased]', { hasText: notice }).waitFor();
    await page.goto(`${e.base}/households/${h.id}`);
    await page.locator('[data-test=detail-erased]', { hasText: notice }).waitFor();
    await expect(page.getByText('找不到该住户').count()).resolves.toBe(0);
    await shot(page, '25-storage-erased');

    await goOnline(ctx, page);
    await page.goto(`${e.base}/households`);
    await synced(page);
    await page.locator(`[data-household="${h.id}"]`).waitFor();
    await page.locator('[data-test=storage-erased] button').click();
    await expect(page.locator('[data-test=storage-erased]').count()).resolves.toBe(0);
    await ctx.close();
  });
});
