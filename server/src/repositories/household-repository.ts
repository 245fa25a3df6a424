import { sql, type Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import type { Address, Assignment, CoverageGaps, Household } from '@shared/schemas/household.ts';
import type { Database, HouseholdRow } from '../db/database.ts';
import { readableHousehold, readPrefixes, underAny } from '../access/scope-sql.ts';

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

/** The households a scope may read: the member's own, and all under the caller's subtrees. */
export async function listHouseholds(db: Db, scope: Scope, filter: { unitId?: string; memberId?: string } = {}) {
  let q = db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .selectAll('households')
    .where(readableHousehold(scope));
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

/** Members holding fewer than `min` households and households with no liaison, within a scope's subtrees. */
export async function coverageGaps(db: Db, scope: Scope, limits: { min: number; max: number }): Promise<CoverageGaps> {
  const prefixes = readPrefixes(scope);
  if (!prefixes.length) return { limits, membersUnderMin: [], householdsWithoutLiaison: [] };
  const under = await db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select([
      'members.id as memberId',
      'users.name',
      'units.id as unitId',
      'units.name as unitName',
      sql<number>`(select count(*) from households h where h.member_id = members.id)`.as('households'),
    ])
    .where('members.retired_at', 'is', null)
    .where(underAny('units.path', prefixes))
    .where(sql<boolean>`(select count(*) from households h where h.member_id = members.id) < ${limits.min}`)
    .orderBy('units.path')
    .orderBy('users.name')
    .execute();
  const orphans = await db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .select(['households.id as householdId', 'households.head_name as headName', 'units.id as unitId', 'units.name as unitName'])
    .where('households.member_id', 'is', null)
    .where(underAny('units.path', prefixes))
    .orderBy('units.path')
    .orderBy('households.head_name')
    .execute();
  return {
    limits,
    membersUnderMin: under.map((u) => ({ ...u, households: Number(u.households) })),
    householdsWithoutLiaison: orphans,
  };
}
