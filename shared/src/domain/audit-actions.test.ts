import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionLabel } from './audit-actions.ts';

describe('audit action labels', () => {
  it('every code is <target>.<verb> with a Chinese label free of Latin letters and an English one', () => {
    for (const [code, label] of Object.entries(AUDIT_ACTIONS)) {
      expect(code).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(label.zh).toMatch(/^[^A-Za-z]+$/);
      expect(label.en.length).toBeGreaterThan(0);
    }
  });
  it('an unknown code still reads as Chinese', () => {
    expect(auditActionLabel('member.disable')).toBe('管理操作');
    expect(auditActionLabel('user.disable')).toBe('停用账号');
  });
});
