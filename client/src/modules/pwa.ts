import { registerSW } from 'virtual:pwa-register';
import { showConfirmDialog, showToast } from 'vant';
import { i18n } from './i18n.ts';
import type { UserModule } from './types.ts';

const HOUR = 60 * 60 * 1000;

/**
 * Resolves once a service worker controls this page. Only then are the route chunks served
 * from its cache; "installed" alone (when workbox reports offline-ready) is not enough.
 */
function whenControlled(): Promise<void> {
  if (navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((resolve) => {
    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
  });
}

/**
 * Registers the service worker. A new version waits until the member says so: reloading by
 * itself could drop a half-typed visit record, so we only ask.
 */
export const install: UserModule = () => {
  if (!('serviceWorker' in navigator)) return;
  const t = i18n.global.t;
  let asking = false;
  const updateSW = registerSW({
    async onNeedRefresh() {
      if (asking) return;
      asking = true;
      try {
        await showConfirmDialog({
          title: t('pwa.updateTitle'),
          message: t('pwa.updateReady'),
          confirmButtonText: t('pwa.refresh'),
          cancelButtonText: t('pwa.later'),
        });
        await updateSW(true); // skip waiting, then reload once the new worker controls the page
      } catch {
        // "Later": the new version activates on the next launch.
      } finally {
        asking = false;
      }
    },
    async onOfflineReady() {
      // The first worker claims the page (clientsClaim, vite.config.ts); promise offline use only then.
      await whenControlled();
      // The desk is not in the offline cache (vite.config.ts): promising it there would be false.
      if (!location.pathname.startsWith('/desk')) showToast(t('pwa.offlineReady'));
    },
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      // Phones keep the app open for days; look for a new version now and then, when online.
      setInterval(() => {
        if (navigator.onLine) void registration.update();
      }, HOUR);
    },
  });
};
