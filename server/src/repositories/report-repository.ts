import { sql, type Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import { MAX_CLOCK_SKEW_MS } from '@shared/sync/hlc.ts';
import type { Database } from '../db/database.ts';
import { readPrefixes } from '../access/scope-sql.ts';
import type { ConflictRow } from '@shared/kinds/conflicts.ts';
import { kindOf } from '@shared/sync/registry.ts';
import { fromColumns } from '../sync/row-codec.ts';

type Db = Kysely<Database>;
const DAY = 86_400_000;

/** `units.path like any(prefixes)`: the caller's subtrees (none for a plain member). */
const under = (column: string, prefixes: string[]) =>
  prefixes.length ? sql<boolean>`(${sql.join(prefixes.map((p) => sql`${sql.ref(column)} like ${`${p}%`}`), sql` or `)})` : sql<boolean>`false`;

export interface SyncReportRow {
  memberId: string;
  memberName: string;
  unitId: string;
  unitName: string;
  unitPath: string;
  clientId: string | null;
  appVersion: string | null;
  lastPushAt: string | null;
  lastPullAt: string | null;
  pending: number | null;
  oldestPendingAt: string | null;
  applied: number;
  rejected: number;
  conflictsOpen: number;
  clockSkewWarning: boolean;
  lastError: string | null;
  stale: boolean;
  revoked: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/**
 * One row per liaison member and device in scope (a member with no device yet gets one row
 * without a device, so "never synced" shows too), with the period's mutation counts.
 */
export async function syncReport(db: Db, scope: Scope, opts: { since: Date; now: Date; staleDays: number }): Promise<SyncReportRow[]> {
  const prefixes = readPrefixes(scope);
  const rows = await db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .leftJoin('sync_clients as c', 'c.user_id', 'members.user_id')
    .select([
      'members.id as memberId', 'users.name as memberName', 'units.id as unitId', 'units.name as unitName', 'units.path as unitPath',
      'c.client_id as clientId', 'c.app_version as appVersion', 'c.last_push_at as lastPushAt', 'c.last_pull_at as lastPullAt',
      'c.outbox_length as pending', 'c.oldest_pending_at as oldestPendingAt', 'c.clock_skew_ms as skew', 'c.last_error as lastError',
      'c.revoke_kind as revoked',
      sql<number>`(select count(*) from mutation_log l where l.client_id = c.client_id and l.server_time >= ${opts.since} and l.status <> 'rejected')`.as('applied'),
      sql<number>`(select count(*) from mutation_log l where l.client_id = c.client_id and l.server_time >= ${opts.since} and l.status = 'rejected')`.as('rejected'),
      sql<number>`(select count(*) from conflicts k where k.status = 'open' and k.lost_by = members.user_id)`.as('conflictsOpen'),
    ])
    .where('members.retired_at', 'is', null)
    .where(under('units.path', prefixes))
    .orderBy('units.path')
    .orderBy('users.name')
    .execute();
  const staleBefore = opts.now.getTime() - opts.staleDays * DAY;
  return rows.map((r) => {
    const last = Math.max(r.lastPushAt ? new Date(r.lastPushAt).getTime() : 0, r.lastPullAt ? new Date(r.lastPullAt).getTime() : 0);
    return {
      memberId: r.memberId, memberName: r.memberName, unitId: r.unitId, unitName: r.unitName, unitPath: r.unitPath,
      clientId: r.clientId, appVersion: r.appVersion, lastPushAt: iso(r.lastPushAt), lastPullAt: iso(r.lastPullAt),
      pending: r.pending, oldestPendingAt: iso(r.oldestPendingAt), applied: Number(r.applied), rejected: Number(r.rejected),
      conflictsOpen: Number(r.conflictsOpen), clockSkewWarning: r.skew !== null && Math.abs(Number(r.skew)) > MAX_CLOCK_SKEW_MS,
      lastError: r.lastError, stale: last < staleBefore, revoked: r.revoked,
    };
  });
}

/** Counts per unit along the tree: each row counted at its own unit and every ancestor in scope. */
export function rollUp(rows: SyncReportRow[], unitNames: Map<string, string>) {
  const byUnit = new Map<string, { unitId: string; unitName: string; members: number; devices: number; stale: number; pending: number; rejected: number; conflictsOpen: number }>();
  for (const r of rows) {
    for (const unitId of r.unitPath.split('/').filter(Boolean)) {
      if (!unitNames.has(unitId)) continue;
      const u = byUnit.get(unitId) ?? { unitId, unitName: unitNames.get(unitId)!, members: 0, devices: 0, stale: 0, pending: 0, rejected: 0, conflictsOpen: 0 };
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

/** Units in the caller's subtrees, by id, for naming roll-ups. */
export async function unitsInScope(db: Db, scope: Scope) {
  const rows = await db.selectFrom('units').select(['id', 'name', 'kind', 'path']).where(under('path', readPrefixes(scope))).execute();
  return rows;
}

/** A device's recent mutations with results; refusals keep what the member typed. Scoped: the device's user must be in the subtree. */
export async function deviceLog(db: Db, scope: Scope, clientId: string, limit = 200) {
  const device = await db
    .selectFrom('sync_clients as c')
    .innerJoin('members', 'members.user_id', 'c.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['c.client_id', 'c.user_id'])
    .where('c.client_id', '=', clientId)
    .where(under('units.path', readPrefixes(scope)))
    .executeTakeFirst();
  if (!device) return null;
  const rows = await db
    .selectFrom('mutation_log')
    .select(['mutation_id', 'name', 'args', 'status', 'code', 'message', 'late', 'clock_clamped', 'server_time', 'hlc'])
    .where('client_id', '=', clientId)
    .orderBy('mutation_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    mutationId: r.mutation_id, name: r.name, status: r.status, code: r.code, message: r.message, late: r.late,
    clockClamped: r.clock_clamped, serverTime: iso(r.server_time), hlc: r.hlc,
    // What was typed is shown for refusals, where a supervisor needs it to help.
    args: r.status === 'rejected' ? r.args : undefined,
  }));
}

/** Households not visited within `days` (or never), with their liaison. */
export async function unvisited(db: Db, scope: Scope, days: number, now: Date) {
  const since = new Date(now.getTime() - days * DAY);
  const rows = await db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .leftJoin('members', 'members.id', 'households.member_id')
    .leftJoin('users', 'users.id', 'members.user_id')
    .select([
      'households.id as householdId', 'households.head_name as headName', 'units.id as unitId', 'units.name as unitName',
      'members.id as memberId', 'users.name as memberName',
      sql<Date | null>`(select max(v.visited_at) from visits v where v.household_id = households.id)`.as('lastVisitAt'),
    ])
    .where(under('units.path', readPrefixes(scope)))
    .where(sql<boolean>`not exists (select 1 from visits v where v.household_id = households.id and v.visited_at >= ${since})`)
    .orderBy('units.path')
    .orderBy('households.head_name')
    .execute();
  return rows.map((r) => ({ ...r, lastVisitAt: iso(r.lastVisitAt) }));
}

/** Members holding fewer than `min` or more than `max` households. */
export async function memberLoad(db: Db, scope: Scope, limits: { min: number; max: number }) {
  const rows = await db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['members.id as memberId', 'users.name as memberName', 'units.id as unitId', 'units.name as unitName',
      sql<number>`(select count(*) from households h where h.member_id = members.id)`.as('households')])
    .where('members.retired_at', 'is', null)
    .where(under('units.path', readPrefixes(scope)))
    .orderBy('units.path')
    .execute();
  return rows.map((r) => ({ ...r, households: Number(r.households) })).filter((r) => r.households < limits.min || r.households > limits.max);
}

/** Visits per duty per month per unit (the liaison branch), for the charts. */
export async function visitsByDuty(db: Db, scope: Scope, since: Date) {
  const rows = await db
    .selectFrom('visits')
    .innerJoin('households', 'households.id', 'visits.household_id')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select(['units.id as unitId', 'units.name as unitName', 'visits.duty',
      sql<string>`to_char(date_trunc('month', visits.visited_at), 'YYYY-MM')`.as('month'),
      sql<number>`count(*)`.as('visits')])
    .where(under('units.path', readPrefixes(scope)))
    .where('visits.visited_at', '>=', since)
    .groupBy(['units.id', 'units.name', 'visits.duty', sql`date_trunc('month', visits.visited_at)`])
    .orderBy('month')
    .execute();
  return rows.map((r) => ({ ...r, visits: Number(r.visits) }));
}

/** How long a dispute may sit in a status before it stands out (docs/decisions.md). */
export const DISPUTE_LIMIT_DAYS: Record<string, number> = { open: 3, mediating: 15, escalated: 7, resolved: 30 };

/** Disputes in scope with their handling tier, age and overdue flag. */
export async function disputeBoard(db: Db, scope: Scope, now: Date) {
  const rows = await db
    .selectFrom('disputes')
    .innerJoin('units as branch', 'branch.id', 'disputes.branch_unit_id')
    .innerJoin('units as handler', 'handler.id', 'disputes.unit_id')
    .select([
      'disputes.id', 'disputes.category', 'disputes.description', 'disputes.status', 'disputes.risk_level as riskLevel',
      'disputes.opened_at as openedAt', 'disputes.updated_at as updatedAt', 'disputes.household_ids as householdIds',
      'branch.id as branchId', 'branch.name as branchName', 'handler.id as handlerId', 'handler.name as handlerName', 'handler.kind as handlerKind',
    ])
    .where(under('branch.path', readPrefixes(scope)))
    .orderBy('disputes.updated_at', 'desc')
    .execute();
  return rows.map((r) => {
    const ageDays = Math.floor((now.getTime() - new Date(r.updatedAt).getTime()) / DAY);
    const limit = DISPUTE_LIMIT_DAYS[r.status];
    return { ...r, openedAt: iso(r.openedAt)!, updatedAt: iso(r.updatedAt)!, ageDays, overdue: limit !== undefined && ageDays > limit };
  });
}

/**
 * Coverage rolled up the tree (village → villager group, sub-district → community → compound):
 * per unit in scope, its households, those not visited, those without a liaison, and its members
 * outside the 3–5 range, each counted at its own unit and every ancestor in scope.
 */
export async function coverageByUnit(
  db: Db,
  scope: Scope,
  unvisitedRows: { unitId: string; memberId: string | null }[],
  outOfRange: { unitId: string }[],
) {
  const units = await unitsInScope(db, scope);
  const pathOf = new Map(units.map((u) => [u.id, u.path.split('/').filter(Boolean)]));
  const counts = await db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select(['households.unit_id as unitId', sql<number>`count(*)`.as('n')])
    .where(under('units.path', readPrefixes(scope)))
    .groupBy('households.unit_id')
    .execute();
  const out = new Map(units.map((u) => [u.id, { unitId: u.id, unitName: u.name, kind: u.kind, depth: pathOf.get(u.id)!.length, path: u.path, households: 0, unvisited: 0, noLiaison: 0, membersOutOfRange: 0 }]));
  const add = (unitId: string, key: 'households' | 'unvisited' | 'noLiaison' | 'membersOutOfRange', n = 1) => {
    for (const id of pathOf.get(unitId) ?? []) {
      const row = out.get(id);
      if (row) row[key] += n;
    }
  };
  for (const c of counts) add(c.unitId, 'households', Number(c.n));
  for (const h of unvisitedRows) {
    add(h.unitId, 'unvisited');
    if (h.memberId === null) add(h.unitId, 'noLiaison');
  }
  for (const m of outOfRange) add(m.unitId, 'membersOutOfRange');
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path)).map(({ path: _p, ...r }) => r);
}

/**
 * Conflicts in the caller's subtree, newest first, with who wrote each side by name: a
 * supervisor decides between people, not ids.
 */
export async function conflicts(db: Db, scope: Scope, limit = 500) {
  const kind = kindOf('conflicts');
  const rows = await db
    .selectFrom('conflicts')
    .selectAll()
    .where('unit_id', 'in', (eb) => eb.selectFrom('units').select('units.id').where(under('units.path', readPrefixes(scope))))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const wire = rows.map((r) => fromColumns(kind, r) as ConflictRow);
  const ids = [...new Set(wire.flatMap((c) => [c.keptBy, c.lostBy]).filter((x): x is string => !!x))];
  const names = new Map(ids.length ? (await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()).map((u) => [u.id, u.name]) : []);
  return wire.map((c) => ({ ...c, keptByName: c.keptBy ? (names.get(c.keptBy) ?? null) : null, lostByName: c.lostBy ? (names.get(c.lostBy) ?? null) : null }));
}
