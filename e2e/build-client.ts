import { existsSync } from 'node:fs';
import { build } from 'vite';

/** The browser tests drive the built app, service worker included: build it once per run. */
export default async function setup(): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('Browser tests need Debian\'s Chromium at /usr/bin/chromium: apt-get install -y chromium');
  }
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: '../dist/e2e-client', emptyOutDir: true } });
}
