/**
 * What a member's phone downloads to show its first screen, gzipped (issue 14: ≤ 150 KB): the
 * entry chunk, its static imports, the household list route (the member's home) with its own
 * imports, and their stylesheets — from the build's chunk graph (scripts/build-manifest.ts).
 * Not a test; prints figures.
 *
 *   npm run build && npx tsx bench/bundle-size.ts                          # dist/client
 *   BENCH_BASELINE_REF=main npx tsx bench/bundle-size.ts                    # …and main's, built now
 *
 * With BENCH_BASELINE_REF the ref's client (client/, shared/, scripts/, the configs) is unpacked
 * with `git archive` into a temporary folder beside this tree's node_modules and built there, so
 * before and after are printed by one run. Each file is gzipped on its own (level 6, as servers
 * and CDNs send it); the service worker's precache of later screens is not counted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readManifest, startFiles } from '../scripts/build-manifest.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The member's first screen after login (client/src/modules/router.ts). */
const HOME_VIEW = 'src/views/HouseholdListView.vue';
const TARGET_KB = 150;

interface Size { files: { file: string; raw: number; gz: number }[]; raw: number; gz: number }

function measure(dist: string): Size {
  const files = startFiles(readManifest(dist), [HOME_VIEW]).map((file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, raw: bytes.length, gz: gzipSync(bytes, { level: 6 }).length };
  });
  files.sort((a, b) => b.gz - a.gz);
  return { files, raw: files.reduce((s, f) => s + f.raw, 0), gz: files.reduce((s, f) => s + f.gz, 0) };
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
function print(label: string, s: Size) {
  console.log(`\n${label}: ${s.files.length} files, ${kb(s.raw)} raw`);
  for (const f of s.files) console.log(`  ${kb(f.gz).padStart(9)} gz  ${kb(f.raw).padStart(9)} raw  ${f.file}`);
  console.log(`member's first screen, gzipped (${label}): ${kb(s.gz)}`);
}

let before: Size | null = null;
const ref = process.env.BENCH_BASELINE_REF;
if (ref) {
  const root = mkdtempSync(join(tmpdir(), 'lianxin-bundle-baseline-'));
  try {
    const paths = ['client', 'shared', 'scripts', 'vite.config.ts', 'tsconfig.json', 'package.json'];
    const tracked = paths.filter((p) => execFileSync('git', ['-C', repo, 'ls-tree', '--name-only', ref, p]).toString().trim());
    execFileSync('tar', ['-x', '-C', root], { input: execFileSync('git', ['-C', repo, 'archive', ref, ...tracked], { maxBuffer: 1 << 30 }) });
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
    execFileSync(join(repo, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    before = measure(join(root, 'dist/client'));
    print(`before (${ref})`, before);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
const now = measure(join(repo, 'dist/client'));
print('now (dist/client)', now);
console.log(
  `\nmember-screen JavaScript and CSS, gzipped: ${before ? `before ${kb(before.gz)}, ` : ''}now ${kb(now.gz)} (target ≤ ${TARGET_KB} KB${now.gz <= TARGET_KB * 1024 ? ', met' : ', not met'})`,
);
