/**
 * A device as a supervisor can recognise it ("华为 ELS-AN00 · 微信"), read from the User-Agent
 * its browser sent when it synced. Two phones of one member must not look alike in the sync
 * report, and a supervisor on the phone to a member asks "the Huawei or the iPhone?" — never for
 * a client id. Shared, so the desk and the exports name a device the same way.
 */

type Lang = 'zh' | 'en';
interface Named { zh: string; en: string }
const same = (s: string): Named => ({ zh: s, en: s });

export interface DeviceName {
  /** The phone or computer: a brand and model where the browser tells it, else the system. */
  model: Named;
  /** The browser or the app the page ran in (WeChat's built-in browser is common). */
  browser: Named;
}

/** Model-number prefixes of the phones common in Guangdong, to their brand. */
const BRANDS: [RegExp, Named][] = [
  [/^(HUAWEI|ELS|NOH|NOP|ANA|TAS|LIO|OCE|JAD|ALN|BRA|CET)[- ]/i, { zh: '华为', en: 'Huawei' }],
  [/^(HONOR|HRY|BKL|PCT|ANY|RMO|FNE|NTH|ELZ)[- ]/i, { zh: '荣耀', en: 'Honor' }],
  [/^Redmi\b/i, { zh: '红米', en: 'Redmi' }],
  [/^(MI |Mi |Xiaomi|M2\d{3}[A-Z0-9]+$|2\d{5,}[A-Z]+$)/, { zh: '小米', en: 'Xiaomi' }],
  [/^(SM-|Galaxy)/i, { zh: '三星', en: 'Samsung' }],
  [/^(ONEPLUS|PHB\d{3}$|LE\d{4}$)/i, { zh: '一加', en: 'OnePlus' }],
  [/^(OPPO|P[A-Z]{3}\d{2}$|CPH\d{4}$)/, { zh: 'OPPO', en: 'OPPO' }],
  [/^(vivo|V\d{4}[A-Z]*$)/i, { zh: 'vivo', en: 'vivo' }],
  [/^(RMX\d{4}$|realme)/i, { zh: '真我', en: 'realme' }],
];

/** Apps and browsers, most specific first: WeChat's page runs in a Chrome that says "Chrome" too. */
const BROWSERS: [RegExp, Named][] = [
  [/MicroMessenger/i, { zh: '微信', en: 'WeChat' }],
  [/DingTalk/i, { zh: '钉钉', en: 'DingTalk' }],
  [/\bQQ\/|MQQBrowser/i, { zh: 'QQ浏览器', en: 'QQ Browser' }],
  [/UCBrowser|UCWEB/i, { zh: 'UC浏览器', en: 'UC Browser' }],
  [/HuaweiBrowser|HBPC/i, { zh: '华为浏览器', en: 'Huawei Browser' }],
  [/MiuiBrowser|XiaoMi/i, { zh: '小米浏览器', en: 'Mi Browser' }],
  [/HeyTapBrowser|OppoBrowser/i, { zh: 'OPPO浏览器', en: 'OPPO Browser' }],
  [/VivoBrowser/i, { zh: 'vivo浏览器', en: 'vivo Browser' }],
  [/Quark/i, { zh: '夸克', en: 'Quark' }],
  [/baiduboxapp|BaiduBrowser/i, { zh: '百度', en: 'Baidu' }],
  [/SamsungBrowser/i, { zh: '三星浏览器', en: 'Samsung Internet' }],
  [/Edg(e|A|iOS)?\//, same('Edge')],
  [/Firefox\/|FxiOS/, same('Firefox')],
  [/CriOS|Chrome\/|Chromium\//, same('Chrome')],
  [/Version\/[\d.]+.*Safari/, same('Safari')],
];

const UNKNOWN_MODEL: Named = { zh: '未知设备', en: 'Unknown device' };
const UNKNOWN_BROWSER: Named = { zh: '未知浏览器', en: 'Unknown browser' };

/** The Android model token: "Linux; Android 10; ELS-AN00 Build/…" → "ELS-AN00" (Chrome's reduced "K" is no model). */
function androidModel(ua: string): string | null {
  const m = /Android[ \d.]*;\s*(?:[a-z]{2}[-_][a-z]{2};\s*)?([^;)]+?)(?:\s+Build\/[^;)]*)?(?:;|\))/i.exec(ua);
  const model = m?.[1]?.trim();
  return model && model !== 'K' && !/^wv$/i.test(model) ? model : null;
}

function brandOf(model: string): Named | null {
  return BRANDS.find(([re]) => re.test(model))?.[1] ?? null;
}

function modelOf(ua: string): Named {
  if (/iPhone/.test(ua)) return same('iPhone');
  if (/iPad/.test(ua)) return same('iPad');
  if (/HarmonyOS|OpenHarmony/i.test(ua) && !/Android/i.test(ua)) return { zh: '鸿蒙设备', en: 'HarmonyOS device' };
  if (/Android/i.test(ua)) {
    const model = androidModel(ua);
    if (!model) return { zh: '安卓手机', en: 'Android phone' };
    const brand = brandOf(model);
    // A model number that already starts with its brand name is not repeated ("Redmi Note 12").
    if (!brand || model.toLowerCase().startsWith(brand.en.toLowerCase())) return same(model);
    return { zh: `${brand.zh} ${model}`, en: `${brand.en} ${model}` };
  }
  if (/Windows/.test(ua)) return { zh: 'Windows 电脑', en: 'Windows PC' };
  if (/Macintosh|Mac OS X/.test(ua)) return { zh: 'Mac 电脑', en: 'Mac' };
  if (/CrOS/.test(ua)) return same('Chromebook');
  if (/Linux/.test(ua)) return { zh: 'Linux 电脑', en: 'Linux PC' };
  return UNKNOWN_MODEL;
}

/** The device and browser a User-Agent names; an empty or missing one is an unknown device. */
export function parseDevice(userAgent: string | null | undefined): DeviceName {
  const ua = userAgent?.trim() ?? '';
  if (!ua) return { model: UNKNOWN_MODEL, browser: UNKNOWN_BROWSER };
  return { model: modelOf(ua), browser: BROWSERS.find(([re]) => re.test(ua))?.[1] ?? UNKNOWN_BROWSER };
}

/** The device in one line: "华为 ELS-AN00 · 微信". */
export function deviceLabel(userAgent: string | null | undefined, lang: Lang = 'zh'): string {
  const d = parseDevice(userAgent);
  return `${d.model[lang]} · ${d.browser[lang]}`;
}
