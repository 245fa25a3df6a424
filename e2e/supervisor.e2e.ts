import { afterAll, beforeAll, describe, it } from 'vitest';
import { login, logVisit, memberOf, phone, shot, startE2E, swReady, synced, type E2E } from './harness.ts';

/** Issue 5 (part): the supervisor's open sync report follows a member's sync without a reload. */
describe('supervisor console', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('updates the open sync report live when a member in scope syncs', async () => {
    const secretaryCtx = await phone(e);
    const secretary = await secretaryCtx.newPage();
    await login(secretary, e.base, '13800000005');
    await secretary.locator('[data-test=open-reports]').click();
    await secretary.locator('[data-test=sync-report]').waitFor();
    const before = await secretary.locator('[data-test=sync-report] td[data-test=applied]').allTextContents();

    const memberCtx = await phone(e);
    const member = await memberCtx.newPage();
    await login(member, e.base, '13800001001');
    await swReady(member);
    await synced(member);
    const h = e.org.households.find((x) => x.memberId === memberOf(e, '13800001001').id)!;
    await logVisit(member, h.id, '走访了解近况');
    await synced(member);

    // No reload on the secretary's page: the poke brings the new figures.
    await secretary.waitForFunction(
      (prev) => [...document.querySelectorAll('[data-test=sync-report] td[data-test=applied]')].some((td, i) => td.textContent?.startsWith('1 /') && prev[i] !== td.textContent),
      before,
      { timeout: 30_000 },
    );
    await shot(secretary, '09-sync-report');
    await secretaryCtx.close();
    await memberCtx.close();
  });
});
