import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder that looks like `vite build` output, for serving tests; `release(n)` writes build n. */
export function tempClient() {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-client-'));
  mkdirSync(join(dir, 'assets'));
  const page = (n: number) =>
    `<!doctype html><html><head><script type="module" crossorigin src="/assets/index-${n}.js"></script>` +
    `<link rel="stylesheet" href="/assets/index-${n}.css"><link rel="manifest" href="/manifest.webmanifest"></head><body>build ${n}</body></html>`;
  return {
    dir,
    page,
    /** Writes build n's assets, then its page (as a finished build leaves them). */
    release(n: number) {
      writeFileSync(join(dir, 'assets', `index-${n}.js`), `console.log(${n});`);
      writeFileSync(join(dir, 'assets', `index-${n}.css`), `body{--build:${n}}`);
      writeFileSync(join(dir, 'manifest.webmanifest'), '{"name":"连心"}');
      writeFileSync(join(dir, 'sw.js'), `// build ${n}`);
      writeFileSync(join(dir, 'index.html'), page(n));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
