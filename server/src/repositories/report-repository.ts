import { sql, type Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import type { ConflictRow } from '@shared/kinds/conflicts.ts';
import type { Address } from '@shared/schemas/household.ts';
import { kindOf } from '@shared/sync/registry.ts';
import type { Database } from '../db/database.ts';
import { readPrefixes, underAny } from '../access/scope-sql.ts';
import { fromColumns } from '../sync/row-codec.ts';

/**
 * The queries behind the supervisors' reports: SQL only, every one filtered to the caller's
 * subtrees (`readPrefixes`). Rows leave here as plain values (ISO times, numbers); what they
 * mean — stale, overdue, rolled up — is decided in services/report-service.ts.
 */

type Db = Kysely<Database>;

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const isoOf = (d: Date | string) => new Date(d).toISOString();

/** One member and device, as stored: the flags are computed by the service. */
export interface SyncDeviceRow {
  memberId: string;
  memberName: string;
  unitId: string;
  unitName: string;
  unitPath: string;
  clientId: string | null;
  appVersion: string | null;
  userAgent: string | null;
  firstSeenAt: string | null;
  lastPushAt: string | null;
  lastPullAt: string | null;
  pending: number | null;
  oldestPendingAt: string | null;
  applied: number;
  rejected: number;
  conflictsOpen: number;
  clockSkewMs: number | null;
  lastError: string | null;
  revoked: 'retire' | 'lost' | null;
}

/**
 * One row per active liaison member and device in scope (a member with no device yet gets one
 * row without a device), with the mutations logged since `since`.
 */
export async function syncDevices(db: Db, scope: Scope, since: Date): Promise<SyncDeviceRow[]> {
  const rows = await db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .leftJoin('sync_clients as c', 'c.user_id', 'members.user_id')
    .select([
      'members.id as memberId', 'users.name as memberName', 'units.id as unitId', 'units.name as unitName', 'units.path as unitPath',
      'c.client_id as clientId', 'c.app_version as appVersion', 'c.user_agent as userAgent', 'c.created_at as firstSeenAt', 'c.last_push_at as lastPushAt', 'c.last_pull_at as lastPullAt',
      'c.outbox_length as pending', 'c.oldest_pending_at as oldestPendingAt', 'c.clock_skew_ms as skew', 'c.last_error as lastError',
      'c.revoke_kind as revoked',
      sql<number>`(select count(*) from mutation_log l where l.client_id = c.client_id and l.server_time >= ${since} and l.status <> 'rejected')`.as('applied'),
      sql<number>`(select count(*) from mutation_log l where l.client_id = c.client_id and l.server_time >= ${since} and l.status = 'rejected')`.as('rejected'),
      sql<number>`(select count(*) from conflicts k where k.status = 'open' and k.lost_by = members.user_id)`.as('conflictsOpen'),
    ])
    .where('members.retired_at', 'is', null)
    .where(underAny('units.path', readPrefixes(scope)))
    .orderBy('units.path')
    .orderBy('users.name')
    .execute();
  return rows.map(({ skew, ...r }) => ({
    ...r,
    firstSeenAt: iso(r.firstSeenAt), lastPushAt: iso(r.lastPushAt), lastPullAt: iso(r.lastPullAt), oldestPendingAt: iso(r.oldestPendingAt),
    pending: r.pending === null ? null : Number(r.pending),
    applied: Number(r.applied), rejected: Number(r.rejected), conflictsOpen: Number(r.conflictsOpen),
    clockSkewMs: skew === null ? null : Number(skew),
  }));
}

/** Units in the caller's subtrees, with their paths, for naming and rolling up. */
export async function unitsInScope(db: Db, scope: Scope) {
  return db.selectFrom('units').select(['id', 'name', 'kind', 'path']).where(underAny('path', readPrefixes(scope))).execute();
}

/** A device whose user is a liaison member under the caller's subtrees, if there is one. */
export async function deviceInScope(db: Db, scope: Scope, clientId: string) {
  return db
    .selectFrom('sync_clients as c')
    .innerJoin('members', 'members.user_id', 'c.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['c.client_id as clientId', 'c.user_id as userId'])
    .where('c.client_id', '=', clientId)
    .where(underAny('units.path', readPrefixes(scope)))
    .executeTakeFirst();
}

/** A device's latest logged mutations, newest first (scope is the caller's to check first). */
export async function mutationLog(db: Db, clientId: string, limit: number) {
  const rows = await db
    .selectFrom('mutation_log')
    .select(['mutation_id', 'name', 'args', 'status', 'code', 'message', 'late', 'clock_clamped', 'server_time', 'hlc'])
    .where('client_id', '=', clientId)
    .orderBy('mutation_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    mutationId: Number(r.mutation_id), name: r.name, args: r.args, status: r.status, code: r.code, message: r.message,
    late: r.late, clockClamped: r.clock_clamped, serverTime: isoOf(r.server_time), hlc: r.hlc,
  }));
}

