import { sql, type Kysely } from 'kysely';
import type { UnitKind } from '@shared/domain/org-tree.ts';
import type { GrantRole, Scope } from '@shared/domain/scope.ts';
import type { Database } from '../db/database.ts';
import { adminPrefixes, inIds, underAny } from '../access/scope-sql.ts';

type Db = Kysely<Database>;

/** `<column> is one of these texts`, as one JSON parameter (names may hold commas or quotes). */
const inTexts = (column: string, values: readonly string[]) =>
  sql<boolean>`${sql.ref(column)} in (select json_array_elements_text(cast(${JSON.stringify(values)} as json)))`;

/** What the roster needs of a unit: enough to write and to resolve its path of names. */
export interface RosterUnit {
  id: string;
  kind: UnitKind;
  name: string;
  parentId: string | null;
  /** A grid's households take their address shape from the kind of unit it sits in. */
  parentKind: UnitKind | null;
  /** Text path '/root/…/id/'. */
  path: string;
  spaceId: string | null;
}

const unitColumns = [
  'units.id', 'units.kind', 'units.name', 'units.parent_id', 'units.path', 'units.space_id',
  sql<string | null>`(select p.kind from units p where p.id = units.parent_id)`.as('parent_kind'),
] as const;
const toUnit = (u: { id: string; kind: string; name: string; parent_id: string | null; parent_kind: string | null; path: string; space_id: string | null }): RosterUnit => ({
  id: u.id, kind: u.kind as UnitKind, name: u.name, parentId: u.parent_id, parentKind: u.parent_kind as UnitKind | null, path: u.path, spaceId: u.space_id,
});

/**
 * The active units the caller administers, and the ancestors of their admin roots (whose names
 * begin every full path, but which the caller may not write to).
 */
export async function listScopeUnits(db: Db, scope: Scope): Promise<RosterUnit[]> {
  const ancestors = [...new Set(scope.adminRoots.flatMap((r) => r.unitPath.slice(0, -1)))];
  const rows = await db
    .selectFrom('units')
    .select(unitColumns)
    .where('units.retired_at', 'is', null)
    .where(sql<boolean>`(${underAny('units.path', adminPrefixes(scope))} or ${inIds('units.id', ancestors)})`)
    .execute();
  return rows.map(toUnit);
}

/**
 * Active units bearing these names anywhere in the tree, with their ancestors' names: only to tell
 * "outside your scope" from "no such unit" for a path that did not resolve in scope. Bounded by
 * the names of the file's unresolved paths; nothing of these units is written or returned.
 */
export async function listUnitsNamed(db: Db, names: readonly string[]): Promise<RosterUnit[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('units')
    .select(unitColumns)
    .where('units.retired_at', 'is', null)
    .where(inTexts('units.name', names))
    .limit(10_000)
    .execute();
  return rows.map(toUnit);
}

/** A person as the roster sees them: login, liaison membership and grants, with where each sits. */
export interface RosterPerson {
  userId: string;
  phone: string;
  name: string;
  disabled: boolean;
  member: { id: string; unitId: string; unitPath: string; centralHousehold: boolean; retired: boolean } | null;
  grants: { role: GrantRole; unitId: string; unitPath: string }[];
}

/** People by phone (the file's phones), wherever they sit: the service decides what is in scope. */
export async function findPeopleByPhones(db: Db, phones: readonly string[]): Promise<Map<string, RosterPerson>> {
  const out = new Map<string, RosterPerson>();
  if (phones.length === 0) return out;
  const users = await db
    .selectFrom('users')
    .select(['id', 'phone', 'name', 'disabled_at'])
    .where(inTexts('phone', phones))
    .execute();
  return fillPeople(db, users);
}

/** Everyone holding a liaison membership or a grant on a unit the caller administers. */
export async function listScopePeople(db: Db, scope: Scope): Promise<RosterPerson[]> {
  const prefixes = adminPrefixes(scope);
  const users = await db
    .selectFrom('users')
    .select(['id', 'phone', 'name', 'disabled_at'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('members')
          .innerJoin('units', 'units.id', 'members.unit_id')
          .select('members.id')
          .whereRef('members.user_id', '=', 'users.id')
          .where('members.retired_at', 'is', null)
          .where(underAny('units.path', prefixes)),
      ).or(
        exists(
          selectFrom('grants')
            .innerJoin('units', 'units.id', 'grants.unit_id')
            .select('grants.unit_id')
            .whereRef('grants.user_id', '=', 'users.id')
            .where('units.retired_at', 'is', null)
            .where(underAny('units.path', prefixes)),
        ),
      ),
    )
    .execute();
  return [...(await fillPeople(db, users)).values()];
}

