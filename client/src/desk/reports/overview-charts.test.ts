import { describe, expect, it } from 'vitest';
import type { DisputeBoardRow } from '@shared/schemas/reports.ts';
import { householdsInScope, lastWeeks, riskOption, statusOption, weeklyOption } from './overview-charts.ts';

const words = { visits: '走访次数', reached: '走访户数', coverage: '覆盖率' };

describe('the overview charts', () => {
  it('the weeks are the twelve Mondays up to this week’s, in China time', () => {
    // Sunday 23:30 in Beijing is still that week; Monday 00:30 in Beijing starts the next.
    expect(lastWeeks(new Date('2024-06-09T15:30:00Z'), 2)).toEqual(['2024-05-27', '2024-06-03']);
    expect(lastWeeks(new Date('2024-06-09T16:30:00Z'), 2)).toEqual(['2024-06-03', '2024-06-10']);
    expect(lastWeeks(new Date('2024-06-12T04:00:00Z'), 12)).toHaveLength(12);
  });

  it('weeks without visits are zero, and coverage is the share of the scope’s households reached', () => {
    const now = new Date('2024-06-12T04:00:00Z');
    const o = weeklyOption([{ week: '2024-06-10', visits: 9, households: 5 }, { week: '2024-05-27', visits: 2, households: 2 }], 20, now, words);
    expect(o.series[0]!.data.slice(-3)).toEqual([2, 0, 9]);
    expect(o.series[2]!.data.slice(-3)).toEqual([10, 0, 25]);
    expect(o.xAxis.data.at(-1)).toBe('06-10');
  });

  it('counts the scope’s households once, at its top units', () => {
    const u = (depth: number, households: number) => ({ unitId: String(Math.random()), unitName: 'x', kind: 'village' as const, depth, households, unvisited: 0, noLiaison: 0, membersOutOfRange: 0 });
    expect(householdsInScope([u(3, 30), u(4, 10), u(4, 20), u(3, 5)])).toBe(35);
  });

  it('dispute charts name statuses and risk levels in Chinese, never by code', () => {
    const d = (status: DisputeBoardRow['status'], riskLevel: string) => ({ status, riskLevel }) as DisputeBoardRow;
    const disputes = [d('open', 'red'), d('open', 'yellow'), d('closed', 'red'), d('mediating', 'yellow')];
    const s = statusOption(disputes, 'zh');
    expect(s.xAxis.data).toEqual(['受理', '调解中', '已化解', '上报', '办结']);
    expect(s.series[0]!.data).toEqual([2, 1, 0, 0, 1]);
    const r = riskOption(disputes, 'zh');
    expect(r.legend.data).toEqual(['红色（重大）', '橙色（可能激化）', '黄色（一般）', '蓝色（潜在）']);
    expect(r.series[0]!.data.map((x) => [x.name, x.value])).toEqual([['红色（重大）', 1], ['黄色（一般）', 2]]);
  });
});
