import type { Kysely } from 'kysely';
import { LIAISON_UNIT_KINDS, type UnitKind } from '@shared/domain/org-tree.ts';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { MemberRow } from '@shared/kinds/members.ts';
import type { CreateGrant, CreateMember, CreateStaff, Member, UpdateMember } from '@shared/schemas/account.ts';
import { kindOf } from '@shared/sync/registry.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import * as users from '../repositories/user-repository.ts';
import * as members from '../repositories/member-repository.ts';
import { loadByIds } from '../sync/row-codec.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import { adminUnit } from './org-service.ts';
import { hashPassword } from './password.ts';

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
    const [listed] = await members.listMembers(trx, scope, { ids: [id] });
    return listed!;
  });
}

/** Creates a supervisor's or admin's login with its role on a unit the caller administers. */
export async function createStaff(db: Db, scope: Scope, input: CreateStaff): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    await adminUnit(trx, scope, input.unitId);
    await assertPhoneFree(trx, input.phone);
    const userId = uuidv7();
    await users.insertUser(trx, { id: userId, phone: input.phone, name: input.name, passwordHash });
    await users.insertGrant(trx, { userId, role: input.role, unitId: input.unitId });
    return { userId };
  });
}

/**
 * Makes an existing person a supervisor or admin of a unit the caller administers. Their
 * devices' next pull finds their scope grown and fetches the new subtree.
 */
export async function grantRole(db: Db, scope: Scope, input: CreateGrant): Promise<{ ok: true }> {
  return db.transaction().execute(async (trx) => {
    await adminUnit(trx, scope, input.unitId);
    const user = await users.findUser(trx, input.userId);
    if (!user || user.disabled_at) throw new DomainError('NOT_FOUND', '找不到该用户');
    await users.insertGrant(trx, { userId: input.userId, role: input.role, unitId: input.unitId });
    return { ok: true as const };
  });
}
