import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import type { AssignmentGaps } from '@shared/schemas/admin-households.ts';
import type { Address, Assignment, Household } from '@shared/schemas/household.ts';
import type { Database, HouseholdRow } from '../db/database.ts';
import { inSubtreeOf, readableHousehold, readPrefixes, underAny } from '../access/scope-sql.ts';

type Db = Kysely<Database>;

export function toHousehold(row: HouseholdRow): Household {
  return {
    id: row.id,
    unitId: row.unit_id,
    memberId: row.member_id,
    headName: row.head_name,
    phone: row.phone,
    size: row.size,
    address: row.address as unknown as Address,
    careTags: row.care_tags,
    notes: row.notes,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A household with its unit's path, locked for update when `lock`. */
export async function findHousehold(db: Db, id: string, lock = false) {
  let q = db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .selectAll('households')
    .select('units.path as unit_path')
    .where('households.id', '=', id);
  if (lock) q = q.forUpdate('households');
  return q.executeTakeFirst();
}

/** Households by id with their unit's path and name, locked in id order when `lock`. */
export async function findHouseholds(db: Db, ids: readonly string[], lock = false) {
  if (ids.length === 0) return [];
  let q = db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .selectAll('households')
    .select(['units.path as unit_path', 'units.name as unit_name'])
    .where('households.id', 'in', [...ids])
    .orderBy('households.id');
  if (lock) q = q.forUpdate('households');
  return q.execute();
}

/** How many households each of these members holds now (archived ones have no liaison). */
export async function countHeld(db: Db, memberIds: readonly string[]): Promise<Map<string, number>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('households')
    .select(['member_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('member_id', 'in', [...memberIds])
    .groupBy('member_id')
    .execute();
  return new Map(rows.map((r) => [r.member_id!, Number(r.n)]));
}

/** Members' names (their login's) and their branch's name, by member id. */
export async function memberNames(db: Db, memberIds: readonly string[]): Promise<Map<string, { name: string; unitName: string }>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['members.id', 'users.name', 'units.name as unit_name'])
    .where('members.id', 'in', [...memberIds])
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, unitName: r.unit_name }]));
}

/** The households a scope may read: the member's own, and all under the caller's subtrees. */
export async function listHouseholds(db: Db, scope: Scope, filter: { unitId?: string; memberId?: string } = {}) {
  let q = db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .selectAll('households')
    .where(readableHousehold(scope))
    .where('households.archived_at', 'is', null);
  if (filter.unitId) q = q.where('households.unit_id', '=', filter.unitId);
  if (filter.memberId) q = q.where('households.member_id', '=', filter.memberId);
  const rows = await q.orderBy('units.path').orderBy('households.head_name').execute();
  return rows.map(toHousehold);
}

/** Keeps the history of who held a household: who moved it, when, and from whom. */
export async function recordAssignment(
  db: Db,
  a: { householdId: string; fromMemberId: string | null; toMemberId: string | null; byUserId: string; at: Date },
) {
  await db
    .insertInto('household_assignments')
    .values({ household_id: a.householdId, from_member_id: a.fromMemberId, to_member_id: a.toMemberId, by_user_id: a.byUserId, at: a.at })
    .execute();
}

export async function listAssignments(db: Db, householdId: string): Promise<Assignment[]> {
  const rows = await db
    .selectFrom('household_assignments')
    .selectAll()
    .where('household_id', '=', householdId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    householdId: r.household_id,
    fromMemberId: r.from_member_id,
    toMemberId: r.to_member_id,
    byUserId: r.by_user_id,
    at: r.at.toISOString(),
  }));
}

const GAP_LIST_LIMIT = 500;

/**
 * The coverage gaps within a scope's subtrees (or one unit's subtree inside them): members below
 * the minimum or above the maximum, and households (not archived) with no liaison. Each list
 * holds its first 500 in unit order; `totals` counts them all.
 */
export async function coverageGaps(db: Db, scope: Scope, limits: { min: number; max: number }, unitId?: string): Promise<AssignmentGaps> {
  const limitsOut = { min: limits.min, max: limits.max };
  const prefixes = readPrefixes(scope);
  const empty = { limits: limitsOut, membersUnderMin: [], membersOverMax: [], householdsWithoutLiaison: [], totals: { membersUnderMin: 0, membersOverMax: 0, householdsWithoutLiaison: 0 } };
  if (!prefixes.length) return empty;
  const held = sql<number>`(select count(*) from households h where h.member_id = members.id)`;
  const memberBase = () => {
    let q = db
      .selectFrom('members')
      .innerJoin('users', 'users.id', 'members.user_id')
      .innerJoin('units', 'units.id', 'members.unit_id')
      .where('members.retired_at', 'is', null)
      .where(underAny('units.path', prefixes));
    if (unitId) q = q.where(inSubtreeOf('units.path', unitId));
    return q;
  };
  const listMembers = async (outside: RawBuilder<boolean>) => {
    const [rows, count] = await Promise.all([
      memberBase().where(outside)
        .select(['members.id as memberId', 'users.name', 'users.phone', 'units.id as unitId', 'units.name as unitName', held.as('households')])
        .orderBy('units.path').orderBy('users.name').limit(GAP_LIST_LIMIT).execute(),
      memberBase().where(outside).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map((r) => ({ ...r, households: Number(r.households) })), total: Number(count.n) };
  };
  const orphanBase = () => {
    let q = db
      .selectFrom('households')
      .innerJoin('units', 'units.id', 'households.unit_id')
      .where('households.member_id', 'is', null)
      .where('households.archived_at', 'is', null)
      .where(underAny('units.path', prefixes));
    if (unitId) q = q.where(inSubtreeOf('units.path', unitId));
    return q;
  };
  const under = await listMembers(sql<boolean>`${held} < ${limits.min}`);
  const over = await listMembers(sql<boolean>`${held} > ${limits.max}`);
  const orphans = await orphanBase()
    .select(['households.id as householdId', 'households.head_name as headName', 'units.id as unitId', 'units.name as unitName'])
    .orderBy('units.path').orderBy('households.head_name').limit(GAP_LIST_LIMIT).execute();
  const orphanCount = await orphanBase().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    limits: limitsOut,
    membersUnderMin: under.rows,
    membersOverMax: over.rows,
    householdsWithoutLiaison: orphans,
    totals: { membersUnderMin: under.total, membersOverMax: over.total, householdsWithoutLiaison: Number(orphanCount.n) },
  };
}
