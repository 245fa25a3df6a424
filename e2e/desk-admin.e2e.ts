import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { login, memberOf, phone, startE2E, type E2E } from './harness.ts';

/** Screens of the admin console, kept in the repository for the README and the closing note. */
const DOCS = 'docs/screenshots';
async function docShot(page: Page, name: string) {
  // Not mid-load: the tables' loading masks are gone first.
  await page.waitForFunction(() => [...document.querySelectorAll('.el-loading-mask')].every((m) => getComputedStyle(m).display === 'none'), undefined, { timeout: 15_000 });
  await page.screenshot({ path: `${DOCS}/desk-admin-${name}.png` });
}

/** Picks an option of an Element Plus select whose dropdown is open, by its visible text. */
async function pickOption(page: Page, text: string) {
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

/** Confirms the open Element Plus message box. */
async function confirmBox(page: Page) {
  await page.locator('.el-message-box__btns .el-button--primary').click();
}

/** Issue 10: an admin at a desk keeps the tree and the people; a reset password is changed on the phone. */
describe('admin console', () => {
  let e: E2E;
  beforeAll(async () => {
    mkdirSync(DOCS, { recursive: true });
    e = await startE2E();
  });
  afterAll(() => e?.close());

  afterEach(async (ctx) => {
    // A failing step leaves the desk's screen behind, to see what it showed.
    if (ctx.task.result?.state === 'fail') for (const p of open) await p.screenshot({ path: `test-results/screenshots/desk-admin-failed-${open.indexOf(p)}.png` }).catch(() => {});
  });
  const open: Page[] = [];

  it('the admin creates a unit and a person and resets a member’s password; the member changes it on the phone and sees their households', async () => {
    const desk = await e.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    desk.on('page', (p) => p.on('pageerror', (err) => console.error(`[desk] ${err.message}`)));
    const admin = await desk.newPage();
    open.push(admin);
    await login(admin, e.base, '13800000001');

    // 组织架构: a new villager group under a village, with the kinds the shared rules allow.
    const village = e.org.units.find((u) => u.kind === 'village')!;
    await admin.goto(`${e.base}/desk/admin/units`);
    await admin.locator('input[data-test=unit-search]').fill(village.name);
    await admin.locator(`[data-unit="${village.id}"]`).click();
    await admin.locator('[data-test=unit-detail] h2', { hasText: village.name }).waitFor();
    await docShot(admin, 'units');
    await admin.locator('[data-test=unit-add-child]').click();
    await admin.locator('[data-test=unit-dialog] [data-test=unit-kind]').click();
    await pickOption(admin, '村民小组党支部');
    await admin.locator('[data-test=unit-dialog] input[data-test=unit-name]').fill('第九村民小组党支部');
    await admin.locator('[data-test=unit-save]').click();
    await admin.locator('[data-test=unit-detail] h2', { hasText: '第九村民小组党支部' }).waitFor();
    const created = await e.db.opened.db.selectFrom('units').select(['id', 'kind', 'parent_id']).where('name', '=', '第九村民小组党支部').executeTakeFirstOrThrow();
    expect(created).toMatchObject({ kind: 'villager_group', parent_id: village.id });

    // 人员: a new member in that group.
    await admin.goto(`${e.base}/desk/admin/people`);
    await admin.locator('[data-test=people-table] .el-table__row').first().waitFor();
    await admin.locator('[data-test=person-add]').click();
    const dialog = admin.locator('[data-test=member-dialog]');
    await dialog.locator('[data-test=unit-picker]').click();
    await dialog.locator('[data-test=unit-picker] input').fill('第九');
    await pickOption(admin, '第九村民小组党支部');
    await dialog.locator('input[name=name]').fill('陈晓明');
    await dialog.locator('input[name=phone]').fill('13800009001');
    await dialog.locator('input[name=password]').fill('chen2026x');
    await admin.locator('[data-test=member-save]').click();
    await dialog.waitFor({ state: 'detached' });
    const person = await e.db.opened.db.selectFrom('users').select(['id', 'name']).where('phone', '=', '13800009001').executeTakeFirstOrThrow();
    expect(person.name).toBe('陈晓明');

    // Reset the password of a liaison member who has households: shown once, with a warning.
    await admin.locator('input[data-test=people-q]').fill('13800001001');
    await admin.locator('[data-test=people-search]').click();
    await admin.locator('[data-person="13800001001"]').waitFor();
    await admin.locator('[data-test="person-more-13800001001"]').click();
    await admin.locator('[data-test=person-reset]:visible').click();
    await confirmBox(admin);
    const temp = await admin.locator('input[data-test=temp-password]').inputValue();
    expect(temp.length).toBeGreaterThanOrEqual(8);
    await admin.locator('[data-test=temp-password-dialog] .el-alert', { hasText: '只显示这一次' }).waitFor();
    await docShot(admin, 'reset-password');
    await admin.locator('[data-test=temp-done]').click();
    await admin.locator('input[data-test=people-q]').fill('');
    await admin.locator('[data-test=people-search]').click();
    await admin.locator('[data-test=people-table] .el-table__row').nth(5).waitFor();
    await docShot(admin, 'people');

    // The other pages, for the record: households, assignment with its gaps, the audit log.
    await admin.goto(`${e.base}/desk/admin/households`);
    await admin.locator('[data-test=households-table] .el-table__row').first().waitFor();
    await docShot(admin, 'households');
    // 联系分配: a household moved between two members of one branch, previewed first with the 3–5 rule's warning.
    const feng = memberOf(e, '13800001001');
    const branch = e.org.units.find((u) => u.id === feng.unitId)!;
    const held = (m: typeof feng) => e.org.households.filter((h) => h.memberId === m.id).length;
    const others = e.org.members.filter((m) => m.unitId === branch.id && m.id !== feng.id);
    // From a member at the minimum (left below it: the warning), to one with room.
    const from = others.find((m) => held(m) === 3)!;
    const to = others.find((m) => m.id !== from.id && held(m) < 5)!;
    const nameOf = (m: typeof feng) => e.org.users.find((u) => u.id === m.userId)!.name;
    const moving = e.org.households.find((h) => h.memberId === from.id)!;
    await admin.goto(`${e.base}/desk/admin/assignment`);
    await admin.locator('[data-test=gaps-panel] .el-table__row', { hasText: branch.name }).first().click();
    await admin.locator('.unit-pane .el-table__row', { hasText: moving.headName }).locator('.el-checkbox').click();
    await docShot(admin, 'assignment');
    await admin.locator('[data-test=assign-open]').click();
    await admin.locator('[data-test=assign-member]').click();
    await pickOption(admin, nameOf(to));
    await admin.locator('[data-test=assign-summary]', { hasText: nameOf(from) }).waitFor();
    await admin.locator('[data-test=assign-warning]', { hasText: '低于' }).waitFor();
    await docShot(admin, 'assignment-preview');
    await admin.locator('[data-test=assign-confirm]').click();
    await admin.locator('[data-test=assign-dialog]').waitFor({ state: 'detached' });
    const moved = await e.db.opened.db.selectFrom('households').select('member_id').where('id', '=', moving.id).executeTakeFirstOrThrow();
    expect(moved.member_id).toBe(to.id);
    await admin.goto(`${e.base}/desk/admin/audit`);
    await admin.locator('[data-test=audit-action]', { hasText: '重置密码' }).first().waitFor();
    await expect(admin.locator('[data-test=audit-action]', { hasText: '新增党员' }).count()).resolves.toBeGreaterThan(0);
    await docShot(admin, 'audit');

    // The account menu leads every desk user to their own password.
    await admin.locator('[data-test=desk-user]').click();
    await admin.locator('[data-test=desk-password-link]:visible').click();
    await admin.locator('[data-test=desk-password]').waitFor();
    await docShot(admin, 'own-password');

    // The member, on a phone: the temporary password opens nothing but the change-password screen.
    const ctx = await phone(e);
    const member = await ctx.newPage();
    open.push(member);
    await member.goto(`${e.base}/login`);
    await member.locator('input[type=tel]').fill('13800001001');
    await member.locator('input[type=password]').fill(temp);
    await member.locator('button[type=submit]').click();
    await member.waitForURL('**/password');
    await member.locator('[data-test=must-change]').waitFor();
    await member.goto(`${e.base}/households`);
    await member.waitForURL('**/password');
    await member.locator('[data-test=change-password] input[name=current]').fill(temp);
    await member.locator('[data-test=change-password] input[name=next]').fill('xinmima2026');
    await member.locator('[data-test=change-password] input[name=confirm]').fill('xinmima2026');
    await member.screenshot({ path: `${DOCS}/desk-admin-phone-change-password.png` });
    await member.locator('[data-test=save-password]').click();
    await member.waitForURL('**/households');
    const mine = e.org.households.filter((h) => h.memberId === memberOf(e, '13800001001').id);
    for (const h of mine) await member.locator(`[data-household="${h.id}"]`).waitFor({ timeout: 30_000 });
    const flag = await e.db.opened.db.selectFrom('users').select('must_change_password').where('phone', '=', '13800001001').executeTakeFirstOrThrow();
    expect(flag.must_change_password).toBe(false);
    await ctx.close();
    await desk.close();
  });
});
