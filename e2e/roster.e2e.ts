import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkbook } from '../server/src/services/roster-workbook.ts';
import { unitPathName } from '../server/test/roster-helpers.ts';
import { login, phone, shot, startE2E, type E2E } from './harness.ts';

/** Issue 10: an admin imports a roster at the desk; the new member logs in on a phone and sees their household. */
describe('roster import at the desk', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('checks the file first, imports on confirmation, and the new member finds their household', async () => {
    const desk = await e.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await desk.newPage();
    page.on('pageerror', (err) => console.error(`[desk] ${err.message}`));
    await login(page, e.base, '13800000001');
    await page.goto(`${e.base}/desk/admin/roster`);
    await page.locator('[data-test=roster]').waitFor();

    const group = e.org.units.find((u) => u.kind === 'villager_group')!;
    const path = unitPathName(e.org, group.id);
    const mimeType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const bad = await buildWorkbook([{ name: '导入党员', phone: '1369999', unit: path, role: '联户党员', central: '是' }], []);
    await page.locator('[data-test=roster-file]').setInputFiles({ name: '花名册.xlsx', mimeType, buffer: bad });
    await page.locator('[data-test=roster-errors]').getByText('手机号应为以1开头的11位数字').waitFor();
    await shot(page, 'roster-errors');

    const good = await buildWorkbook(
      [{ name: '导入党员', phone: '13699990001', unit: path, role: '联户党员', central: '是' }],
      [{ id: '', headName: '导入新住户', phone: '', unit: path, houseNumber: '66号', building: '', entrance: '', room: '', size: 3, careTags: '独居老人', memberPhone: '13699990001', notes: '' }],
    );
    await page.locator('[data-test=roster-file]').setInputFiles({ name: '花名册.xlsx', mimeType, buffer: good });
    await page.locator('[data-test=roster-confirm]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    const passwords = page.locator('[data-test=roster-passwords]');
    await passwords.getByText('13699990001').waitFor();
    await shot(page, 'roster-imported');
    const password = (await passwords.locator('tbody tr td').nth(2).textContent())!.trim();
    expect(password).toMatch(/^[a-z2-9]{12}$/);
    await desk.close();

    const ctx = await phone(e);
    const member = await ctx.newPage();
    await member.goto(`${e.base}/login`);
    await member.locator('input[type=tel]').fill('13699990001');
    await member.locator('input[type=password]').fill(password);
    await member.locator('button[type=submit]').click();
    // A password from the import is temporary: the first login must choose a new one.
    await member.waitForURL('**/password');
    await member.locator('[data-test=change-password] input[name=current]').fill(password);
    await member.locator('[data-test=change-password] input[name=next]').fill('xinmima2026');
    await member.locator('[data-test=change-password] input[name=confirm]').fill('xinmima2026');
    await member.locator('[data-test=save-password]').click();
    await member.waitForURL('**/households');
    await member.getByText('导入新住户').first().waitFor({ timeout: 30_000 });
    await ctx.close();
  });
});
