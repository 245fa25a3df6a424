import type { Kysely } from 'kysely';
import { LIAISON_UNIT_KINDS, type UnitKind } from '@shared/domain/org-tree.ts';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { MemberRow } from '@shared/kinds/members.ts';
import { passwordProblem } from '@shared/domain/password-rule.ts';
import type { CreateGrant, CreateMember, CreateStaff, Member, UpdateMember } from '@shared/schemas/account.ts';
import type { ChangePassword } from '@shared/schemas/admin-people.ts';
import { kindOf } from '@shared/sync/registry.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import * as users from '../repositories/user-repository.ts';
import * as members from '../repositories/member-repository.ts';
import { loadByIds } from '../sync/row-codec.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import { recordAudit } from './audit.ts';
import { adminUnit } from './org-service.ts';
import { hashPassword, temporaryPassword, verifyPassword } from './password.ts';
import { wholePerson } from './people-service.ts';

type Db = Kysely<Database>;

async function assertPhoneFree(db: Db, phone: string) {
  if (await users.findUserByPhone(db, phone)) throw new DomainError('PHONE_TAKEN');
}

/** Creates a liaison member (农村党员户 / 党员楼长) and their login in a branch the caller administers. */
export async function createMember(db: Db, scope: Scope, input: CreateMember): Promise<Member> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const unit = await adminUnit(trx, scope, input.unitId);
    if (!LIAISON_UNIT_KINDS.includes(unit.kind as UnitKind)) throw new DomainError('UNIT_NOT_LIAISON');
    await assertPhoneFree(trx, input.phone);
    const userId = uuidv7();
    const id = input.id ?? uuidv7();
    await users.insertUser(trx, { id: userId, phone: input.phone, name: input.name, passwordHash });
    const row: MemberRow = { id, userId, unitId: unit.id, name: input.name, centralHousehold: input.centralHousehold ?? false };
    await writeSynced(trx, (w) => w.put('members', row, { before: null }));
    await recordAudit(trx, {
      actorUserId: scope.userId, action: 'member.create', targetKind: 'members', targetId: id, unitPath: unit.path,
      before: null, after: { name: input.name, phone: input.phone, unitId: unit.id, unitName: unit.name, centralHousehold: row.centralHousehold },
    });
    return { id, userId, unitId: unit.id, name: input.name, phone: input.phone, centralHousehold: row.centralHousehold, households: 0 };
  });
}

/** Edits a member in a branch the caller administers: their name (their login's) and the central-household flag. */
export async function updateMember(db: Db, scope: Scope, id: string, input: UpdateMember): Promise<Member> {
  return db.transaction().execute(async (trx) => {
    const found = await members.findMember(trx, id, true);
    if (!found || found.retired_at) throw new DomainError('NOT_FOUND', '找不到该党员');
    if (!canAdminUnit(scope, textToPath(found.path))) throw new DomainError('FORBIDDEN');
    const [before] = (await loadByIds(trx, kindOf('members'), [id])) as MemberRow[];
    if (input.name !== undefined) await users.renameUser(trx, found.user_id, input.name);
    const after: MemberRow = { ...before!, name: input.name ?? before!.name, centralHousehold: input.centralHousehold ?? before!.centralHousehold };
    await writeSynced(trx, (w) => w.put('members', after, { before: before! }));
    await recordAudit(trx, {
      actorUserId: scope.userId, action: 'member.update', targetKind: 'members', targetId: id, unitPath: found.path,
      before: { name: before!.name, centralHousehold: before!.centralHousehold }, after: { name: after.name, centralHousehold: after.centralHousehold },
    });
    const [listed] = await members.listMembers(trx, scope, { ids: [id] });
    return listed!;
  });
}

