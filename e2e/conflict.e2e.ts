import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goOnline, login, memberOf, phone, shot, startE2E, swReady, synced, type E2E } from './harness.ts';

/** Issue 4, test 2: two devices edit the same household field offline; nothing is lost. */
describe('two devices, one field, both offline', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('opens one conflict with both values and shows it to the member whose edit did not stand', async () => {
    const h = e.org.households.find((x) => x.memberId === memberOf(e, '13800001001').id)!;
    const devices = [];
    for (const number of ['13800000005', '13800001001']) {
      const ctx = await phone(e);
      const page = await ctx.newPage();
      await login(page, e.base, number);
      await swReady(page);
      await page.goto(`${e.base}/households/${h.id}`);
      await synced(page);
      await ctx.setOffline(true);
      devices.push({ ctx, page, number });
    }
    const names = ['书记核实的户主名', '党员记录的户主名'];
    for (const [i, d] of devices.entries()) {
      await d.page.locator('[data-test=edit-headName]').click();
      await d.page.locator('[data-test=edit-form] input').fill(names[i]!);
      await d.page.locator('[data-test=save-edit]').click();
      await d.page.locator('[data-test=pending]').waitFor();
    }
    // The secretary's phone reaches signal first; then the member's.
    for (const d of devices) {
      await goOnline(d.ctx, d.page);
      await d.page.locator('[data-test=pending]').waitFor({ state: 'detached', timeout: 30_000 });
    }
    const member = devices[1]!.page;
    await member.reload();
    await member.locator('[data-test=conflicts]').waitFor({ timeout: 30_000 });
    await member.locator('.conflict').filter({ hasText: names[1]! }).waitFor();
    await shot(member, '06-conflict');

    const db = e.db.opened.db;
    const row = await db.selectFrom('households').select('head_name').where('id', '=', h.id).executeTakeFirstOrThrow();
    expect(row.head_name).toBe(names[0]);
    const conflicts = await db.selectFrom('conflicts').selectAll().where('record_id', '=', h.id).execute();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ field: 'headName', policy: 'review', status: 'open', kept_value: names[0], lost_value: names[1] });

    // The village committee reviews it and switches to the member's value; the member's phone follows.
    const reviewCtx = await phone(e);
    const review = await reviewCtx.newPage();
    await login(review, e.base, '13800000004');
    await review.goto(`${e.base}/reports`);
    await review.locator('[data-section=conflicts]').click();
    await review.locator(`[data-conflict="${conflicts[0]!.id}"] [data-test=comment]`).fill('核对户口本后确认');
    await review.locator(`[data-conflict="${conflicts[0]!.id}"] [data-test=switch]`).click();
    await review.waitForFunction(() => document.querySelector('[data-test=conflict-review]')?.textContent?.includes('改用另一值'), undefined, { timeout: 30_000 });
    await shot(review, '10-conflict-review');
    await member.evaluate(() => window.dispatchEvent(new Event('online')));
    await member.waitForFunction((name) => document.body.textContent?.includes(name) && !document.querySelector('.conflict'), names[1]!, { timeout: 30_000 });
    const settled = await db.selectFrom('households').select('head_name').where('id', '=', h.id).executeTakeFirstOrThrow();
    expect(settled.head_name).toBe(names[1]);
    const decided = await db.selectFrom('conflicts').select(['status', 'resolution', 'resolution_note']).where('id', '=', conflicts[0]!.id).executeTakeFirstOrThrow();
    expect(decided).toEqual({ status: 'resolved', resolution: 'other', resolution_note: '核对户口本后确认' });
    await reviewCtx.close();
    for (const d of devices) await d.ctx.close();
  });
});
