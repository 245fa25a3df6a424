import { describe, expect, it } from 'vitest';
import { assignmentSummary, loadWarnings, overCapacity } from './household-load.ts';

const limits = { min: 3, max: 5 };

describe('the per-member load rule', () => {
  it('refuses only a change that takes a member above the maximum', () => {
    expect(overCapacity(limits, { before: 5, after: 6 })).toBe(true);
    expect(overCapacity(limits, { before: 4, after: 5 })).toBe(false);
    // One already over it may still lose households.
    expect(overCapacity(limits, { before: 7, after: 6 })).toBe(false);
  });

  it('warns about members left below the minimum or still above the maximum, in Chinese', () => {
    const w = loadWarnings(limits, [
      { memberId: 'a', name: '张三', before: 3, after: 2 },
      { memberId: 'b', name: '李四', before: 1, after: 2 },
      { memberId: 'c', name: '王五', before: 7, after: 6 },
      { memberId: 'd', name: '赵六', before: 3, after: 4 },
    ]);
    expect(w.map((x) => x.message)).toEqual(['张三 剩 2 户，低于最少 3 户', '李四 只有 2 户，低于最少 3 户', '王五 仍有 6 户，超过最多 5 户']);
  });

  it('sums the moves up by who loses and who gains, then the warnings', () => {
    const moves = [{ from: '张三', to: '李四' }, { from: '张三', to: '李四' }, { from: '张三', to: '李四' }, { from: null, to: '李四' }];
    const w = loadWarnings(limits, [{ memberId: 'a', name: '张三', before: 5, after: 2 }]);
    expect(assignmentSummary(moves, w)).toBe('3 户从 张三 移到 李四；1 户分配给 李四；张三 剩 2 户，低于最少 3 户');
    expect(assignmentSummary([{ from: '张三', to: null }], [])).toBe('1 户不再由 张三 联系');
    expect(assignmentSummary([], [])).toBe('没有需要变动的住户');
  });
});
