import type { Kysely } from 'kysely';
import { LIAISON_UNIT_KINDS, type UnitKind } from '@shared/domain/org-tree.ts';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { HouseholdLimits } from '@shared/domain/household.ts';
import type { MemberRow } from '@shared/kinds/members.ts';
import type { Member } from '@shared/schemas/account.ts';
import type { GrantView, MoveMember, PeopleQuery, PeopleReply, Person, RevokeGrant } from '@shared/schemas/admin-people.ts';
import { kindOf } from '@shared/sync/registry.ts';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import { adminPrefixes } from '../access/scope-sql.ts';
import * as members from '../repositories/member-repository.ts';
import * as people from '../repositories/people-repository.ts';
import * as units from '../repositories/unit-repository.ts';
import * as users from '../repositories/user-repository.ts';
import { loadByIds } from '../sync/row-codec.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import { assignWithin } from './assignment-service.ts';
import { recordAudit } from './audit.ts';
import { adminUnit } from './org-service.ts';

type Db = Kysely<Database>;

/** When a phone counts as locked out, from the login settings. */
export const lockRule = (config: AppConfig, now: Date): people.LockRule => ({
  since: new Date(now.getTime() - config.login.windowMs),
  maxFailures: config.login.maxFailures,
});

/** A page of the people in the caller's admin subtrees (or in one unit's subtree inside them). */
export async function listPeople(db: Db, scope: Scope, query: PeopleQuery, lock: people.LockRule): Promise<PeopleReply> {
  const own = adminPrefixes(scope);
  const prefixes = query.unitId ? [(await readAdminUnit(db, scope, query.unitId)).path] : own;
  return people.listPeople(db, { ...query, prefixes, grantPrefixes: own, offset: query.offset ?? 0, limit: query.limit ?? 50 }, lock);
}

/** One person in the caller's admin subtrees, or NOT_FOUND. */
export async function getPerson(db: Db, scope: Scope, userId: string, lock: people.LockRule): Promise<Person> {
  const own = adminPrefixes(scope);
  const { people: found } = await people.listPeople(db, { prefixes: own, grantPrefixes: own, userIds: [userId], offset: 0, limit: 1 }, lock);
  if (!found[0]) throw new DomainError('NOT_FOUND', '找不到该人员');
  return found[0];
}

/** A unit the caller administers, retired or not (a filter may name one), or NOT_FOUND / FORBIDDEN. */
async function readAdminUnit(db: Db, scope: Scope, id: string) {
  const unit = await units.findUnit(db, id);
  if (!unit) throw new DomainError('NOT_FOUND');
  if (!canAdminUnit(scope, textToPath(unit.path))) throw new DomainError('FORBIDDEN');
  return unit;
}

/**
 * A person an admin may act on as a whole (disable, reset the password, unlock): every unit they
 * sit in or hold a role on must lie in the caller's admin subtrees — an admin of a village cannot
 * lock out the district's admin who happens to be a member there. Never the caller themself.
 * Returns the user and the unit path their audit entries are filed under.
 */
export async function wholePerson(db: Db, scope: Scope, userId: string) {
  if (userId === scope.userId) throw new DomainError('NOT_ON_SELF');
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
  if (!user) throw new DomainError('NOT_FOUND', '找不到该人员');
  const { memberPath, grantPaths } = await people.personUnitPaths(db, userId);
  const paths = [...(memberPath ? [memberPath] : []), ...grantPaths];
  const inScope = paths.filter((p) => canAdminUnit(scope, textToPath(p)));
  if (inScope.length === 0) throw new DomainError('FORBIDDEN');
  if (inScope.length < paths.length) throw new DomainError('PERSON_BEYOND_SCOPE');
  // Filed where the person belongs: their branch, else the highest unit they hold a role on.
  const auditPath = memberPath ?? [...grantPaths].sort((a, b) => a.length - b.length)[0]!;
  return { user, auditPath };
}

/**
 * Moves a liaison member to another liaison unit the caller administers (both ends in scope).
 * Their households stay where they are: a household belongs to its unit (its address is a place
 * there), and a member only looks after households of their own unit. So the move is refused
 * while they still hold any — unless `releaseHouseholds`, which leaves them unassigned in the old
 * unit (a gap the admin then fills) through the one assignment rule, recorded like any reassignment.
 */
export async function moveMember(db: Db, scope: Scope, id: string, input: MoveMember, limits: HouseholdLimits, now: Date): Promise<Member> {
  return db.transaction().execute(async (trx) => {
    const found = await members.findMember(trx, id, true);
    if (!found || found.retired_at) throw new DomainError('NOT_FOUND', '找不到该党员');
    if (!canAdminUnit(scope, textToPath(found.path))) throw new DomainError('FORBIDDEN');
    const target = await adminUnit(trx, scope, input.unitId);
    if (!LIAISON_UNIT_KINDS.includes(target.kind as UnitKind)) throw new DomainError('UNIT_NOT_LIAISON');
    if (target.id !== found.unit_id) {
      const held = await trx.selectFrom('households').select('id').where('member_id', '=', id).orderBy('id').execute();
      if (held.length && !input.releaseHouseholds) throw new DomainError('MEMBER_HOLDS_HOUSEHOLDS', undefined, { households: held.length });
      // Released through the one assignment rule (its history and audit entries included).
      if (held.length) await assignWithin(trx, scope, held.map((h) => h.id), null, limits, now);
      const [row] = (await loadByIds(trx, kindOf('members'), [id])) as MemberRow[];
      await writeSynced(trx, (w) => w.put('members', { ...row!, unitId: target.id }, { before: row! }));
      const from = (await units.findUnit(trx, found.unit_id))!;
      const before = { unitId: from.id, unitName: from.name, households: held.length };
      const after = { unitId: target.id, unitName: target.name, households: 0, releasedHouseholds: held.map((h) => h.id) };
      // Filed under both units, so the admins of each end see it; each release has its own entry.
      await recordAudit(trx, [found.path, target.path].map((unitPath) => ({
        actorUserId: scope.userId, action: 'member.move', targetKind: 'members', targetId: id, unitPath, before, after,
      })));
    }
    const [listed] = await members.listMembers(trx, scope, { ids: [id] });
    return listed!;
  });
}