/** Households in scope with no visit since `since` (or none ever), with their liaison. */
export async function unvisited(db: Db, scope: Scope, since: Date) {
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
    .where(underAny('units.path', readPrefixes(scope)))
    .where('households.archived_at', 'is', null) // archived: nobody's to visit
    .where(sql<boolean>`not exists (select 1 from visits v where v.household_id = households.id and v.visited_at >= ${since})`)
    .orderBy('units.path')
    .orderBy('households.head_name')
    .execute();
  return rows.map((r) => ({ ...r, lastVisitAt: iso(r.lastVisitAt) }));
}

/** Active liaison members in scope with the number of households each holds. */
export async function memberHouseholdCounts(db: Db, scope: Scope) {
  const rows = await db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['members.id as memberId', 'users.name as memberName', 'units.id as unitId', 'units.name as unitName',
      sql<number>`(select count(*) from households h where h.member_id = members.id)`.as('households')])
    .where('members.retired_at', 'is', null)
    .where(underAny('units.path', readPrefixes(scope)))
    .orderBy('units.path')
    .execute();
  return rows.map((r) => ({ ...r, households: Number(r.households) }));
}

/** Households per unit in scope (the unit they belong to, not rolled up). */
export async function householdsPerUnit(db: Db, scope: Scope) {
  const rows = await db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select(['households.unit_id as unitId', sql<number>`count(*)`.as('n')])
    .where(underAny('units.path', readPrefixes(scope)))
    .where('households.archived_at', 'is', null)
    .groupBy('households.unit_id')
    .execute();
  return rows.map((r) => ({ unitId: r.unitId, n: Number(r.n) }));
}

/** Visits per duty per month per unit (the liaison branch) since `since`, for the charts. */
export async function visitsByDuty(db: Db, scope: Scope, since: Date) {
  const rows = await db
    .selectFrom('visits')
    .innerJoin('households', 'households.id', 'visits.household_id')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select(['units.id as unitId', 'units.name as unitName', 'visits.duty',
      sql<string>`to_char(date_trunc('month', visits.visited_at), 'YYYY-MM')`.as('month'),
      sql<number>`count(*)`.as('visits')])
    .where(underAny('units.path', readPrefixes(scope)))
    .where('visits.visited_at', '>=', since)
    .groupBy(['units.id', 'units.name', 'visits.duty', sql`date_trunc('month', visits.visited_at)`])
    .orderBy('month')
    .execute();
  return rows.map((r) => ({ ...r, visits: Number(r.visits) }));
}

