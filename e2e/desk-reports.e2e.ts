import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HlcClock } from '@shared/sync/hlc.ts';
import { SCHEMA_VERSION } from '@shared/sync/mutators.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { apiAs, goOnline, login, memberOf, startE2E, swReady, synced, type E2E } from './harness.ts';

/** The desk's screenshots go with the docs (issue 10's closing note names them). */
const DOCS = 'docs/screenshots';
const HUAWEI_WECHAT = 'Mozilla/5.0 (Linux; Android 10; ELS-AN00 Build/HUAWEIELS-AN00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.40';

async function docShot(page: Page, name: string) {
  // The app's own toasts (已可离线使用 after the first load) pass; charts and tables finish drawing.
  await page.locator('.van-toast').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${DOCS}/desk-${name}.png` });
}

/** Issue 10, "Supervisors at a desk": the village committee settles a conflict at a computer; the member's phone follows. */
describe('the desk', () => {
  let e: E2E;
  beforeAll(async () => {
    mkdirSync(DOCS, { recursive: true });
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('names the household of a conflict in Chinese, settles it, and the member’s phone follows', async () => {
    const member = memberOf(e, '13800001001');
    const h = e.org.households.find((x) => x.memberId === member.id)!;
    const unitName = e.org.units.find((u) => u.id === h.unitId)!.name;

    // The member's phone (a Huawei, in WeChat), synced, then offline in a stairwell.
    const phoneCtx = await e.browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'zh-CN', userAgent: HUAWEI_WECHAT, hasTouch: true, isMobile: true });
    const phone = await phoneCtx.newPage();
    await login(phone, e.base, '13800001001');
    await swReady(phone);
    await phone.goto(`${e.base}/households/${h.id}`);
    await synced(phone);
    await phoneCtx.setOffline(true);
    await phone.locator('[data-test=edit-headName]').click();
    await phone.locator('[data-test=edit-form] input').fill('党员记录的户主名');
    await phone.locator('[data-test=save-edit]').click();
    await phone.locator('[data-test=pending]').waitFor();

    // Meanwhile the branch secretary corrects the same field from their own device; it reaches the server first.
    const secretary = await apiAs(e, '13800000005');
    const clientId = `e2e-secretary-${uuidv7()}`;
    const pushed = await e.app.inject({
      method: 'POST', url: '/api/sync/push', headers: secretary,
      payload: { clientId, schemaVersion: SCHEMA_VERSION, mutations: [{ id: 1, name: 'household.update', args: { id: h.id, changes: { headName: { value: '书记核实的户主名', baseVersion: 0 } } }, hlc: new HlcClock(clientId).tick() }] },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    // And a dispute of orange risk, for the board.
    const liaison = await apiAs(e, '13800001002');
    const other = e.org.households.find((x) => x.memberId === memberOf(e, '13800001002').id)!;
    const lid = `e2e-liaison-${uuidv7()}`;
    await e.app.inject({
      method: 'POST', url: '/api/sync/push', headers: liaison,
      payload: { clientId: lid, schemaVersion: SCHEMA_VERSION, mutations: [{ id: 1, name: 'dispute.open', args: { id: uuidv7(), householdIds: [other.id], category: 'housing_land', description: '宅基地边界争议', riskLevel: 'orange', openedAt: new Date().toISOString() }, hlc: new HlcClock(lid).tick() }] },
    });

    await goOnline(phoneCtx, phone);
    await phone.locator('[data-test=pending]').waitFor({ state: 'detached', timeout: 30_000 });
    const conflict = await e.db.opened.db.selectFrom('conflicts').selectAll().where('record_id', '=', h.id).executeTakeFirstOrThrow();
    expect(conflict).toMatchObject({ field: 'headName', status: 'open', lost_value: '党员记录的户主名' });

    // The village committee at a computer: "/" is the desk.
    const deskCtx = await e.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const desk = await deskCtx.newPage();
    desk.on('pageerror', (err) => console.error(`[desk] ${err.message}`));
    await login(desk, e.base, '13800000004');
    await desk.waitForURL('**/desk/reports');
    await desk.locator('[data-test=chart-weekly] canvas').waitFor();
    await desk.locator('[data-card=conflicts] b').filter({ hasText: /^[1-9]/ }).waitFor();
    // The service worker installs on the first load and says so; the shot waits for that to pass.
    await desk.getByText('已可离线使用').waitFor({ timeout: 30_000 }).catch(() => {});
    await docShot(desk, 'overview');

    await desk.locator('[data-nav="/desk/reports/conflicts"]').click();
    const row = desk.locator('.el-table__row').filter({ has: desk.locator(`[data-conflict="${conflict.id}"]`) });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    // The household by its head and address, the field as people call it, both values and who wrote them.
    expect(text).toContain('书记核实的户主名');
    expect(text).toContain(unitName);
    expect(text).toContain('户主姓名');
    expect(text).toContain('党员记录的户主名');
    expect(text).not.toContain('headName');
    await docShot(desk, 'conflicts');
    await row.locator('input[data-test=comment]').fill('核对户口本后确认');
    await row.locator('[data-test=switch]').click();
    await desk.getByText('已处理，将同步到党员手机').waitFor({ timeout: 30_000 });

    // The member's phone follows without a reload: the member's value stands, the conflict is gone.
    await phone.evaluate(() => window.dispatchEvent(new Event('online')));
    await phone.waitForFunction(() => document.body.textContent?.includes('党员记录的户主名') && !document.querySelector('.conflict') && !document.querySelector('[data-test=conflicts]'), undefined, { timeout: 30_000 });
    const settled = await e.db.opened.db.selectFrom('households').select('head_name').where('id', '=', h.id).executeTakeFirstOrThrow();
    expect(settled.head_name).toBe('党员记录的户主名');
    const decided = await e.db.opened.db.selectFrom('conflicts').select(['status', 'resolution', 'resolution_note']).where('id', '=', conflict.id).executeTakeFirstOrThrow();
    expect(decided).toEqual({ status: 'resolved', resolution: 'other', resolution_note: '核对户口本后确认' });

    // The sync report names the member's phone, and members who never synced are said to be so.
    await desk.locator('[data-nav="/desk/reports/sync"]').click();
    await desk.locator('[data-test=device-name]').filter({ hasText: '华为 ELS-AN00 · 微信' }).first().waitFor();
    await desk.locator('[data-test=sync-state-tag]').filter({ hasText: '从未同步' }).first().waitFor();
    await docShot(desk, 'sync');

    // The dispute board: risk levels and overdue flags in words, never codes.
    await desk.locator('[data-nav="/desk/reports/disputes"]').click();
    await desk.locator('[data-test=risk]').filter({ hasText: '橙色（可能激化）' }).first().waitFor();
    const board = (await desk.locator('[data-test=desk-disputes]').textContent()) ?? '';
    for (const code of ['orange', 'yellow', 'red', 'blue', 'true', 'false']) expect(board).not.toContain(code);
    await docShot(desk, 'disputes');

    await desk.locator('[data-nav="/desk/reports/coverage"]').click();
    await desk.locator('[data-test=coverage-units] .el-table__row').first().waitFor();
    await docShot(desk, 'coverage');
    await desk.locator('[data-nav="/desk/reports/held"]').click();
    await desk.locator('[data-test=desk-held]').waitFor();
    await docShot(desk, 'held');

    // Back to the phone screens from the desk.
    await desk.locator('[data-test=desk-phone]').click();
    await desk.waitForURL('**/supervise');
    await desk.locator('[data-test=open-desk]').waitFor();

    await deskCtx.close();
    await phoneCtx.close();
  });
});
