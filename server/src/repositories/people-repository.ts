import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { GrantRole, Role } from '@shared/domain/scope.ts';
import type { Person, PersonStatus } from '@shared/schemas/admin-people.ts';
import type { Database } from '../db/database.ts';
import { inIds, underAny } from '../access/scope-sql.ts';
import { containsPattern, unitLabels } from './unit-repository.ts';

type Db = Kysely<Database>;

export interface PeopleFilter {
  /** Subtrees whose people are listed (the caller's admin subtrees, or one unit inside them). */
  prefixes: readonly string[];
  /** Subtrees whose grants are shown (always the caller's admin subtrees: never more). */
  grantPrefixes: readonly string[];
  userIds?: readonly string[];
  q?: string;
  status?: PersonStatus;
  role?: Role;
  locked?: boolean;
  offset: number;
  limit: number;
}

/** What makes a phone locked: as many recent failures from one address as login allows. */
export interface LockRule {
  since: Date;
  maxFailures: number;
}

/** `u` has a grant (of `role`, if given) on an active unit under the prefixes. */
function hasGrantUnder(prefixes: readonly string[], role?: GrantRole): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from grants g join units gu on gu.id = g.unit_id
    where g.user_id = u.id and gu.retired_at is null ${role ? sql`and g.role = ${role}` : sql``} and ${underAny('gu.path', prefixes)})`;
}

function lockedSql(lock: LockRule): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from login_failures f where f.phone = u.phone and f.at > ${lock.since}
    group by f.address having count(*) >= ${lock.maxFailures})`;
}

interface PersonRow {
  id: string;
  name: string;
  phone: string;
  disabled_at: Date | null;
  must_change_password: boolean;
  member_id: string | null;
  central_household: boolean | null;
  unit_id: string | null;
  unit_kind: string | null;
  unit_name: string | null;
  unit_path: string | null;
  households: number | string;
  locked: boolean;
}

/**
 * People (logins) in the given subtrees: liaison members sitting in them and staff holding a
 * role on a unit in them, with their unit, households, grants, disabled and locked state; a
 * page of them in tree order, and how many match in all.
 */
export async function listPeople(db: Db, f: PeopleFilter, lock: LockRule): Promise<{ total: number; people: Person[] }> {
  const where: RawBuilder<boolean>[] = [sql`(${underAny('mu.path', f.prefixes)} or ${hasGrantUnder(f.prefixes)})`];
  if (f.userIds) where.push(inIds('u.id', f.userIds));
  if (f.q) where.push(sql`(u.name ilike ${containsPattern(f.q)} or u.phone like ${containsPattern(f.q)})`);
  if (f.status) where.push(f.status === 'active' ? sql`u.disabled_at is null` : sql`u.disabled_at is not null`);
  if (f.role === 'member') where.push(sql`(m.id is not null and ${underAny('mu.path', f.prefixes)})`);
  else if (f.role) where.push(hasGrantUnder(f.prefixes, f.role));
  if (f.locked !== undefined) where.push(f.locked ? lockedSql(lock) : sql`not ${lockedSql(lock)}`);
  // 1. The page's ids and the total, in tree order; 2. what is shown of those few only, so a
  // county of 35,000 members costs one indexed scan, not a household count per person.
  const from = sql`from users u
    left join members m on m.user_id = u.id and m.retired_at is null
    left join units mu on mu.id = m.unit_id
    where ${sql.join(where, sql` and `)}`;
  const page = await sql<{ id: string; total: number | string }>`
    select u.id, count(*) over () as total ${from}
    order by coalesce(mu.path, (select min(gu.path) from grants g join units gu on gu.id = g.unit_id
      where g.user_id = u.id and gu.retired_at is null and ${underAny('gu.path', f.prefixes)})), u.name, u.id
    limit ${f.limit} offset ${f.offset}`.execute(db);
  let total = page.rows.length ? Number(page.rows[0]!.total) : 0;
  if (!page.rows.length && f.offset > 0) total = Number((await sql<{ n: string }>`select count(*) as n ${from}`.execute(db)).rows[0]!.n);
  const ids = page.rows.map((r) => r.id);
  const details = ids.length
    ? (
        await sql<PersonRow>`
    select u.id, u.name, u.phone, u.disabled_at, u.must_change_password,
      m.id as member_id, m.central_household, mu.id as unit_id, mu.kind as unit_kind, mu.name as unit_name, mu.path as unit_path,
      (select count(*) from households h where h.member_id = m.id) as households,
      ${lockedSql(lock)} as locked
    from users u
    left join members m on m.user_id = u.id and m.retired_at is null
    left join units mu on mu.id = m.unit_id
    where ${inIds('u.id', ids)}`.execute(db)
      ).rows
    : [];
  const byId = new Map(details.map((d) => [d.id, d]));
  const rows = ids.map((id) => byId.get(id)!);
  const grants = rows.length
    ? await db
        .selectFrom('grants as g')
        .innerJoin('units as gu', 'gu.id', 'g.unit_id')
        .select(['g.user_id', 'g.role', 'gu.id', 'gu.kind', 'gu.name', 'gu.path'])
        .where(inIds('g.user_id', rows.map((r) => r.id)))
        .where('gu.retired_at', 'is', null)
        .where(underAny('gu.path', f.grantPrefixes))
        .orderBy('gu.path')
        .execute()
    : [];
  const memberUnits = rows.filter((r) => r.unit_id).map((r) => ({ id: r.unit_id!, kind: r.unit_kind!, name: r.unit_name!, path: r.unit_path! }));
  const labels = await unitLabels(db, [...memberUnits, ...grants.map((g) => ({ id: g.id, kind: g.kind, name: g.name, path: g.path }))]);
  const people = rows.map(
    (r): Person => ({
      userId: r.id,
      name: r.name,
      phone: r.phone,
      memberId: r.member_id,
      unit: r.unit_id ? labels.get(r.unit_id)! : null,
      centralHousehold: r.central_household ?? false,
      households: Number(r.households),
      grants: grants.filter((g) => g.user_id === r.id).map((g) => ({ role: g.role, unit: labels.get(g.id)! })),
      disabledAt: r.disabled_at ? new Date(r.disabled_at).toISOString() : null,
      locked: Boolean(r.locked),
      mustChangePassword: r.must_change_password,
    }),
  );
  return { total, people };
}

/**
 * Every unit a person belongs to or holds a role on (active units), as text paths: account
 * actions on a person need all of them in the caller's admin scope.
 */
export async function personUnitPaths(db: Db, userId: string): Promise<{ memberPath: string | null; grantPaths: string[] }> {
  const member = await db
    .selectFrom('members')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select('units.path')
    .where('members.user_id', '=', userId)
    .where('members.retired_at', 'is', null)
    .executeTakeFirst();
  const grants = await db
    .selectFrom('grants')
    .innerJoin('units', 'units.id', 'grants.unit_id')
    .select('units.path')
    .where('grants.user_id', '=', userId)
    .where('units.retired_at', 'is', null)
    .orderBy('units.path')
    .execute();
  return { memberPath: member?.path ?? null, grantPaths: grants.map((g) => g.path) };
}
