import { readFileSync } from 'node:fs';

/**
 * Reading a client build's chunk graph (`.vite/manifest.json`, written because vite.config.ts sets
 * `build.manifest`): the one home of "what a phone loads at start", for the bundle test
 * (e2e/desk-bundle.e2e.ts) and the size bench (bench/bundle-size.ts).
 */
export interface ManifestEntry { file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] }
export type Manifest = Record<string, ManifestEntry>;

export const readManifest = (dist: string): Manifest => JSON.parse(readFileSync(`${dist}/.vite/manifest.json`, 'utf8')) as Manifest;

/**
 * The files (scripts and stylesheets, as paths inside the build) a browser fetches to run the
 * entry and the given sources (e.g. a route's view, lazy or not): each with its static imports,
 * transitively — what the first screen needs, lazy routes it does not open left out. A source the
 * manifest does not list was bundled into a chunk of the entry's static imports (only entries and
 * lazily imported modules get chunks of their own), so it is counted already.
 */
export function startFiles(m: Manifest, sources: string[] = []): string[] {
  const entry = Object.keys(m).find((k) => m[k]!.isEntry);
  if (!entry) throw new Error('the manifest has no entry');
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    const e = m[key];
    if (!e) throw new Error(`${key} is not in the manifest`);
    seen.add(key);
    for (const k of e.imports ?? []) walk(k);
  };
  walk(entry);
  for (const key of sources) if (m[key]) walk(key);
  return [...new Set([...seen].flatMap((k) => [m[k]!.file, ...(m[k]!.css ?? [])]))];
}
