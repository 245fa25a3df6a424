import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-rule.ts';

describe('the password rule', () => {
  it('accepts 8 or more characters with letters and digits', () => {
    expect(passwordProblem('demo1234')).toBeNull();
    expect(passwordProblem('连心连心2024')).toBeNull();
  });
  it('refuses short, letters-only and digits-only passwords', () => {
    expect(passwordProblem('abc123')).toBe('PASSWORD_WEAK');
    expect(passwordProblem('abcdefgh')).toBe('PASSWORD_WEAK');
    expect(passwordProblem('12345678')).toBe('PASSWORD_WEAK');
  });
  it('refuses the phone number inside the password and the current password again', () => {
    expect(passwordProblem('a13800001234', { phone: '13800001234' })).toBe('PASSWORD_WEAK');
    expect(passwordProblem('demo1234', { current: 'demo1234' })).toBe('PASSWORD_UNCHANGED');
  });
});
