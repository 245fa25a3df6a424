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
import { writeSynced } from '../sync/sync-writer.ts';
import { assignWithin } from './assignment-service.ts';
import { recordAudit } from './audit.ts';
import { addressGridOf, adminUnit } from './org-service.ts';

type Db = Kysely<Database>;

/** The fields of a household the audit log keeps, as the wire names them. */
export const auditedFields = (h: Omit<HouseholdRow, 'unitPath' | 'fieldMeta' | 'updatedAt'>) => ({
  headName: h.headName, phone: h.phone, size: h.size, address: h.address, careTags: h.careTags, notes: h.notes, unitId: h.unitId, memberId: h.memberId,
});

/**
 * Creates a household in a liaison unit the caller administers, audited; given a member, it is
 * then assigned by the one assignment rule (assignment-service), in the same transaction.
 */
export async function createHousehold(db: Db, scope: Scope, input: CreateHousehold, limits: HouseholdLimits, now: Date): Promise<Household> {
  return db.transaction().execute(async (trx) => {
    const unit = await adminUnit(trx, scope, input.unitId);
    const grid = await addressGridOf(trx, unit);
    if (!grid) throw new DomainError('UNIT_NOT_LIAISON');
    if (!addressFitsGrid(grid, input.address)) throw new DomainError('ADDRESS_KIND_MISMATCH');
    const id = input.id ?? uuidv7();
    if (await households.findHousehold(trx, id)) throw new DomainError('ID_TAKEN');
    const row: Omit<HouseholdRow, 'unitPath'> = {
      id, unitId: unit.id, memberId: null, headName: input.headName, phone: input.phone ?? null, size: input.size, address: input.address,
      careTags: input.careTags ?? [], notes: input.notes ?? '', updatedAt: now.toISOString(), fieldMeta: {},
    };
    await writeSynced(trx, (writer) => writer.put('households', row, { before: null }));
    await recordAudit(trx, { actorUserId: scope.userId, action: 'household.create', targetKind: 'households', targetId: id, unitPath: unit.path, before: null, after: auditedFields(row) }, now);
    if (input.memberId) await assignWithin(trx, scope, [id], input.memberId, limits, now);
    return households.toHousehold((await households.findHousehold(trx, id))!);
  });
}

/**
 * Assigns one household to a liaison of its unit (or to nobody): the bulk assignment of one.
 * A scope change the devices see in version order: the new holder's next pull brings the
 * household with its records, the old one's deletes it.
 */
export async function assignHousehold(db: Db, scope: Scope, householdId: string, memberId: string | null, limits: HouseholdLimits, now: Date): Promise<Household> {
  return db.transaction().execute(async (trx) => {
    await assignWithin(trx, scope, [householdId], memberId, limits, now);
    return households.toHousehold((await households.findHousehold(trx, householdId))!);
  });
}

/** A household the caller administers, locked; NOT_FOUND or FORBIDDEN otherwise. */
export async function administeredHousehold(trx: Db, scope: Scope, id: string) {
  const row = await households.findHousehold(trx, id, true);
  if (!row) throw new DomainError('NOT_FOUND');
  if (!canAdminUnit(scope, textToPath(row.unit_path))) throw new DomainError('FORBIDDEN');
  return row;
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
