import { describe, expect, it } from 'vitest';
import { auditChangeText } from './audit-change.ts';

describe('an audit change in words', () => {
  it('names the fields as the screens do and shows only what differs', () => {
    const before = { headName: '张三', size: 3, phone: '13900000000', careTags: ['dibao'] };
    const after = { headName: '张三', size: 4, phone: null, careTags: ['dibao', 'living_alone'] };
    expect(auditChangeText('households', before, after)).toBe('家庭人数：3 → 4；联系电话：13900000000 → （空）；帮扶类别：低保户 → 低保户、独居老人');
  });

  it('shows addresses as written and liaisons by name, never their ids', () => {
    const text = auditChangeText('households', { memberId: 'x', memberName: '李四', address: { kind: 'urban', building: '3栋', entrance: '2单元', room: '301' } }, { memberId: null, memberName: null, address: { kind: 'urban', building: '3栋', entrance: '2单元', room: '302' } });
    expect(text).toBe('联系党员：李四 → （空）；住址：3栋2单元301 → 3栋2单元302');
    expect(auditChangeText('households', { archivedAt: null }, { archivedAt: '2026-03-01T01:00:00.000Z' })).toMatch(/^归档时间：（空） → 2026\/3\/1 09:00:00$/);
  });
});
