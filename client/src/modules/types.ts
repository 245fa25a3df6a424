import type { App } from 'vue';

/** A module installs one thing into the app (i18n, router, pinia, pwa, vant). */
export type UserModule = (app: App) => void;
