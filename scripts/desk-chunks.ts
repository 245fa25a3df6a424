import type { ManifestTransform } from 'workbox-build';
import type { Plugin } from 'vite';

/**
 * Keeping the desk off members' phones (issue 10). The desk (client/src/desk/, Element Plus,
 * ECharts) is reached from the phone app only through the lazy imports of desk/routes.ts, so:
 * 1. its chunks are named `desk-…` (easy to see in the build output and in DevTools);
 * 2. after each build, every chunk and stylesheet the phone can reach without entering a desk
 *    route is the phone's; everything else is the desk's and is left out of the service worker's
 *    precache (members must not download it; the phone's own chunks must all be there, so the
 *    first day works offline) — and a `desk-` chunk the phone can reach fails the build.
 */

const DESK_SOURCE = /[\\/]client[\\/]src[\\/]desk[\\/]/;
/** Libraries only the desk uses: a chunk of nothing else (and desk sources) is a desk chunk. */
const DESK_LIBRARIES = /[\\/]node_modules[\\/](element-plus|@element-plus|echarts|zrender|vue-echarts|lodash-es|lodash-unified|dayjs|@vueuse|@floating-ui|@popperjs|async-validator|memoize-one|normalize-wheel-es|@ctrl|tslib)[\\/]/;

const isDeskModule = (id: string) => DESK_SOURCE.test(id) || DESK_LIBRARIES.test(id);

/** `output.chunkFileNames`: desk chunks as `assets/desk-[name]-[hash].js`. */
export function chunkFileNames(chunk: { facadeModuleId: string | null; moduleIds: readonly string[] }): string {
  const desk = (chunk.facadeModuleId && DESK_SOURCE.test(chunk.facadeModuleId)) || (chunk.moduleIds.length > 0 && chunk.moduleIds.every(isDeskModule));
  return desk ? 'assets/desk-[name]-[hash].js' : 'assets/[name]-[hash].js';
}

/** Files (as the precache names them, 'assets/x.js') only the desk loads, from the last build. */
const deskOnly = new Set<string>();

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}

/** The phone's files: from the entry, every static and lazy import except a lazy import into a desk page. */
export function phoneFiles(bundle: Record<string, { type: string }>): Set<string> {
  const chunks = new Map(Object.values(bundle).filter((o): o is ChunkLike => o.type === 'chunk').map((c) => [c.fileName, c]));
  const reached = new Set<string>();
  const visit = (file: string) => {
    const c = chunks.get(file);
    if (!c || reached.has(file)) return;
    reached.add(file);
    for (const css of c.viteMetadata?.importedCss ?? []) reached.add(css);
    for (const asset of c.viteMetadata?.importedAssets ?? []) reached.add(asset);
    c.imports.forEach(visit);
    for (const lazy of c.dynamicImports) {
      const target = chunks.get(lazy);
      if (target && !(target.facadeModuleId && DESK_SOURCE.test(target.facadeModuleId))) visit(lazy);
    }
  };
  for (const c of chunks.values()) if (c.isEntry) visit(c.fileName);
  return reached;
}

/** The build step: sorts the bundle's files into the phone's and the desk's, and checks the names agree. */
export function deskChunks(): Plugin {
  return {
    name: 'lianxin:desk-chunks',
    apply: 'build',
    generateBundle(_options, bundle) {
      const phone = phoneFiles(bundle);
      deskOnly.clear();
      for (const [file, out] of Object.entries(bundle)) {
        if (!/\.(js|css)$/.test(file)) continue;
        const desk = !phone.has(file);
        if (desk) deskOnly.add(file);
        if (!desk && out.type === 'chunk' && /(^|\/)desk-/.test(file)) {
          this.error(`${file} is named a desk chunk but the phone app loads it: it would be missing offline.`);
        }
      }
    },
  };
}

/** Workbox `manifestTransforms`: the precache without the desk's files. */
export const withoutDesk: ManifestTransform = async (entries) => ({ manifest: entries.filter((e) => !deskOnly.has(e.url.replace(/^\//, ''))), warnings: [] });
