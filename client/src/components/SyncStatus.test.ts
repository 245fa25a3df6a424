import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSSRApp, h, type Component } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createI18n } from 'vue-i18n';
import zhCN from '../locales/zh-CN.ts';
import { eventually, httpApp } from '../sync/testing/http-app.ts';
import { useSyncStore } from '../stores/sync.ts';
import SyncStatus from './SyncStatus.vue';
import OnlineBadge from './OnlineBadge.vue';

/** Renders a component as the app would, with the test's stores and the Chinese strings. */
async function render(component: Component, pinia: ReturnType<typeof httpApp>['pinia']): Promise<string> {
  const app = createSSRApp({ render: () => h(component) });
  app.use(pinia).use(createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN } }));
  app.component('RouterLink', { render: () => null });
  return renderToString(app);
}

afterEach(() => {
  useSyncStore().stop();
  vi.unstubAllGlobals();
});

describe('the status line while syncs fail (issue 8, item 3)', () => {
  it('says why and what to do, never all-synced or a green 在线, and recovers on one tap', async () => {
    vi.stubGlobal('window', new EventTarget()); // for the online badge
    const { net, pinia, sync } = httpApp();
    net.fail.push(502); // the server is down behind its proxy
    await sync.start();
    await eventually(() => expect(sync.lastErrorReason).toBe('unreachable'));
    const line = await render(SyncStatus, pinia);
    expect(line).toContain('服务器暂时无法连接，稍后会自动重试');
    expect(line).not.toContain('已全部同步');
    const badge = await render(OnlineBadge, pinia);
    expect(badge).toContain('同步失败');
    expect(badge).not.toContain('在线');

    net.fail.push(500);
    await sync.syncNow();
    expect(await render(SyncStatus, pinia)).toContain('服务器出错，稍后会自动重试');

    await sync.syncNow(); // the server is back
    expect(await render(SyncStatus, pinia)).toContain('已全部同步');
    expect(await render(OnlineBadge, pinia)).toContain('在线');
  });

  it('a login that expired says to log in again', async () => {
    vi.stubGlobal('window', new EventTarget());
    const { pinia, sync } = httpApp();
    // The server no longer knows the token: 401, which only a new login fixes.
    vi.stubGlobal('fetch', async () => Response.json({ code: 'SESSION_EXPIRED', message: '' }, { status: 401 }));
    await sync.start();
    await eventually(() => expect(sync.lastErrorReason).toBe('session'));
    expect(await render(SyncStatus, pinia)).toContain('登录已过期，请重新登录');
  });
});
