import { describe, expect, it } from 'vitest';
import { sortRows } from './sort-rows.ts';

describe('desk table sorting', () => {
  const rows = [
    { name: '王五', n: 3, at: '2024-05-03' },
    { name: '李四', n: null, at: null },
    { name: '张三', n: 10, at: '2024-05-01' },
    { name: '陈一', n: 3, at: '2024-05-02' },
  ];

  it('numbers sort as numbers, and equal keys keep their order', () => {
    expect(sortRows(rows, (r) => r.n, 'ascending').map((r) => r.name)).toEqual(['王五', '陈一', '张三', '李四']);
    expect(sortRows(rows, (r) => r.n, 'descending').map((r) => r.name)).toEqual(['张三', '王五', '陈一', '李四']);
  });

  it('an empty value goes last in either direction', () => {
    expect(sortRows(rows, (r) => r.at, 'descending').at(-1)!.name).toBe('李四');
    expect(sortRows(rows, (r) => r.at, 'ascending').at(-1)!.name).toBe('李四');
  });

  it('names sort in pinyin order, and no order leaves the rows as given', () => {
    expect(sortRows(rows, (r) => r.name, 'ascending').map((r) => r.name)).toEqual(['陈一', '李四', '王五', '张三']);
    expect(sortRows(rows, (r) => r.name, null)).toEqual(rows);
  });
});
