import { describe, expect, it } from 'vitest';
import type { SyncReportRow } from '@shared/schemas/reports.ts';
import { coverageByUnit, disputeAge, isClockSkewed, isStale, neverSynced, rollUp } from './report-service.ts';

const now = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

describe('report rules', () => {
  it('a device is stale when neither its last push nor its last pull is within the days allowed', () => {
    expect(isStale({ lastPushAt: hoursAgo(71), lastPullAt: null }, now, 3)).toBe(false);
    expect(isStale({ lastPushAt: hoursAgo(100), lastPullAt: hoursAgo(73) }, now, 3)).toBe(true);
    expect(isStale({ lastPushAt: hoursAgo(100), lastPullAt: hoursAgo(1) }, now, 3)).toBe(false);
  });

  it('a device that never synced is never-synced, not stale (issue 10)', () => {
    expect(isStale({ lastPushAt: null, lastPullAt: null }, now, 3)).toBe(false);
    expect(neverSynced({ lastPushAt: null, lastPullAt: null })).toBe(true);
    expect(neverSynced({ lastPushAt: null, lastPullAt: hoursAgo(200) })).toBe(false);
  });

  it('a clock more than five minutes off either way is flagged; an unknown one is not', () => {
    expect(isClockSkewed(null)).toBe(false);
    expect(isClockSkewed(5 * 60_000)).toBe(false);
    expect(isClockSkewed(5 * 60_000 + 1)).toBe(true);
    expect(isClockSkewed(-6 * 60_000)).toBe(true);
  });

  it('a dispute is overdue only past its status’s limit, and a closed one never is', () => {
    expect(disputeAge('open', hoursAgo(72), now)).toEqual({ ageDays: 3, overdue: false });
    expect(disputeAge('open', hoursAgo(96), now)).toEqual({ ageDays: 4, overdue: true });
    expect(disputeAge('mediating', hoursAgo(96), now).overdue).toBe(false);
    expect(disputeAge('escalated', hoursAgo(24 * 8), now).overdue).toBe(true);
    expect(disputeAge('closed', hoursAgo(24 * 400), now)).toEqual({ ageDays: 400, overdue: false });
  });

  it('sync rows count at their unit and every ancestor in scope, and nowhere outside it', () => {
    const row = (unitPath: string, extra: Partial<SyncReportRow>) => ({ unitPath, clientId: null, stale: false, pending: null, rejected: 0, conflictsOpen: 0, ...extra }) as SyncReportRow;
    const names = new Map([['village', '石岭村'], ['g1', '一组'], ['g2', '二组']]);
    const units = rollUp([row('/town/village/g1/', { clientId: 'a', pending: 2, rejected: 1 }), row('/town/village/g2/', { stale: true, conflictsOpen: 1 })], names);
    expect(units.find((u) => u.unitId === 'town')).toBeUndefined();
    expect(units.find((u) => u.unitId === 'village')).toEqual({ unitId: 'village', unitName: '石岭村', members: 2, devices: 1, stale: 1, pending: 2, rejected: 1, conflictsOpen: 1 });
    expect(units.find((u) => u.unitId === 'g2')).toMatchObject({ members: 1, devices: 0, stale: 1 });
  });

  it('coverage rolls households, gaps and members outside the limits up the tree, in path order', () => {
    const units = [
      { id: 'g1', name: '一组', kind: 'villager_group' as const, path: '/v/g1/' },
      { id: 'v', name: '村', kind: 'village' as const, path: '/v/' },
    ];
    const out = coverageByUnit(units, [{ unitId: 'g1', n: 4 }], [{ unitId: 'g1', memberId: null }, { unitId: 'g1', memberId: 'm' }], [{ unitId: 'g1' }]);
    expect(out.map((u) => u.unitId)).toEqual(['v', 'g1']);
    expect(out[0]).toEqual({ unitId: 'v', unitName: '村', kind: 'village', depth: 1, households: 4, unvisited: 2, noLiaison: 1, membersOutOfRange: 1 });
  });
});
