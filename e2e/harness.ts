import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.ts';
import type { GeneratedOrg } from '../server/src/demo/generate-org.ts';
import { DEMO_PASSWORD } from '../server/src/demo/load-org.ts';
import { createTestDb, DB_KINDS, demoOrg, type TestDb } from '../server/test/test-db.ts';

export const SHOTS = 'test-results/screenshots';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The real server on a fresh database (PostgreSQL when given, else PGlite) serving the built app, and Chromium. */
export interface E2E {
  app: FastifyInstance;
  db: TestDb;
  org: GeneratedOrg;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  mkdirSync(SHOTS, { recursive: true });
  // A copy of the run's demo template (server/test/db-templates.ts), not a migration and load per file.
  const db = await createTestDb(DB_KINDS.includes('postgres') ? 'postgres' : 'pglite', 'demo');
  const org = demoOrg();
  const app = await buildApp({ db: db.opened, config: { clientDir: resolve('dist/e2e-client') } });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  return {
    app, db, org, base, browser,
    async close() {
      await browser.close();
      await app.close();
      await db.drop();
    },
  };
}

/** A phone: its own browser profile at 360×640. */
export async function phone(e: E2E): Promise<BrowserContext> {
  const ctx = await e.browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'zh-CN', serviceWorkers: 'allow', hasTouch: true, isMobile: true });
  // Errors in the page end up in the test log, where a failure can be understood.
  ctx.on('page', (p) => {
    p.on('pageerror', (err) => console.error(`[page] ${err.message}`));
    p.on('console', (m) => {
      // Requests failing while the test holds the phone offline are expected; anything else is shown.
      if (m.type() === 'error' && !m.text().includes('ERR_INTERNET_DISCONNECTED')) console.error(`[console] ${m.text()}`);
    });
  });
  return ctx;
}

export async function login(page: Page, base: string, phoneNumber: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('input[type=tel]').fill(phoneNumber);
  await page.locator('input[type=password]').fill(DEMO_PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Waits until the service worker is active and controls the page, so offline loads come from its cache. */
export async function swReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first visit is not controlled until it is loaded again.
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
}

/** The sync status line reads "已全部同步" once nothing is pending and a sync finished. */
export async function synced(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-test=sync-status]')?.textContent?.includes('已全部同步'), undefined, { timeout: 30_000 }).catch(async (err) => {
    const line = await page.locator('[data-test=sync-status]').textContent().catch(() => null);
    throw new Error(`never synced; the status line says: ${line}`, { cause: err });
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

export async function logVisit(page: Page, householdId: string, summary: string): Promise<void> {
  await page.locator(`[data-household="${householdId}"] [data-test=log-visit]`).click();
  await page.locator('[data-test=visit-form] textarea[name=summary]').fill(summary);
  await page.locator('[data-test=save-visit]').click();
  await page.waitForURL(`**/households/${householdId}`);
}

/** A bearer header for a demo phone, for setting the scene through the API. */
export async function apiAs(e: E2E, phoneNumber: string): Promise<{ authorization: string }> {
  const res = await e.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: phoneNumber, password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login ${phoneNumber}: ${res.body}`);
  return { authorization: `Bearer ${res.json().token}` };
}

/** The member record behind a demo phone. */
export function memberOf(e: E2E, phoneNumber: string) {
  const user = e.org.users.find((u) => u.phone === phoneNumber)!;
  return e.org.members.find((m) => m.userId === user.id)!;
}

/** Tells the page the network is back (Playwright's offline switch does not fire the event everywhere). */
export async function goOnline(ctx: BrowserContext, page: Page): Promise<void> {
  await ctx.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
}
