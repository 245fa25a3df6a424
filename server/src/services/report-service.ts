import type { Kysely } from 'kysely';
import { DomainError } from '@shared/errors.ts';
import type { Scope } from '@shared/domain/scope.ts';
import type { DisputeStatus } from '@shared/domain/dispute.ts';
import { MAX_CLOCK_SKEW_MS } from '@shared/sync/hlc.ts';
import type {
  ConflictsReport, CoverageReport, CoverageUnit, DeviceLog, DisputeBoardRow, DisputeLimits, HeldReport, MemberLoad,
  SyncReport, SyncReportRow, SyncUnitRollUp, UnvisitedHousehold,
} from '@shared/schemas/reports.ts';
import type { Database } from '../db/database.ts';
import * as repo from '../repositories/report-repository.ts';

/**
 * The rules of the supervisors' reports (docs/decisions.md, "Supervisors"): when a device is
 * stale or its clock skewed, when a dispute is overdue, how counts roll up the tree. The
 * repository fetches; routes only parse and answer.
 */

type Db = Kysely<Database>;
const DAY = 86_400_000;

/** How long a dispute may sit in a status before it stands out; a closed one never does. */
export const DISPUTE_LIMIT_DAYS: DisputeLimits = { open: 3, mediating: 15, escalated: 7, resolved: 30 };
/** Conflicts listed for review at most (newest first). */
const CONFLICTS_LISTED = 500;
/** Mutations shown when drilling into a device. */
const DEVICE_LOG_LENGTH = 200;
/** Visits per duty are charted over the last year. */
const DUTY_CHART_DAYS = 365;
/** Weeks charted on the desk's overview (visits and households reached per week). */
const WEEKS_CHARTED = 12;

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY);
const time = (iso: string | null) => (iso ? new Date(iso).getTime() : 0);

/** A device (or a member with none) that has never pushed nor pulled: not stale, never synced — a different call to make. */
export const neverSynced = (row: Pick<SyncReportRow, 'lastPushAt' | 'lastPullAt'>) => row.lastPushAt === null && row.lastPullAt === null;

/** A device that synced once but has no push or pull within `staleDays`. */
export function isStale(row: Pick<SyncReportRow, 'lastPushAt' | 'lastPullAt'>, now: Date, staleDays: number): boolean {
  if (neverSynced(row)) return false;
  return Math.max(time(row.lastPushAt), time(row.lastPullAt)) < now.getTime() - staleDays * DAY;
}

/** A clock more than MAX_CLOCK_SKEW_MS off the server's, either way, is flagged. */
export const isClockSkewed = (skewMs: number | null) => skewMs !== null && Math.abs(skewMs) > MAX_CLOCK_SKEW_MS;

/** Whole days since the dispute last changed, and whether that is past its status's limit. */
export function disputeAge(status: DisputeStatus, updatedAt: string, now: Date): { ageDays: number; overdue: boolean } {
  const ageDays = Math.floor((now.getTime() - time(updatedAt)) / DAY);
  const limit = status === 'closed' ? undefined : DISPUTE_LIMIT_DAYS[status];
  return { ageDays, overdue: limit !== undefined && ageDays > limit };
}

/** The sync rows with their flags, for the report and its export. */
export async function syncRows(db: Db, scope: Scope, opts: { now: Date; days: number; staleDays: number }): Promise<SyncReportRow[]> {
  const rows = await repo.syncDevices(db, scope, daysBefore(opts.now, opts.days));
  return rows.map(({ clockSkewMs, ...r }) => ({ ...r, clockSkewWarning: isClockSkewed(clockSkewMs), neverSynced: neverSynced(r), stale: isStale(r, opts.now, opts.staleDays) }));
}

/** Counts per unit along the tree: each row counted at its own unit and every ancestor in scope. */
export function rollUp(rows: SyncReportRow[], unitNames: Map<string, string>): SyncUnitRollUp[] {
  const byUnit = new Map<string, SyncUnitRollUp>();
  for (const r of rows) {
    for (const unitId of r.unitPath.split('/').filter(Boolean)) {
      const unitName = unitNames.get(unitId);
      if (unitName === undefined) continue;
      const u = byUnit.get(unitId) ?? { unitId, unitName, members: 0, devices: 0, stale: 0, pending: 0, rejected: 0, conflictsOpen: 0 };
      u.members += 1;
      if (r.clientId) u.devices += 1;
      if (r.stale) u.stale += 1;
      u.pending += r.pending ?? 0;
      u.rejected += r.rejected;
      u.conflictsOpen += r.conflictsOpen;
      byUnit.set(unitId, u);
    }
  }
  return [...byUnit.values()];
}

