import type { Kysely } from 'kysely';
import { assertAllowedParent, assertMoveAllowed, SPACE_UNIT_KINDS, type UnitKind } from '@shared/domain/org-tree.ts';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { UnitRow as SyncedUnit } from '@shared/kinds/units.ts';
import type { CreateUnit, Unit } from '@shared/schemas/unit.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Database, UnitRow } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import * as units from '../repositories/unit-repository.ts';
import { touchMoved } from '../sync/moved-units.ts';
import { writeSynced } from '../sync/sync-writer.ts';

type Db = Kysely<Database>;

/** Loads an active unit the caller administers, or fails with the fitting code. */
export async function adminUnit(db: Db, scope: Scope, id: string): Promise<UnitRow> {
  const unit = await units.findUnit(db, id);
  if (!unit) throw new DomainError('NOT_FOUND');
  if (!canAdminUnit(scope, textToPath(unit.path))) throw new DomainError('FORBIDDEN');
  if (unit.retired_at) throw new DomainError('UNIT_RETIRED');
  return unit;
}

/** A unit as devices hold it. */
const synced = (u: UnitRow): SyncedUnit => ({ ...units.toUnit(u), path: textToPath(u.path) });

/** Creates a unit under a parent the caller administers; roots (districts) are made by the seed only. */
export async function createUnit(db: Db, scope: Scope, input: CreateUnit): Promise<Unit> {
  if (input.parentId === null) {
    assertAllowedParent(input.kind, null);
    throw new DomainError('FORBIDDEN', '只能在已有组织之下新建组织');
  }
  const parent = await adminUnit(db, scope, input.parentId);
  assertAllowedParent(input.kind, parent.kind as UnitKind);
  const id = input.id ?? uuidv7();
  if (await units.findUnit(db, id)) throw new DomainError('ID_TAKEN');
  const row: SyncedUnit = {
    id, kind: input.kind, name: input.name, parentId: parent.id, retiredAt: null,
    path: [...textToPath(parent.path), id],
    spaceId: SPACE_UNIT_KINDS.includes(input.kind) ? id : parent.space_id,
  };
  await writeSynced(db, (w) => w.put('units', row, { before: null }));
  return units.toUnit((await units.findUnit(db, id))!);
}

export async function renameUnit(db: Db, scope: Scope, id: string, name: string): Promise<Unit> {
  const unit = await adminUnit(db, scope, id);
  await writeSynced(db, (w) => w.put('units', { ...synced(unit), name }, { before: synced(unit) }));
  return units.toUnit((await units.findUnit(db, id))!);
}

/**
 * Moves a unit with its subtree under a new parent. The caller must administer the unit's
 * current parent (not just the unit: an admin cannot carry their own root away) and the new parent.
 */
export async function moveUnit(db: Db, scope: Scope, id: string, parentId: string): Promise<Unit> {
  const unit = await adminUnit(db, scope, id);
  if (!unit.parent_id || !canAdminUnit(scope, textToPath(unit.path).slice(0, -1))) throw new DomainError('FORBIDDEN');
  const parent = await adminUnit(db, scope, parentId);
  assertMoveAllowed(
    { id: unit.id, kind: unit.kind as UnitKind, path: textToPath(unit.path) },
    { id: parent.id, kind: parent.kind as UnitKind, path: textToPath(parent.path) },
  );
  await writeSynced(db, async (w) => {
    const before = await units.listSubtreeRows(db, unit.path);
    await units.moveSubtree(db, unit, parent);
    await touchMoved(w, before);
  });
  return units.toUnit((await units.findUnit(db, id))!);
}

/** Retires an empty unit; one that still holds units, members or households is refused. */
export async function retireUnit(db: Db, scope: Scope, id: string, now: Date): Promise<Unit> {
  const unit = await adminUnit(db, scope, id);
  if (!unit.parent_id) throw new DomainError('FORBIDDEN');
  if ((await units.countContents(db, id)) > 0) throw new DomainError('UNIT_NOT_EMPTY');
  await writeSynced(db, (w) => w.put('units', { ...synced(unit), retiredAt: now.toISOString() }, { before: synced(unit) }));
  return units.toUnit((await units.findUnit(db, id))!);
}
