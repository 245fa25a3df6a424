import { describe, expect, it } from 'vitest';
import { checkPasswordForm, problemText } from './password-check.ts';

const t = (key: string) => key;

describe('own password form', () => {
  it('a good change has no problems', () => {
    expect(checkPasswordForm({ current: 'Temp-1234', next: 'hello2026', confirm: 'hello2026' }, '13800001001')).toEqual({});
  });

  it('names the box to fix: no current, a weak new one, a mismatch', () => {
    expect(checkPasswordForm({ current: '', next: 'hello2026', confirm: 'hello2026' })).toEqual({ current: 'currentRequired' });
    expect(checkPasswordForm({ current: 'x', next: 'short1', confirm: 'short1' }).next).toBe('PASSWORD_WEAK');
    expect(checkPasswordForm({ current: 'x', next: 'a13800001001', confirm: 'a13800001001' }, '13800001001').next).toBe('PASSWORD_WEAK');
    expect(checkPasswordForm({ current: 'hello2026', next: 'hello2026', confirm: 'hello2026' }).next).toBe('PASSWORD_UNCHANGED');
    expect(checkPasswordForm({ current: 'x', next: 'hello2026', confirm: 'hello2027' })).toEqual({ confirm: 'mismatch' });
  });

  it('explains rule problems in Chinese from the shared error texts', () => {
    expect(problemText('PASSWORD_WEAK', 'zh', t)).toMatch(/至少8位/);
    expect(problemText('mismatch', 'zh', t)).toBe('password.mismatch');
    expect(problemText(undefined, 'zh', t)).toBe('');
  });
});