/** The sync report: a row per member and device, and the same rolled up per unit. */
export async function syncReport(db: Db, scope: Scope, opts: { now: Date; days: number; staleDays: number }): Promise<SyncReport> {
  const [rows, units] = await Promise.all([syncRows(db, scope, opts), repo.unitsInScope(db, scope)]);
  return { rows, units: rollUp(rows, new Map(units.map((u) => [u.id, u.name]))) };
}

/** A device's recent mutations; what was typed is shown for refusals only, where a supervisor needs it to help. */
export async function deviceLog(db: Db, scope: Scope, clientId: string): Promise<DeviceLog> {
  if (!(await repo.deviceInScope(db, scope, clientId))) throw new DomainError('NOT_FOUND');
  const rows = await repo.mutationLog(db, clientId, DEVICE_LOG_LENGTH);
  return { mutations: rows.map(({ args, ...r }) => (r.status === 'rejected' ? { ...r, args } : r)) };
}

/** Households not visited within `days` (or never), for the report and its export. */
export const unvisitedHouseholds = (db: Db, scope: Scope, days: number, now: Date): Promise<UnvisitedHousehold[]> =>
  repo.unvisited(db, scope, daysBefore(now, days));

/**
 * Coverage rolled up the tree (village → villager group, sub-district → community → compound):
 * per unit in scope, its households, those not visited, those without a liaison, and its members
 * outside the limits, each counted at its own unit and every ancestor in scope.
 */
export function coverageByUnit(
  units: { id: string; name: string; kind: CoverageUnit['kind']; path: string }[],
  households: { unitId: string; n: number }[],
  unvisited: { unitId: string; memberId: string | null }[],
  outOfRange: { unitId: string }[],
): CoverageUnit[] {
  const pathOf = new Map(units.map((u) => [u.id, u.path.split('/').filter(Boolean)]));
  const out = new Map(units.map((u) => [u.id, { unitId: u.id, unitName: u.name, kind: u.kind, depth: pathOf.get(u.id)!.length, households: 0, unvisited: 0, noLiaison: 0, membersOutOfRange: 0 }]));
  const add = (unitId: string, key: 'households' | 'unvisited' | 'noLiaison' | 'membersOutOfRange', n = 1) => {
    for (const id of pathOf.get(unitId) ?? []) {
      const row = out.get(id);
      if (row) row[key] += n;
    }
  };
  for (const c of households) add(c.unitId, 'households', c.n);
  for (const h of unvisited) {
    add(h.unitId, 'unvisited');
    if (h.memberId === null) add(h.unitId, 'noLiaison');
  }
  for (const m of outOfRange) add(m.unitId, 'membersOutOfRange');
  const order = new Map(units.map((u) => [u.id, u.path]));
  return [...out.values()].sort((a, b) => order.get(a.unitId)!.localeCompare(order.get(b.unitId)!));
}

/** The coverage report: unvisited households, members outside the limits, visits per duty, all rolled up. */
export async function coverageReport(db: Db, scope: Scope, opts: { now: Date; days: number; limits: { min: number; max: number } }): Promise<CoverageReport> {
  const { now, days, limits } = opts;
  const [unvisited, members, visitsByDuty, units, households, visitsByWeek] = await Promise.all([
    unvisitedHouseholds(db, scope, days, now),
    repo.memberHouseholdCounts(db, scope),
    repo.visitsByDuty(db, scope, daysBefore(now, DUTY_CHART_DAYS)),
    repo.unitsInScope(db, scope),
    repo.householdsPerUnit(db, scope),
    repo.visitsByWeek(db, scope, daysBefore(now, WEEKS_CHARTED * 7)),
  ]);
  const memberLoad: MemberLoad[] = members.filter((m) => m.households < limits.min || m.households > limits.max);
  return {
    days,
    limits,
    byUnit: coverageByUnit(units, households, unvisited, memberLoad),
    unvisited,
    memberLoad,
    withoutLiaison: unvisited.filter((h) => h.memberId === null),
    visitsByDuty,
    visitsByWeek,
  };
}

/** Disputes in scope with their age and overdue flag. */
export async function disputeBoard(db: Db, scope: Scope, now: Date): Promise<DisputeBoardRow[]> {
  const rows = await repo.disputeBoard(db, scope);
  return rows.map((r) => ({ ...r, ...disputeAge(r.status, r.updatedAt, now) }));
}

/** `GET /api/reports/disputes`: the board and the limits it was judged by. */
export const disputeReport = async (db: Db, scope: Scope, now: Date) => ({ disputes: await disputeBoard(db, scope, now), limits: DISPUTE_LIMIT_DAYS });

/** Conflicts for review in the caller's subtree. */
export const conflictsReport = async (db: Db, scope: Scope): Promise<ConflictsReport> => ({ conflicts: await repo.conflicts(db, scope, CONFLICTS_LISTED) });

/** Work held from retired devices in the caller's subtree. */
export const heldReport = async (db: Db, scope: Scope): Promise<HeldReport> => ({ held: await repo.heldMutations(db, scope) });
