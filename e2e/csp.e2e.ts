import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, phone, shot, startE2E, swReady, type E2E } from './harness.ts';

/** Issue 8, item 13: the built app runs under the server's Content-Security-Policy. */
describe('content security policy', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(() => e?.close());

  it('the app loads, logs in, installs its service worker and opens the poke socket with no CSP violation', async () => {
    const ctx = await phone(e);
    const page = await ctx.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (ev) => console.error(`Content Security Policy violation: ${ev.violatedDirective} ${ev.blockedURI}`));
    });
    // The poke socket opens and the server says hello on it (connect-src lets it through).
    const hello = new Promise<void>((resolve) => {
      page.on('websocket', (ws) => ws.on('framereceived', (f) => String(f.payload).includes('hello') && resolve()));
    });
    const first = await page.goto(`${e.base}/login`);
    expect(first?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await login(page, e.base, '13800001001');
    await swReady(page);
    await page.locator('[data-household]').first().waitFor({ timeout: 30_000 });
    // Vant's icon font comes from a data: URL in its CSS.
    expect(await page.evaluate(async () => (await document.fonts.ready, [...document.fonts].some((f) => f.family.includes('vant-icon') && f.status === 'loaded')))).toBe(true);
    await hello;
    await shot(page, 'csp-home');
    // Vant's CSS names a CDN copy of its icon font after the inline one; the policy keeps the app
    // off third-party hosts, and the inline font is the one loaded (checked above).
    expect(violations.filter((v) => !/font.*\/\/at\.alicdn\.com\//.test(v))).toEqual([]);
    await ctx.close();
  });
});
