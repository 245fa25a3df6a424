import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { apiAs, login, memberOf, phone, shot, startE2E, synced, type E2E } from './harness.ts';

/** The error Vant shows under the field holding `input`. */
const fieldError = (page: Page, input: string): Locator => page.locator('.van-field', { has: page.locator(input) }).locator('.van-field__error-message');
const CONTROL = '含有不能保存的字符（如控制字符），请删除后再保存';

/** Issue 8, items 7 and 8: errors in Chinese at the field, only the allowed dispute actions, drafts. */
describe('the member’s forms', () => {
  let e: E2E;
  let ctx: BrowserContext;
  let page: Page;
  let householdId: string;
  beforeAll(async () => {
    e = await startE2E();
    householdId = e.org.households.find((h) => h.memberId === memberOf(e, '13800001001').id)!.id;
    ctx = await phone(e);
    page = await ctx.newPage();
    await login(page, e.base, '13800001001');
    await synced(page);
  });
  afterAll(async () => {
    await ctx?.close();
    await e?.close();
  });

  it('shows each problem in Chinese under its field, with the schema’s limits, and queues nothing', async () => {
    await page.goto(`${e.base}/households/${householdId}/visit`);
    const summary = page.locator('[data-test=visit-form] textarea[name=summary]');
    // The counter and the cap come from the shared schema (Text(4000)); Vant cuts what goes past it.
    const counter = page.locator('[data-test=visit-form] .van-field', { has: page.locator('textarea[name=summary]') }).locator('.van-field__word-limit');
    await expect(counter.textContent()).resolves.toBe('0/4000');
    await summary.fill('长'.repeat(4001));
    await expect(summary.inputValue()).resolves.toHaveLength(4000);
    await expect(counter.textContent()).resolves.toBe('4000/4000');
    // A pasted control character: refused at the field, before anything is queued.
    await summary.fill('铃声\u0007响了');
    await page.locator('[data-test=save-visit]').click();
    await expect(fieldError(page, 'textarea[name=summary]').textContent()).resolves.toBe(CONTROL);
    // A visit dated years ahead: the picker stops at now, and a typed date is refused at the field.
    const when = page.locator('input[name=visitedAt]');
    expect(Date.parse(`${await when.getAttribute('max')}:00`)).toBeLessThanOrEqual(Date.now() + 60_000);
    await summary.fill('了解到老人需要代购药品');
    await when.fill('2031-01-01T10:00');
    await page.locator('[data-test=save-visit]').click();
    await expect(page.locator('[data-field-error=visitedAt]').textContent()).resolves.toBe('走访时间不能晚于现在');
    await shot(page, '30-visit-field-errors');
    // Editing the field takes its error away.
    await when.fill('2026-01-01T10:00');
    await page.locator('[data-field-error=visitedAt]').waitFor({ state: 'detached' });

    await page.goto(`${e.base}/households/${householdId}/dispute`);
    await expect(page.locator('[data-test=dispute-form] .van-field', { has: page.locator('textarea[name=description]') }).locator('.van-field__word-limit').textContent()).resolves.toBe('0/4000');
    await page.locator('[data-test=save-dispute]').click();
    await expect(fieldError(page, 'textarea[name=description]').textContent()).resolves.toBe('不能为空');

    await page.goto(`${e.base}/households/${householdId}`);
    await page.locator('[data-test=edit-phone]').click();
    await page.locator('[data-test=edit-form] input[name=value]').fill('123');
    await page.locator('[data-test=save-edit]').click();
    await expect(fieldError(page, 'input[name=value]').textContent()).resolves.toBe('格式不正确，应为11位手机号');
    await shot(page, '31-phone-field-error');

    // Nothing reached the outbox, and no schema pointer or English leaked onto the screen.
    expect(await page.locator('[data-test=pending]').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/参数不正确|\/summary|\/changes|must /);
  });

  it('offers a member only the dispute actions they may take', async () => {
    // The member's dispute, opened and escalated from another of their devices: the village handles it now.
    const auth = await apiAs(e, '13800001001');
    const disputeId = '01900000-0000-7000-8000-00000000e2e1';
    const hlc = (n: number) => `${(Date.now() + n).toString(16).padStart(16, '0')}-0000-e2e-forms`;
    const up = await e.app.inject({
      method: 'POST', url: '/api/sync/push', headers: auth,
      payload: {
        clientId: 'e2e-forms-other-device', schemaVersion: 2,
        mutations: [
          { id: 1, name: 'dispute.open', args: { id: disputeId, householdIds: [householdId], category: 'neighbour', description: '排水沟堵塞', openedAt: new Date().toISOString() }, hlc: hlc(0) },
          { id: 2, name: 'dispute.transition', args: { id: disputeId, from: 'open', to: 'escalated' }, hlc: hlc(1) },
        ],
      },
    });
    expect(up.json().results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);

    await page.goto(`${e.base}/households`);
    await page.goto(`${e.base}/disputes/${disputeId}`);
    await page.locator('[data-test=dispute-status]').filter({ hasText: '上报' }).waitFor({ timeout: 30_000 });
    // Escalated: the branch may no longer move it (the server would refuse), but may still log a mediation.
    await page.locator('[data-test=read-only]').waitFor();
    expect(await page.locator('[data-move]').count()).toBe(0);
    expect(await page.locator('[data-test=add-mediation]').count()).toBe(1);
    await shot(page, '32-escalated-dispute');
  });

  it('keeps a half-written visit, dispute and mediation across 返回 and a reload, and discards one only when asked', async () => {
    const visitUrl = `${e.base}/households/${householdId}/visit`;
    await page.goto(`${e.base}/households/${householdId}`);
    await page.locator('[data-test=detail-log-visit]').click();
    const summary = page.locator('[data-test=visit-form] textarea[name=summary]');
    await summary.fill('写了一半的走访：老人说楼道灯');

    // 返回 with typed work asks; keeping it leaves the page and the draft.
    await page.locator('.van-nav-bar__left').click();
    const dialog = page.locator('.lx-draft-dialog');
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('保留草稿');
    await shot(page, '33-keep-draft');
    await dialog.getByText('保留草稿', { exact: true }).click();
    await page.waitForURL(`**/households/${householdId}`);
    await page.locator('[data-test=detail-log-visit]').click();
    await page.locator('[data-test=draft-restored]').waitFor();
    await expect(summary.inputValue()).resolves.toBe('写了一半的走访：老人说楼道灯');

    // A reload (the update prompt's, or the member's) keeps it too.
    await summary.fill('写了一半的走访：老人说楼道灯坏了');
    await page.reload();
    await expect(summary.inputValue()).resolves.toBe('写了一半的走访：老人说楼道灯坏了');

    // Discarding happens only after the question, and only then is the form empty next time.
    await page.locator('.van-nav-bar__left').click();
    await dialog.getByText('放弃草稿', { exact: true }).click();
    await page.waitForURL(`**/households/${householdId}`);
    await page.goto(visitUrl);
    await expect(summary.inputValue()).resolves.toBe('');
    expect(await page.locator('[data-test=draft-restored]').count()).toBe(0);

    // A dispute's description, per household, across a reload.
    await page.goto(`${e.base}/households/${householdId}/dispute`);
    const description = page.locator('[data-test=dispute-form] textarea[name=description]');
    await description.fill('两户因排水沟发生争执，还没写完');
    await page.reload();
    await expect(description.inputValue()).resolves.toBe('两户因排水沟发生争执，还没写完');
    // The restored-draft button asks before discarding.
    await page.locator('[data-test=discard-draft]').click();
    await page.locator('.van-dialog').getByText('取消', { exact: true }).click();
    await expect(description.inputValue()).resolves.toBe('两户因排水沟发生争执，还没写完');

    // A mediation, per dispute, across a reload.
    await page.goto(`${e.base}/disputes/01900000-0000-7000-8000-00000000e2e1`);
    await page.locator('[data-test=add-mediation]').click();
    const mediation = page.locator('[data-test=mediation-form] textarea[name=summary]');
    await mediation.fill('组织双方协商，约定周末');
    await page.reload();
    await page.locator('[data-test=add-mediation]').click();
    await expect(mediation.inputValue()).resolves.toBe('组织双方协商，约定周末');
    await page.locator('[data-test=mediation-form] [data-test=draft-restored]').waitFor();

    // Saving clears a draft: no question on the way out, an empty form next time.
    await page.locator('[data-test=save-mediation]').click();
    await page.locator('[data-test=mediations] [data-mediation]').filter({ hasText: '组织双方协商，约定周末' }).waitFor();
    await page.reload();
    await page.locator('[data-test=add-mediation]').click();
    await expect(mediation.inputValue()).resolves.toBe('');
    await page.goto(`${e.base}/households/${householdId}/dispute`);
    await expect(description.inputValue()).resolves.toBe('两户因排水沟发生争执，还没写完');
    await page.locator('[data-test=save-dispute]').click();
    await page.waitForURL('**/disputes/**');
    expect(await page.locator('.lx-draft-dialog').count()).toBe(0);
    await page.goto(`${e.base}/households/${householdId}/dispute`);
    await expect(description.inputValue()).resolves.toBe('');
  });
});
