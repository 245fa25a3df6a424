import type { Kysely } from 'kysely';
import {
  assertAddressShapeKept, assertAllowedParent, assertMoveAllowed, gridOf, LIAISON_UNIT_KINDS, SPACE_UNIT_KINDS, type GridKind, type UnitKind,
} from '@shared/domain/org-tree.ts';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { UnitRow as SyncedUnit } from '@shared/kinds/units.ts';
import type { UnitSearchHit, UnitSearchQuery } from '@shared/schemas/admin-people.ts';
import type { CreateUnit, Unit } from '@shared/schemas/unit.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Database, UnitRow } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import { adminPrefixes } from '../access/scope-sql.ts';
import * as units from '../repositories/unit-repository.ts';
import { touchMoved } from '../sync/moved-units.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import { recordAudit } from './audit.ts';

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

/** What the audit log keeps of a unit: its parent by id (for the record) and by name (for people). */
async function audited(db: Db, u: Pick<UnitRow, 'kind' | 'name' | 'parent_id' | 'retired_at'>) {
  const parent = u.parent_id ? await units.findUnit(db, u.parent_id) : undefined;
  return {
    kind: u.kind,
    name: u.name,
    parentId: u.parent_id,
    parentName: parent?.name ?? null,
    retiredAt: u.retired_at ? new Date(u.retired_at).toISOString() : null,
  };
}

/** The address shape (village or urban) of a unit's households, from its kind and its parent's. */
export async function addressGridOf(db: Db, unit: UnitRow): Promise<GridKind | null> {
  return gridOf(unit.kind as UnitKind, await units.parentKind(db, unit));
}

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
  const created = (await units.findUnit(db, id))!;
  await recordAudit(db, { actorUserId: scope.userId, action: 'unit.create', targetKind: 'units', targetId: id, unitPath: created.path, before: null, after: await audited(db, created) });
  return units.toUnit(created);
}

export async function renameUnit(db: Db, scope: Scope, id: string, name: string): Promise<Unit> {
  const unit = await adminUnit(db, scope, id);
  await writeSynced(db, (w) => w.put('units', { ...synced(unit), name }, { before: synced(unit) }));
  const after = (await units.findUnit(db, id))!;
  await recordAudit(db, { actorUserId: scope.userId, action: 'unit.rename', targetKind: 'units', targetId: id, unitPath: unit.path, before: await audited(db, unit), after: await audited(db, after) });
  return units.toUnit(after);
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
  const oldParentKind = await units.parentKind(db, unit);
  assertAddressShapeKept(unit.kind as UnitKind, oldParentKind, parent.kind as UnitKind, (await units.countHouseholdsUnder(db, unit.path)) > 0);
  await writeSynced(db, async (w) => {
    const before = await units.listSubtreeRows(db, unit.path);
    await units.moveSubtree(db, unit, parent);
    await touchMoved(w, before);
  });
  const after = (await units.findUnit(db, id))!;
  // Written at the new place: the admins of both parents administer it (checked above).
  await recordAudit(db, {
    actorUserId: scope.userId, action: 'unit.move', targetKind: 'units', targetId: id, unitPath: after.path,
    before: await audited(db, unit), after: await audited(db, after),
  });
  return units.toUnit(after);
}

/** Retires an empty unit; one that still holds units, members or households is refused. */
export async function retireUnit(db: Db, scope: Scope, id: string, now: Date): Promise<Unit> {
  const unit = await adminUnit(db, scope, id);
  if (!unit.parent_id) throw new DomainError('FORBIDDEN');
  if ((await units.countContents(db, id)) > 0) throw new DomainError('UNIT_NOT_EMPTY');
  await writeSynced(db, (w) => w.put('units', { ...synced(unit), retiredAt: now.toISOString() }, { before: synced(unit) }));
  const after = (await units.findUnit(db, id))!;
  await recordAudit(db, { actorUserId: scope.userId, action: 'unit.retire', targetKind: 'units', targetId: id, unitPath: unit.path, before: await audited(db, unit), after: await audited(db, after) });
  return units.toUnit(after);
}

/** Active units in the caller's admin subtrees whose name contains the query, named by their path. */
export async function searchUnits(db: Db, scope: Scope, query: UnitSearchQuery): Promise<UnitSearchHit[]> {
  const kinds = query.liaisonOnly ? LIAISON_UNIT_KINDS.filter((k) => !query.kind || k === query.kind) : query.kind ? [query.kind] : undefined;
  const rows = await units.searchUnits(db, adminPrefixes(scope), { q: query.q?.trim() || undefined, kinds, limit: query.limit ?? 20 });
  const labels = await units.unitLabels(db, rows);
  return rows.map((r) => ({ ...labels.get(r.id)!, parentId: r.parent_id, liaison: LIAISON_UNIT_KINDS.includes(r.kind as UnitKind) }));
}
