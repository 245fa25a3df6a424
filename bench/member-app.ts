/**
 * The member app in headless Chromium (Debian's /usr/bin/chromium) against the real server:
 * bytes shipped, cold start offline to the household list, and saving a visit on the phone.
 * Prints medians; not a test.   npx tsx bench/member-app.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { login, phone, startE2E, swReady, synced } from '../e2e/harness.ts';
import { median, ms } from './lib.ts';

await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: '../dist/e2e-client', emptyOutDir: true } });
const assets = readdirSync('dist/e2e-client/assets');
const gz = (f: string) => gzipSync(readFileSync(`dist/e2e-client/assets/${f}`)).length;
// Everything but the supervisors' screens, which members never load.
const member = assets.filter((f) => !f.startsWith('SuperviseView') && !f.startsWith('ReportsView'));
const js = member.filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(f), 0);
const css = member.filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(f), 0);
console.log(`member screens shipped, gzipped: JS ${(js / 1024).toFixed(1)} KB, CSS ${(css / 1024).toFixed(1)} KB`);

const e = await startE2E();
try {
  const ctx = await phone(e);
  let page = await ctx.newPage();
  await login(page, e.base, '13800001001');
  await swReady(page);
  await synced(page);
  await ctx.setOffline(true);

  const cold: number[] = [];
  for (let i = 0; i < 15; i++) {
    await page.close();
    page = await ctx.newPage();
    const t = performance.now();
    await page.goto(`${e.base}/households`);
    await page.locator('[data-test=household-list] [data-household]').first().waitFor();
    cold.push(performance.now() - t);
  }
  console.log(`cold start offline → household list: median ${ms(median(cold))} (15 runs, service worker + IndexedDB)`);

  const household = await page.locator('[data-household]').first().getAttribute('data-household');
  const save: number[] = [];
  for (let i = 0; i < 100; i++) {
    await page.goto(`${e.base}/households/${household}/visit`);
    await page.locator('[data-test=visit-form] textarea[name=summary]').fill(`第${i + 1}次走访，了解近况`);
    const t = performance.now();
    await page.locator('[data-test=save-visit]').click();
    await page.waitForURL(`**/households/${household}`);
    save.push(performance.now() - t);
  }
  console.log(`save a visit on the phone (tap 保存 → detail page shows it), offline: median ${ms(median(save))} over 100`);
  console.log('taps from the list to a saved visit: 2 (记走访 on the household row, then 保存走访; method, purpose and time default)');
  await ctx.close();
} finally {
  await e.close();
}
