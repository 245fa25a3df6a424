import { describe, expect, it } from 'vitest';
import { deviceLabel, parseDevice } from './device-name.ts';

// Real User-Agent strings of the phones and browsers members use, each with the name a supervisor should read.
const CASES: [string, string, string][] = [
  [
    'Mozilla/5.0 (Linux; Android 10; ELS-AN00 Build/HUAWEIELS-AN00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.62 XWEB/2691 MMWEBSDK/200801 Mobile Safari/537.36 MMWEBID/1234 MicroMessenger/7.0.18.1740(0x27001235) Process/toolsmp WeChat/arm64 NetType/4G Language/zh_CN ABI/arm64',
    '华为 ELS-AN00 · 微信',
    'Huawei ELS-AN00 · WeChat',
  ],
  ['Mozilla/5.0 (Linux; Android 12; M2012K11AC Build/SKQ1.211006.001) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.4896.127 Mobile Safari/537.36', '小米 M2012K11AC · Chrome', 'Xiaomi M2012K11AC · Chrome'],
  ['Mozilla/5.0 (Linux; Android 13; 22081212C) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.6.30', '小米 22081212C · 小米浏览器', 'Xiaomi 22081212C · Mi Browser'],
  ['Mozilla/5.0 (Linux; Android 11; PEEM00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/90.0 Mobile Safari/537.36 HeyTapBrowser/40.7.35.1', 'OPPO PEEM00 · OPPO浏览器', 'OPPO PEEM00 · OPPO Browser'],
  ['Mozilla/5.0 (Linux; Android 13; V2227A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0 Mobile Safari/537.36 VivoBrowser/16.1.2.0', 'vivo V2227A · vivo浏览器', 'vivo V2227A · vivo Browser'],
  ['Mozilla/5.0 (Linux; Android 13; SM-S9180) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0 Mobile Safari/537.36', '三星 SM-S9180 · 三星浏览器', 'Samsung SM-S9180 · Samsung Internet'],
  ['Mozilla/5.0 (Linux; Android 12; Redmi Note 11 Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0 Mobile Safari/537.36', 'Redmi Note 11 Pro · Chrome', 'Redmi Note 11 Pro · Chrome'],
  // Chrome's reduced User-Agent hides the model behind "K": the system is all we can say.
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36', '安卓手机 · Chrome', 'Android phone · Chrome'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'iPhone · Safari', 'iPhone · Safari'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN', 'iPhone · 微信', 'iPhone · WeChat'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0', 'Windows 电脑 · Edge', 'Windows PC · Edge'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Mac 电脑 · Safari', 'Mac · Safari'],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36', 'Linux 电脑 · Chrome', 'Linux PC · Chrome'],
  ['Mozilla/5.0 (Phone; OpenHarmony 4.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.4.300', '鸿蒙设备 · 华为浏览器', 'HarmonyOS device · Huawei Browser'],
];

describe('a device named from its User-Agent', () => {
  for (const [ua, zh, en] of CASES) {
    it(`reads “${zh}”`, () => {
      expect(deviceLabel(ua, 'zh')).toBe(zh);
      expect(deviceLabel(ua, 'en')).toBe(en);
    });
  }

  it('two phones of one member are told apart', () => {
    expect(deviceLabel(CASES[0]![0])).not.toBe(deviceLabel(CASES[8]![0]));
  });

  it('a device that sent no User-Agent is an unknown device, not an empty cell', () => {
    for (const ua of [null, undefined, '', '   ']) expect(deviceLabel(ua)).toBe('未知设备 · 未知浏览器');
    expect(parseDevice('curl/8.0').model.zh).toBe('未知设备');
  });
});