/**
 * Disables a login (a member who leaves, staff who step down): they can no longer log in; their
 * desk sessions end; every device of theirs is retired the DESIGN.md way — its next push hands
 * its pending work to the holding area for a supervisor, its next pull erases it. The device
 * sessions stay alive for exactly that (auth lets a disabled user's retired device push and pull
 * only), so nothing typed is lost. A device that had a session but never synced is retired too.
 */
export async function disableUser(db: Db, scope: Scope, userId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { user, auditPath } = await wholePerson(trx, scope, userId);
    if (user.disabled_at) return;
    await users.updateUser(trx, userId, { disabled_at: now });
    await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('client_id', 'is', null).where('revoked_at', 'is', null).execute();
    const sessionDevices = await trx.selectFrom('sessions').select('client_id').distinct().where('user_id', '=', userId).where('client_id', 'is not', null).where('revoked_at', 'is', null).execute();
    for (const s of sessionDevices) {
      await trx.insertInto('sync_clients').values({ client_id: s.client_id!, user_id: userId }).onConflict((oc) => oc.column('client_id').doNothing()).execute();
    }
    // Stamped with the disabling instant, so re-enabling brings back exactly these devices.
    const retired = await trx
      .updateTable('sync_clients')
      .set({ revoked_at: now, revoke_kind: 'retire' })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning('client_id')
      .execute();
    await recordAudit(trx, {
      actorUserId: scope.userId, action: 'user.disable', targetKind: 'users', targetId: userId, unitPath: auditPath,
      before: { disabledAt: null }, after: { disabledAt: now.toISOString(), devicesRetired: retired.map((d) => d.client_id) },
    });
  });
}

/**
 * Re-enables a login. The devices its disabling retired are returned to service (they kept their
 * ids across the wipe, so they simply sync afresh); devices retired or reported lost on their own
 * stay so.
 */
export async function enableUser(db: Db, scope: Scope, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { user, auditPath } = await wholePerson(trx, scope, userId);
    if (!user.disabled_at) return;
    await users.updateUser(trx, userId, { disabled_at: null });
    const restored = await trx
      .updateTable('sync_clients')
      .set({ revoked_at: null, revoke_kind: null })
      .where('user_id', '=', userId)
      .where('revoke_kind', '=', 'retire')
      .where('revoked_at', '=', user.disabled_at)
      .returning('client_id')
      .execute();
    await recordAudit(trx, {
      actorUserId: scope.userId, action: 'user.enable', targetKind: 'users', targetId: userId, unitPath: auditPath,
      before: { disabledAt: user.disabled_at.toISOString() }, after: { disabledAt: null, devicesRestored: restored.map((d) => d.client_id) },
    });
  });
}

/** A user's roles on units the caller administers (others are not theirs to see). */
export async function listUserGrants(db: Db, scope: Scope, userId: string): Promise<GrantView[]> {
  const user = await users.findUser(db, userId);
  if (!user) throw new DomainError('NOT_FOUND', '找不到该人员');
  const rows = (await users.listGrants(db, userId)).filter((g) => canAdminUnit(scope, textToPath(g.path)));
  const labels = await units.unitLabels(db, rows);
  return rows.map((g) => ({ role: g.role, unit: labels.get(g.id)! }));
}

/**
 * Takes back a supervisor's or admin's role on a unit the caller administers. An admin may not
 * take back their own last admin role (nobody would be left to undo it from their seat). Their
 * devices' next pull finds the scope shrunk and drops what it no longer covers.
 */
export async function revokeGrant(db: Db, scope: Scope, input: RevokeGrant): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const unit = await readAdminUnit(trx, scope, input.unitId);
    if (input.userId === scope.userId && input.role === 'admin') {
      const mine = await trx.selectFrom('grants').select('unit_id').where('user_id', '=', scope.userId).where('role', '=', 'admin').forUpdate().execute();
      if (mine.length <= 1) throw new DomainError('LAST_ADMIN_GRANT');
    }
    if (!(await users.deleteGrant(trx, input))) throw new DomainError('NOT_FOUND', '此人没有该职务');
    await recordAudit(trx, {
      actorUserId: scope.userId, action: 'grant.revoke', targetKind: 'users', targetId: input.userId, unitPath: unit.path,
      before: { role: input.role, unitId: unit.id, unitName: unit.name }, after: null,
    });
  });
}
