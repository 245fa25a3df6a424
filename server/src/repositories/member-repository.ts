import { sql, type Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import type { Member } from '@shared/schemas/account.ts';
import type { Database } from '../db/database.ts';
import { inIds, readPrefixes, underAny } from '../access/scope-sql.ts';

type Db = Kysely<Database>;

/** A member with their unit's path, locked for update when `lock` (to count their households safely). */
export async function findMember(db: Db, id: string, lock = false) {
  let q = db
    .selectFrom('members')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['members.id', 'members.unit_id', 'members.user_id', 'members.retired_at', 'units.path'])
    .where('members.id', '=', id);
  if (lock) q = q.forUpdate('members');
  return q.executeTakeFirst();
}

/** The active members a scope may read: all under the caller's subtrees, and the caller themself. */
export async function listMembers(db: Db, scope: Scope, filter: { unitId?: string; ids?: string[] } = {}): Promise<Member[]> {
  const prefixes = readPrefixes(scope);
  let q = db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select([
      'members.id',
      'members.user_id',
      'members.unit_id',
      'members.central_household',
      'users.name',
      'users.phone',
      sql<number>`(select count(*) from households h where h.member_id = members.id)`.as('households'),
    ])
    .where('members.retired_at', 'is', null)
    .where(sql<boolean>`(${scope.memberId ? sql`members.id = ${scope.memberId}` : sql`false`} or ${underAny('units.path', prefixes)})`);
  if (filter.unitId) q = q.where('members.unit_id', '=', filter.unitId);
  if (filter.ids) q = q.where(inIds('members.id', filter.ids));
  const rows = await q.orderBy('units.path').orderBy('users.name').execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    unitId: r.unit_id,
    name: r.name,
    phone: r.phone,
    centralHousehold: r.central_household,
    households: Number(r.households),
  }));
}

/** A member's own record with their branch, for /api/me. */
export async function findMemberWithUnit(db: Db, id: string) {
  return db
    .selectFrom('members')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['members.id', 'members.central_household', 'units.id as unitId', 'units.kind', 'units.name'])
    .where('members.id', '=', id)
    .executeTakeFirst();
}
