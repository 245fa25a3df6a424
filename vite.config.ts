import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chunkFileNames, deskChunks, withoutDesk } from './scripts/desk-chunks.ts';

const shared = fileURLToPath(new URL('./shared/src', import.meta.url));
const vantIcons = fileURLToPath(new URL('./client/src/styles/vant-icons.css', import.meta.url));

/**
 * Every Vant component's style imports Vant's icon CSS, which inlines the whole icon font (≈34 KB
 * that gzip cannot shrink) into the CSS the phone loads first: the phone's icons only instead
 * (scripts/vant-icon-subset.py).
 */
const vantIconSubset = (): Plugin => ({
  name: 'lianxin-vant-icon-subset',
  enforce: 'pre',
  load: (id) => (/[\\/]node_modules[\\/]vant[\\/]es[\\/]icon[\\/]index\.css$/.test(id) ? readFileSync(vantIcons, 'utf8') : null),
});

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  resolve: {
    alias: [
      { find: '@shared', replacement: shared },
      // The runtime-only build: messages are compiled by client/src/modules/message-compiler.ts.
      { find: /^vue-i18n$/, replacement: 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' },
    ],
  },
  define: {
    // vue-i18n's feature flags (esm-bundler builds): the Composition API only, no devtools hooks.
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 600,
    // The build's chunk graph (.vite/manifest.json, not served): e2e/desk-bundle.e2e.ts checks the phone's entry against it.
    manifest: true,
    // The desk's chunks are named desk-… (scripts/desk-chunks.ts).
    rollupOptions: { output: { chunkFileNames } },
  },
  server: { proxy: { '/api': { target: 'http://localhost:3000', ws: true } } },
  plugins: [
    vue(),
    vantIconSubset(),
    deskChunks(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        name: '连心 · 党建网格联户',
        short_name: '连心',
        description: '党员联系群众、走访、矛盾纠纷调解，离线也能用',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#c8161d',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Every chunk, route chunks included: a member who logs in and walks into a stairwell
        // must be able to open 记走访 without ever having opened it online.
        globPatterns: ['**/*.{js,css,html,png,svg,ico,webmanifest}'],
        // …but not the desk (supervisors' and admins' pages at a computer, Element Plus, ECharts):
        // members' phones must not download it. Named desk-…, and whatever else only the desk loads.
        globIgnores: ['**/desk-*'],
        manifestTransforms: [withoutDesk],
        // The first worker takes the page it was installed from at once, so the first day
        // works offline without a reload. No skipWaiting: a later release still waits for the
        // member's "刷新" (modules/pwa.ts), which sends SKIP_WAITING itself.
        clientsClaim: true,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  test: {
    root: '.',
    // Two cores: each server test file opens its own database, so run two files at a time.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'shared', root: '.', include: ['shared/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'server',
          root: '.',
          include: ['server/**/*.test.ts'],
          environment: 'node',
          // Migrated and demo template databases, built once per run and cloned per test file.
          globalSetup: ['server/test/db-templates.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: { name: 'client', root: '.', include: ['client/**/*.test.ts'], environment: 'node' },
      },
      {
        // Browser end-to-end tests: `npm run test:e2e` (needs Debian's /usr/bin/chromium).
        extends: true,
        test: {
          name: 'e2e',
          root: '.',
          include: ['e2e/**/*.e2e.ts'],
          environment: 'node',
          globalSetup: ['e2e/build-client.ts', 'server/test/db-templates.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
