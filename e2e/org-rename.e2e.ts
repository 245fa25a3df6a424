import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, login, memberOf, phone, shot, startE2E, synced, type E2E } from './harness.ts';

/** Issue 9: units are synced records — an admin's rename reaches the member's phone by itself. */
describe('organisation edits on the phone', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('an admin renames the member’s branch; the phone shows the new name', async () => {
    const member = memberOf(e, '13800001001');
    const ctx = await phone(e);
    const page = await ctx.newPage();
    await login(page, e.base, '13800001001');
    await synced(page);
    const branch = e.org.units.find((u) => u.id === member.unitId)!;
    await page.getByText(branch.name).first().waitFor();
    const renamed = `${branch.name.replace(/党支部$/, '')}第一党支部`;
    const res = await e.app.inject({ method: 'PATCH', url: `/api/admin/units/${branch.id}`, headers: await apiAs(e, '13800000001'), payload: { name: renamed } });
    expect(res.statusCode).toBe(200);
    // No reload and no tap: the poke brings the change, the header follows the synced unit.
    await page.getByText(renamed).first().waitFor({ timeout: 30_000 });
    await shot(page, '09-branch-renamed');
    await ctx.close();
  });
});
