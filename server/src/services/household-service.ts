import type { Kysely } from 'kysely';
import { addressFitsGrid, type HouseholdLimits } from '@shared/domain/household.ts';
import { canAdminUnit, canReadHousehold, type Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { HouseholdRow } from '@shared/kinds/households.ts';
import type { CreateHousehold, Household } from '@shared/schemas/household.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import * as households from '../repositories/household-repository.ts';
import * as members from '../repositories/member-repository.ts';
import { kindOf } from '@shared/sync/registry.ts';
import { loadByIds } from '../sync/row-codec.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import { addressGridOf, adminUnit } from './org-service.ts';

type Db = Kysely<Database>;

/** Refuses a liaison who is not of the household's unit or already holds the maximum. */
async function assertAssignable(db: Db, memberId: string, unitId: string, limits: HouseholdLimits) {
  // Locking the member row serialises concurrent assignments to them, so the cap holds.
  const member = await members.findMember(db, memberId, true);
  if (!member || member.retired_at) throw new DomainError('NOT_FOUND', '找不到该党员');
  if (member.unit_id !== unitId) throw new DomainError('MEMBER_UNIT_MISMATCH');
  const held = await members.countAssigned(db, memberId);
  if (held >= limits.max) throw new DomainError('MEMBER_AT_CAPACITY', undefined, { max: limits.max, held });
}

/** Creates a household in a liaison unit the caller administers, optionally assigned at once. */
export async function createHousehold(db: Db, scope: Scope, input: CreateHousehold, limits: HouseholdLimits, now: Date): Promise<Household> {
  return db.transaction().execute(async (trx) => {
    const unit = await adminUnit(trx, scope, input.unitId);
    const grid = await addressGridOf(trx, unit);
    if (!grid) throw new DomainError('UNIT_NOT_LIAISON');
    if (!addressFitsGrid(grid, input.address)) throw new DomainError('ADDRESS_KIND_MISMATCH');
    const id = input.id ?? uuidv7();
    if (await households.findHousehold(trx, id)) throw new DomainError('ID_TAKEN');
    const memberId = input.memberId ?? null;
    if (memberId) await assertAssignable(trx, memberId, unit.id, limits);
    await writeSynced(trx, async (writer) => {
      const row: Omit<HouseholdRow, 'unitPath'> = {
        id, unitId: unit.id, memberId, headName: input.headName, phone: input.phone ?? null, size: input.size, address: input.address,
        careTags: input.careTags ?? [], notes: input.notes ?? '', updatedAt: now.toISOString(), fieldMeta: {},
      };
      await writer.put('households', row, { before: null });
      if (memberId) await households.recordAssignment(trx, { householdId: id, fromMemberId: null, toMemberId: memberId, byUserId: scope.userId, at: now });
    });
    return households.toHousehold((await households.findHousehold(trx, id))!);
  });
}

/**
 * Assigns a household to a liaison of its unit (or to nobody), recording the change. A scope
 * change the devices see in version order: the new holder's next pull brings the household with
 * its records, the old one's deletes it.
 */
export async function assignHousehold(db: Db, scope: Scope, householdId: string, memberId: string | null, limits: HouseholdLimits, now: Date): Promise<Household> {
  return db.transaction().execute(async (trx) => {
    const [before] = await loadByIds(trx, kindOf('households'), [householdId], true);
    if (!before) throw new DomainError('NOT_FOUND');
    const household = before as unknown as HouseholdRow;
    if (!canAdminUnit(scope, household.unitPath)) throw new DomainError('FORBIDDEN');
    if (household.memberId !== memberId) {
      if (memberId) await assertAssignable(trx, memberId, household.unitId, limits);
      await writeSynced(trx, async (writer) => {
        await writer.put('households', { ...household, memberId, updatedAt: now.toISOString() }, { before });
        await households.recordAssignment(trx, { householdId, fromMemberId: household.memberId, toMemberId: memberId, byUserId: scope.userId, at: now });
      });
    }
    return households.toHousehold((await households.findHousehold(trx, householdId))!);
  });
}

/** A household the caller may read, or NOT_FOUND / OUT_OF_SCOPE. */
export async function readableHousehold(db: Db, scope: Scope, id: string) {
  const row = await households.findHousehold(db, id);
  if (!row) throw new DomainError('NOT_FOUND');
  if (!canReadHousehold(scope, { memberId: row.member_id, unitPath: textToPath(row.unit_path) })) {
    throw new DomainError('OUT_OF_SCOPE');
  }
  return row;
}
