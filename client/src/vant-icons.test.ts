import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every icon the phone names is in the icon font subset (scripts/vant-icon-subset.py), or it would show as nothing. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'desk' ? [] : sources(p);
    return /\.(vue|ts)$/.test(f) && !f.endsWith('.test.ts') ? [p] : [];
  });
}

describe('the Vant icon subset', () => {
  it('holds every icon the phone’s screens name', () => {
    const css = readFileSync('client/src/styles/vant-icons.css', 'utf8');
    const named = new Set<string>();
    for (const file of sources('client/src')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:\bicon|<van-icon[^>]*\bname)="([a-z0-9-]+)"/g)) named.add(m[1]!);
      for (const m of text.matchAll(/\bicon:\s*'([a-z0-9-]+)'/g)) named.add(m[1]!);
    }
    expect(named.size).toBeGreaterThan(5);
    for (const icon of named) expect(css, `${icon} is not in the subset`).toContain(`.van-icon-${icon}:before`);
  });
});
