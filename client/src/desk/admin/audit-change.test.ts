import { describe, expect, it } from 'vitest';
import { auditChanges, changeText } from './audit-change.ts';

const names: Record<string, string> = { name: '姓名', centralHousehold: '党员中心户', mustChangePassword: '须改密码', unitName: '组织' };
const reading = { label: (f: string) => names[f] ?? '其他内容', code: (f: string, v: unknown) => (f === 'role' ? ({ admin: '管理员' } as Record<string, string>)[String(v)] : undefined) };

describe('audit entries read as before → after', () => {
  it('keeps only the fields that changed, with readable values (no true/false)', () => {
    const lines = auditChanges({ name: '张三', centralHousehold: false }, { name: '张三', centralHousehold: true }, reading, 'zh');
    expect(lines).toEqual([{ field: '党员中心户', before: '否', after: '是' }]);
    expect(changeText(lines)).toBe('党员中心户：否 → 是');
  });

  it('a created row lists what it was made with; ids and empty fields are left out', () => {
    const lines = auditChanges(null, { name: '李四', unitId: '0190-x', unitName: '第一组', retiredAt: null }, reading, 'zh');
    expect(changeText(lines)).toBe('姓名：李四；组织：第一组');
  });

  it('household fields use the kind labels and formats (addresses, care tags)', () => {
    const lines = auditChanges(
      { address: { kind: 'village', houseNumber: '12' }, careTags: ['veteran'] },
      { address: { kind: 'village', houseNumber: '14' }, careTags: ['veteran', 'migrant'] },
      reading,
      'zh',
      'households',
    );
    expect(lines.map((l) => [l.before, l.after])).toEqual([
      ['12号', '14号'],
      ['退役军人', '退役军人、流动人口'],
    ]);
  });

  it('codes read as words, id lists as counts, ids and paths not at all', () => {
    const lines = auditChanges(
      { role: 'admin', unitId: 'u', unitName: '石岭村' },
      null,
      reading,
      'zh',
    );
    expect(changeText(lines)).toBe('其他内容：管理员 → —；组织：石岭村 → —');
    const moved = auditChanges({ disabledAt: null }, { devicesRetired: ['0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000', '0190aaaa-bbbb-7ccc-8ddd-eeeeffff0001'] }, reading, 'zh');
    expect(moved.find((l) => l.after === '2')).toBeTruthy();
  });
});
