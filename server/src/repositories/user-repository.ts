import type { Kysely } from 'kysely';
import type { Caller, GrantRole } from '@shared/domain/scope.ts';
import type { UnitKind } from '@shared/domain/org-tree.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';

type Db = Kysely<Database>;

export async function findUserByPhone(db: Db, phone: string) {
  return db.selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirst();
}

export async function findUser(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Db, user: { id: string; phone: string; name: string; passwordHash: string }) {
  await db.insertInto('users').values({ id: user.id, phone: user.phone, name: user.name, password_hash: user.passwordHash }).execute();
}

export async function renameUser(db: Db, id: string, name: string) {
  await db.updateTable('users').set({ name }).where('id', '=', id).execute();
}

/** Adds a grant; false when the user already held it. */
export async function insertGrant(db: Db, grant: { userId: string; role: GrantRole; unitId: string }): Promise<boolean> {
  const rows = await db
    .insertInto('grants')
    .values({ user_id: grant.userId, role: grant.role, unit_id: grant.unitId })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .execute();
  return rows.length > 0;
}

/** Takes a grant back; false when the user did not hold it. */
export async function deleteGrant(db: Db, grant: { userId: string; role: GrantRole; unitId: string }): Promise<boolean> {
  const rows = await db
    .deleteFrom('grants')
    .where('user_id', '=', grant.userId)
    .where('role', '=', grant.role)
    .where('unit_id', '=', grant.unitId)
    .returning('user_id')
    .execute();
  return rows.length > 0;
}

/** A user's grants with their units' paths (active units only). */
export async function listGrants(db: Db, userId: string) {
  return db
    .selectFrom('grants')
    .innerJoin('units', 'units.id', 'grants.unit_id')
    .select(['grants.role', 'units.id', 'units.kind', 'units.name', 'units.path'])
    .where('grants.user_id', '=', userId)
    .where('units.retired_at', 'is', null)
    .orderBy('units.path')
    .execute();
}

/** Sets what an admin or the person changes on a login: disabled, password, the must-change flag. */
export async function updateUser(db: Db, id: string, set: { disabled_at?: Date | null; password_hash?: string; must_change_password?: boolean }) {
  await db.updateTable('users').set(set).where('id', '=', id).execute();
}

/** Everything the scope rules need to know about a user: their liaison membership and grants. */
export async function loadCaller(db: Db, userId: string): Promise<Caller> {
  const member = await db
    .selectFrom('members')
    .select('id')
    .where('user_id', '=', userId)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  const grants = await db
    .selectFrom('grants')
    .innerJoin('units', 'units.id', 'grants.unit_id')
    .select(['grants.role', 'grants.unit_id', 'units.path'])
    .where('grants.user_id', '=', userId)
    .where('units.retired_at', 'is', null)
    .execute();
  return {
    userId,
    memberId: member?.id ?? null,
    grants: grants.map((g) => ({ role: g.role as GrantRole, unitId: g.unit_id, unitPath: textToPath(g.path) })),
  };
}

/** The units a user holds a role on, for /api/me. */
export async function listGrantUnits(db: Db, userId: string) {
  const rows = await db
    .selectFrom('grants')
    .innerJoin('units', 'units.id', 'grants.unit_id')
    .select(['units.id', 'units.kind', 'units.name', 'grants.role'])
    .where('grants.user_id', '=', userId)
    .where('units.retired_at', 'is', null)
    .orderBy('units.path')
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as UnitKind, name: r.name, role: r.role as GrantRole }));
}
