import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readManifest, startFiles } from '../scripts/build-manifest.ts';

/**
 * Issue 10: Element Plus and ECharts load only on desk routes, and members' phones never download
 * the desk — while every phone screen stays in the precache (the first day works offline). Read
 * from the build the browser tests run (e2e/build-client.ts) and its chunk graph.
 */
const DIST = 'dist/e2e-client';
const manifest = () => readManifest(DIST);
/** Element Plus components and ECharts' renderer leave these names in the code that bundles them. */
const DESK_LIBRARY = /\bEl(Table|Button|ConfigProvider|Pagination)\b|el-table__|zrender|echarts/i;

describe('the phone bundle and the desk', () => {
  it('the phone’s entry and everything it imports at start hold neither Element Plus nor ECharts', () => {
    const files = startFiles(manifest());
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const hit = DESK_LIBRARY.exec(readFileSync(`${DIST}/${file}`, 'utf8'));
      expect(hit?.[0], `${file} holds desk code`).toBeUndefined();
      expect(file, 'a desk chunk loads at start').not.toMatch(/(^|\/)desk-/);
    }
  });

  it('the desk pages do hold them (so the check above looks at the right thing)', () => {
    const m = manifest();
    const overview = m['src/desk/reports/OverviewPage.vue']!;
    expect(readFileSync(`${DIST}/${overview.file}`, 'utf8')).toMatch(/zrender|echarts/i);
    const layout = m['src/desk/DeskLayout.vue']!;
    expect(layout.file).toMatch(/desk-/);
  });

  it('the precache holds every phone screen and nothing of the desk', () => {
    const m = manifest();
    const sw = readFileSync(`${DIST}/sw.js`, 'utf8');
    const precached = new Set([...sw.matchAll(/"?url"?:\s*"([^"]+)"/g)].map((x) => x[1]!.replace(/^\//, '')));
    const phoneViews = Object.entries(m).filter(([src]) => src.startsWith('src/views/'));
    expect(phoneViews.length).toBeGreaterThanOrEqual(8);
    for (const [src, e] of phoneViews) {
      expect(precached.has(e.file), `${src} is not precached`).toBe(true);
      for (const css of e.css ?? []) expect(precached.has(css), `${src}'s ${css} is not precached`).toBe(true);
    }
    const deskPages = Object.entries(m).filter(([src]) => src.startsWith('src/desk/') && src.endsWith('.vue'));
    expect(deskPages.length).toBeGreaterThanOrEqual(6);
    for (const [src, e] of deskPages) {
      expect(precached.has(e.file), `${src} is precached`).toBe(false);
      for (const css of e.css ?? []) expect(precached.has(css), `${src}'s ${css} is precached`).toBe(false);
    }
    for (const file of precached) expect(file).not.toMatch(/(^|\/)desk-/);
  });
});
