import { DISPUTE_STATUS_LABELS, DISPUTE_STATUSES } from '@shared/domain/dispute.ts';
import { DISPUTE_RISK_LEVELS } from '@shared/domain/lists.ts';
import type { CoverageUnit, DisputeBoardRow, VisitWeek } from '@shared/schemas/reports.ts';
import type { Lang } from '../../format.ts';
import { RISK_COLORS } from './labels.ts';

/**
 * The overview's chart options, built from the reports as plain data (ECharts options), so what
 * they show is tested without a canvas.
 */

const DAY = 86_400_000;

/** The Monday ('YYYY-MM-DD') of each of the last `n` weeks up to `now`'s, in China time, oldest first. */
export function lastWeeks(now: Date, n: number): string[] {
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const monday = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()) - ((china.getUTCDay() + 6) % 7) * DAY;
  return Array.from({ length: n }, (_, i) => new Date(monday - (n - 1 - i) * 7 * DAY).toISOString().slice(0, 10));
}

/** Households in the caller's whole scope: the top units' counts (each already sums its subtree). */
export function householdsInScope(units: CoverageUnit[]): number {
  const top = Math.min(...units.map((u) => u.depth));
  return units.filter((u) => u.depth === top).reduce((n, u) => n + u.households, 0);
}

interface Words { visits: string; reached: string; coverage: string }

/** Visits and households reached per week as bars, and the share of households reached as a line; weeks without visits show as 0. */
export function weeklyOption(weeks: VisitWeek[], households: number, now: Date, words: Words) {
  const axis = lastWeeks(now, 12);
  const byWeek = new Map(weeks.map((w) => [w.week, w]));
  const pct = (n: number) => (households ? Math.round((n / households) * 1000) / 10 : 0);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [words.visits, words.reached, words.coverage] },
    grid: { left: 48, right: 56, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: axis.map((d) => d.slice(5)) },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', axisLabel: { formatter: '{value}%' }, min: 0, max: 100 }],
    series: [
      { name: words.visits, type: 'bar', data: axis.map((w) => byWeek.get(w)?.visits ?? 0), itemStyle: { color: '#c8161d' } },
      { name: words.reached, type: 'bar', data: axis.map((w) => byWeek.get(w)?.households ?? 0), itemStyle: { color: '#e48b8e' } },
      { name: words.coverage, type: 'line', yAxisIndex: 1, data: axis.map((w) => pct(byWeek.get(w)?.households ?? 0)), itemStyle: { color: '#2f6fd6' } },
    ],
  };
}

/** Disputes per status, every status on the axis by its Chinese name. */
export function statusOption(disputes: DisputeBoardRow[], lang: Lang) {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: DISPUTE_STATUSES.map((s) => DISPUTE_STATUS_LABELS[s][lang]) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: DISPUTE_STATUSES.map((s) => disputes.filter((d) => d.status === s).length), itemStyle: { color: '#c8161d' }, barMaxWidth: 40 }],
  };
}

/** Disputes not yet closed per risk level, named and coloured as the level says. */
export function riskOption(disputes: DisputeBoardRow[], lang: Lang) {
  const open = disputes.filter((d) => d.status !== 'closed');
  const levels = DISPUTE_RISK_LEVELS.map((r) => ({ name: r[lang], value: open.filter((d) => d.riskLevel === r.code).length, itemStyle: { color: RISK_COLORS[r.code] } }));
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    // Every level in the legend; only those with disputes in the ring (a 0 slice only draws a stray label).
    legend: { orient: 'vertical', left: 0, top: 'middle', data: levels.map((l) => l.name) },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        center: ['62%', '50%'],
        label: { formatter: '{c}' },
        data: levels.filter((l) => l.value > 0),
      },
    ],
  };
}