/** Creates a supervisor's or admin's login with its role on a unit the caller administers. */
export async function createStaff(db: Db, scope: Scope, input: CreateStaff): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const unit = await adminUnit(trx, scope, input.unitId);
    await assertPhoneFree(trx, input.phone);
    const userId = uuidv7();
    await users.insertUser(trx, { id: userId, phone: input.phone, name: input.name, passwordHash });
    await users.insertGrant(trx, { userId, role: input.role, unitId: input.unitId });
    await recordAudit(trx, {
      actorUserId: scope.userId, action: 'staff.create', targetKind: 'users', targetId: userId, unitPath: unit.path,
      before: null, after: { name: input.name, phone: input.phone, role: input.role, unitId: unit.id, unitName: unit.name },
    });
    return { userId };
  });
}

/**
 * Makes an existing person a supervisor or admin of a unit the caller administers. Their
 * devices' next pull finds their scope grown and fetches the new subtree.
 */
export async function grantRole(db: Db, scope: Scope, input: CreateGrant): Promise<{ ok: true }> {
  return db.transaction().execute(async (trx) => {
    const unit = await adminUnit(trx, scope, input.unitId);
    const user = await users.findUser(trx, input.userId);
    if (!user || user.disabled_at) throw new DomainError('NOT_FOUND', '找不到该用户');
    if (await users.insertGrant(trx, { userId: input.userId, role: input.role, unitId: input.unitId })) {
      await recordAudit(trx, {
        actorUserId: scope.userId, action: 'grant.add', targetKind: 'users', targetId: input.userId, unitPath: unit.path,
        before: null, after: { role: input.role, unitId: unit.id, unitName: unit.name },
      });
    }
    return { ok: true as const };
  });
}

/**
 * Gives a person a temporary password, returned once for the admin to pass on; only its hash is
 * kept. The next login must choose a new one. Every session ends (a reset voids the old
 * password, whoever held it) and the phone's lockout is cleared; a phone with pending work logs
 * in with the temporary password and syncs at once, since a must-change session may still sync.
 */
export async function resetPassword(db: Db, scope: Scope, userId: string, now: Date): Promise<{ temporaryPassword: string }> {
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const { user, auditPath } = await wholePerson(trx, scope, userId);
    await users.updateUser(trx, userId, { password_hash: passwordHash, must_change_password: true });
    await trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    await trx.deleteFrom('login_failures').where('phone', '=', user.phone).execute();
    // Never the password or its hash: only that it now must be changed.
    await recordAudit(trx, {
      actorUserId: scope.userId, action: 'user.reset_password', targetKind: 'users', targetId: userId, unitPath: auditPath,
      before: { mustChangePassword: user.must_change_password }, after: { mustChangePassword: true },
    });
  });
  return { temporaryPassword: password };
}

/** Clears the wrong-password record of a person's phone, from every address: they may log in at once. */
export async function unlockUser(db: Db, scope: Scope, userId: string): Promise<{ ok: true; cleared: number }> {
  return db.transaction().execute(async (trx) => {
    const { user, auditPath } = await wholePerson(trx, scope, userId);
    const cleared = await trx.deleteFrom('login_failures').where('phone', '=', user.phone).returning('at').execute();
    await recordAudit(trx, {
      actorUserId: scope.userId, action: 'user.unlock', targetKind: 'users', targetId: userId, unitPath: auditPath,
      before: { failures: cleared.length }, after: { failures: 0 },
    });
    return { ok: true as const, cleared: cleared.length };
  });
}

/** Every user changes their own password: the current one checked, the new one by the shared rule. */
export async function changeOwnPassword(db: Db, userId: string, input: ChangePassword): Promise<void> {
  const user = await users.findUser(db, userId);
  if (!user) throw new DomainError('UNAUTHENTICATED');
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) throw new DomainError('CURRENT_PASSWORD_WRONG');
  const problem = passwordProblem(input.newPassword, { phone: user.phone, current: input.currentPassword });
  if (problem) throw new DomainError(problem);
  await users.updateUser(db, userId, { password_hash: await hashPassword(input.newPassword), must_change_password: false });
}
