import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { compileMessage } from './message-compiler.ts';

describe('the message compiler (vue-i18n runtime-only)', () => {
  const i18n = createI18n({
    legacy: false,
    locale: 'en',
    messageCompiler: compileMessage,
    messages: { en: { plain: '已同步', named: '{n} 户，{ name }', list: '{0} of {1}', count: '{n} household | {n} households', amp: 'a & b: {x}' } },
  });
  const { t } = i18n.global;
  it('fills named and list placeholders and keeps the rest as text', () => {
    expect(t('plain')).toBe('已同步');
    expect(t('named', { n: 3, name: '张三' })).toBe('3 户，张三');
    expect(t('list', ['1', '2'])).toBe('1 of 2');
    expect(t('amp', { x: 1 })).toBe('a & b: 1');
  });
  it('chooses a plural form by the count', () => {
    expect(t('count', 1)).toBe('1 household');
    expect(t('count', 4)).toBe('4 households');
    expect(t('count', { n: 1 }, 1)).toBe('1 household');
  });
});
