import { createI18n } from 'vue-i18n';
import { Locale as VantLocale } from 'vant';
import vantEnUS from 'vant/es/locale/lang/en-US';
import vantZhCN from 'vant/es/locale/lang/zh-CN';
import zhCN from '../locales/zh-CN.ts';
import en from '../locales/en.ts';
import { configureHttp } from '../api/http.ts';
import { compileMessage } from '../message-compiler.ts';
import { langOf } from '../format.ts';
import type { UserModule } from './types.ts';

export type AppLocale = 'zh-CN' | 'en';
const LOCALE_KEY = 'lianxin.locale';

function savedLocale(): AppLocale {
  try {
    return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = createI18n<[typeof zhCN], AppLocale, false>({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
  // vue-i18n's runtime-only build (vite.config.ts) has no compiler of its own.
  messageCompiler: compileMessage,
});

function apply(locale: AppLocale) {
  document.documentElement.lang = locale;
  // Vant's own texts (dialog buttons, pull-refresh) follow the app's language.
  VantLocale.use(locale === 'en' ? 'en-US' : 'zh-CN', locale === 'en' ? vantEnUS : vantZhCN);
}

/** Switches the language and remembers it on this device. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  try {
    localStorage.setItem(LOCALE_KEY, locale);
  } catch {
    // Not remembered; the switch still holds for this visit.
  }
  apply(locale);
}

/** The current language as the shared lists name it ('zh' | 'en'). */
export const currentLang = () => langOf(i18n.global.locale.value);

export const install: UserModule = (app) => {
  app.use(i18n);
  apply(i18n.global.locale.value);
  configureHttp({ lang: currentLang });
};
