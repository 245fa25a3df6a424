import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The same-origin files a page asks for in its `src="/…"` and `href="/…"` attributes. */
export function localReferences(html: string): string[] {
  const refs = new Set<string>();
  for (const m of html.matchAll(/\s(?:src|href)\s*=\s*["']([^"'#?]+)[^"']*["']/gi)) {
    const ref = m[1]!;
    if (ref.startsWith('/') && !ref.startsWith('//')) refs.add(ref);
  }
  return [...refs];
}

/**
 * Why a built client cannot be served as it is (no index.html, or an index.html naming files
 * that are not there: a build still being written, or one copied half-way), or null when whole.
 */
export function incompleteBuild(dir: string): string | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return `${index} is missing`;
  const missing = localReferences(readFileSync(index, 'utf8')).filter((ref) => !existsSync(join(dir, decodeURIComponent(ref))));
  return missing.length ? `${index} names files that are not there: ${missing.join(', ')}` : null;
}