async function fillPeople(db: Db, users: { id: string; phone: string; name: string; disabled_at: Date | null }[]): Promise<Map<string, RosterPerson>> {
  const out = new Map<string, RosterPerson>();
  const byId = new Map<string, RosterPerson>();
  for (const u of users) {
    const p: RosterPerson = { userId: u.id, phone: u.phone, name: u.name, disabled: u.disabled_at !== null, member: null, grants: [] };
    out.set(u.phone, p);
    byId.set(u.id, p);
  }
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const members = await db
      .selectFrom('members')
      .innerJoin('units', 'units.id', 'members.unit_id')
      .select(['members.id', 'members.user_id', 'members.unit_id', 'members.central_household', 'members.retired_at', 'units.path'])
      .where(inIds('members.user_id', chunk))
      .execute();
    for (const m of members) {
      byId.get(m.user_id)!.member = { id: m.id, unitId: m.unit_id, unitPath: m.path, centralHousehold: m.central_household, retired: m.retired_at !== null };
    }
    const grants = await db
      .selectFrom('grants')
      .innerJoin('units', 'units.id', 'grants.unit_id')
      .select(['grants.user_id', 'grants.role', 'grants.unit_id', 'units.path'])
      .where(inIds('grants.user_id', chunk))
      .where('units.retired_at', 'is', null)
      .execute();
    for (const g of grants) byId.get(g.user_id)!.grants.push({ role: g.role as GrantRole, unitId: g.unit_id, unitPath: g.path });
  }
  return out;
}

/**
 * Every active household on a unit the caller administers, as stored (the sync codec makes wire
 * rows of them). Archived ones are not in the roster: restoring one is a desk action, not an import.
 */
export async function listScopeHouseholds(db: Db, scope: Scope): Promise<Record<string, unknown>[]> {
  return db
    .selectFrom('households')
    .innerJoin('units', 'units.id', 'households.unit_id')
    .selectAll('households')
    .where(underAny('units.path', adminPrefixes(scope)))
    .where('households.archived_at', 'is', null)
    .orderBy('units.path')
    .orderBy('households.created_at')
    .execute();
}

/** Retired memberships on the caller's units: a household may still name one as its liaison. */
export async function listRetiredMemberIds(db: Db, scope: Scope): Promise<Set<string>> {
  const rows = await db
    .selectFrom('members')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select('members.id')
    .where('members.retired_at', 'is not', null)
    .where(underAny('units.path', adminPrefixes(scope)))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** New logins; their temporary password must be changed at the first login. */
export async function insertUsers(db: Db, users: { id: string; phone: string; name: string; passwordHash: string }[]): Promise<void> {
  for (let i = 0; i < users.length; i += 2000) {
    await db
      .insertInto('users')
      .values(users.slice(i, i + 2000).map((u) => ({ id: u.id, phone: u.phone, name: u.name, password_hash: u.passwordHash, must_change_password: true })))
      .execute();
  }
}

/** Renames many logins in one statement per slice. */
export async function renameUsers(db: Db, renames: { id: string; name: string }[]): Promise<void> {
  for (let i = 0; i < renames.length; i += 5000) {
    const json = JSON.stringify(renames.slice(i, i + 5000));
    await sql`update users set name = v.name from json_to_recordset(cast(${json} as json)) as v(id uuid, name text) where users.id = v.id`.execute(db);
  }
}

/** Sets many logins' password hashes in one statement per slice. */
export async function setPasswordHashes(db: Db, rows: { id: string; passwordHash: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const json = JSON.stringify(rows.slice(i, i + 5000));
    await sql`update users set password_hash = v."passwordHash" from json_to_recordset(cast(${json} as json)) as v(id uuid, "passwordHash" text) where users.id = v.id`.execute(db);
  }
}

export async function insertGrants(db: Db, grants: { userId: string; role: GrantRole; unitId: string }[]): Promise<void> {
  for (let i = 0; i < grants.length; i += 2000) {
    await db
      .insertInto('grants')
      .values(grants.slice(i, i + 2000).map((g) => ({ user_id: g.userId, role: g.role, unit_id: g.unitId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** The history of who held each household, for many at once. */
export async function insertAssignments(db: Db, rows: { householdId: string; fromMemberId: string | null; toMemberId: string | null; byUserId: string; at: Date }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto('household_assignments')
      .values(rows.slice(i, i + 2000).map((a) => ({ household_id: a.householdId, from_member_id: a.fromMemberId, to_member_id: a.toMemberId, by_user_id: a.byUserId, at: a.at })))
      .execute();
  }
}
