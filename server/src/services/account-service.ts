import type { Kysely } from 'kysely';
import { LIAISON_UNIT_KINDS, type UnitKind } from '@shared/domain/org-tree.ts';
import type { Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { CreateMember, CreateStaff, Member } from '@shared/schemas/account.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Database } from '../db/database.ts';
import * as users from '../repositories/user-repository.ts';
import * as members from '../repositories/member-repository.ts';
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
    await members.insertMembers(trx, [{ id, userId, unitId: unit.id, centralHousehold: input.centralHousehold ?? false }]);
    return { id, userId, unitId: unit.id, name: input.name, phone: input.phone, centralHousehold: input.centralHousehold ?? false, households: 0 };
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