/** Per week (its Monday) since `since`: visits to households in scope and how many households they reached. */
export async function visitsByWeek(db: Db, scope: Scope, since: Date) {
  const rows = await db
    .selectFrom('visits')
    .innerJoin('households', 'households.id', 'visits.household_id')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select([
      sql<string>`to_char(date_trunc('week', visits.visited_at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD')`.as('week'),
      sql<number>`count(*)`.as('visits'),
      sql<number>`count(distinct visits.household_id)`.as('households'),
    ])
    .where(underAny('units.path', readPrefixes(scope)))
    .where('visits.visited_at', '>=', since)
    .groupBy(sql`date_trunc('week', visits.visited_at at time zone 'Asia/Shanghai')`)
    .orderBy('week')
    .execute();
  return rows.map((r) => ({ week: r.week, visits: Number(r.visits), households: Number(r.households) }));
}

/** Disputes whose branch is in scope, most recently changed first, with their handling unit. */
export async function disputeBoard(db: Db, scope: Scope) {
  const rows = await db
    .selectFrom('disputes')
    .innerJoin('units as branch', 'branch.id', 'disputes.branch_unit_id')
    .innerJoin('units as handler', 'handler.id', 'disputes.unit_id')
    .select([
      'disputes.id', 'disputes.category', 'disputes.description', 'disputes.status', 'disputes.risk_level as riskLevel',
      'disputes.opened_at as openedAt', 'disputes.updated_at as updatedAt', 'disputes.household_ids as householdIds',
      'branch.id as branchId', 'branch.name as branchName', 'handler.id as handlerId', 'handler.name as handlerName', 'handler.kind as handlerKind',
    ])
    .where(underAny('branch.path', readPrefixes(scope)))
    .orderBy('disputes.updated_at', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, openedAt: isoOf(r.openedAt), updatedAt: isoOf(r.updatedAt) }));
}

/** Conflicts under the caller's subtrees, newest first, with who wrote each side and which households they are about. */
export async function conflicts(db: Db, scope: Scope, limit: number) {
  const kind = kindOf('conflicts');
  const rows = await db
    .selectFrom('conflicts')
    .selectAll()
    .where('unit_id', 'in', (eb) => eb.selectFrom('units').select('units.id').where(underAny('units.path', readPrefixes(scope))))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const wire = rows.map((r) => fromColumns(kind, r) as ConflictRow);
  const ids = [...new Set(wire.flatMap((c) => [c.keptBy, c.lostBy]).filter((x): x is string => !!x))];
  const names = new Map(ids.length ? (await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()).map((u) => [u.id, u.name]) : []);
  const households = await householdsNamed(db, scope, [...new Set(wire.flatMap((c) => c.householdIds))]);
  return wire.map((c) => ({
    ...c,
    keptByName: c.keptBy ? (names.get(c.keptBy) ?? null) : null,
    lostByName: c.lostBy ? (names.get(c.lostBy) ?? null) : null,
    households: c.householdIds.flatMap((id) => households.get(id) ?? []),
  }));
}

/** Households in scope by id, each with its head, its address and the unit the address is in. */
async function householdsNamed(db: Db, scope: Scope, ids: string[]) {
  if (!ids.length) return new Map<string, never>();
  const rows = await db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select(['households.id as householdId', 'households.head_name as headName', 'households.address', 'units.name as unitName'])
    .where('households.id', 'in', ids)
    .where(underAny('units.path', readPrefixes(scope)))
    .execute();
  return new Map(rows.map((r) => [r.householdId, { ...r, address: r.address as unknown as Address }]));
}

/** Work held from retired devices whose member is under the caller's subtrees, oldest first. */
export async function heldMutations(db: Db, scope: Scope) {
  const rows = await db
    .selectFrom('held_mutations as h')
    .innerJoin('members', 'members.user_id', 'h.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .innerJoin('users', 'users.id', 'h.user_id')
    .select(['h.id', 'h.client_id as clientId', 'h.mutation_id as mutationId', 'h.name', 'h.args', 'h.held_at as heldAt', 'h.decision', 'h.result_code as resultCode', 'users.name as memberName', 'units.name as unitName'])
    .where(underAny('units.path', readPrefixes(scope)))
    .orderBy('h.id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), mutationId: Number(r.mutationId), heldAt: isoOf(r.heldAt) }));
}
