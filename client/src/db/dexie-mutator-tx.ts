import { ALLOWED_PARENTS, type UnitKind } from '@shared/domain/org-tree.ts';
import type { Household } from '@shared/schemas/household.ts';
import type { Dispute, Mediation, Visit } from '@shared/schemas/records.ts';
import type { DisputeEventInput, DisputeState, FieldMetaMap, HouseholdState, MutatorTx } from '@shared/sync/mutator-tx.ts';
import type { LianxinDb } from './lianxin-db.ts';

/**
 * The phone's side of the shared MutatorTx, over Dexie tables inside the caller's transaction.
 * The phone trusts its own copy: a household on the device is one the member held; conflicts
 * and dispute events are the server's to record and arrive by pull.
 */
export class DexieMutatorTx implements MutatorTx {
  constructor(private readonly db: LianxinDb) {}

  async getHousehold(id: string): Promise<HouseholdState | undefined> {
    return this.db.households.get(id);
  }

  async updateHousehold(id: string, patch: Partial<Household>, fieldMeta: FieldMetaMap, now: string) {
    await this.db.households.update(id, { ...patch, fieldMeta: fieldMeta as Record<string, { v: number }>, updatedAt: now });
  }

  async getVisit(id: string) {
    return this.db.visits.get(id);
  }

  async putVisit(visit: Visit) {
    await this.db.visits.put(visit);
  }

  async getDispute(id: string): Promise<DisputeState | undefined> {
    return this.db.disputes.get(id);
  }

  /**
   * The row a pull would carry: the mutator gives the dispute, the phone adds the paths that
   * decide who may act on it. A dispute opened here takes its branch's path from the local
   * units, else from its first household (which carries its branch's path); an escalated one
   * takes the handler's path from the units, else cuts it from the branch's path it lies on.
   */
  async putDispute(d: Dispute & { branchUnitId: string; statusBy: string; hlc: string }) {
    const before = await this.db.disputes.get(d.id);
    const branchPath = (await this.db.units.get(d.branchUnitId))?.path ?? before?.branchPath ?? (await this.householdBranchPath(d)) ?? [d.branchUnitId];
    const unitPath = (await this.db.units.get(d.unitId))?.path ?? (before?.unitId === d.unitId ? before.unitPath : undefined) ?? ancestorPath(branchPath, d.unitId) ?? [d.unitId];
    await this.db.disputes.put({ ...d, branchPath, unitPath });
  }

  private async householdBranchPath(d: Dispute & { branchUnitId: string }): Promise<string[] | undefined> {
    for (const h of await this.db.households.bulkGet(d.householdIds)) {
      if (h?.unitId === d.branchUnitId) return h.unitPath;
    }
    return undefined;
  }

  async addDisputeEvent(_event: DisputeEventInput) {}

  async getMediation(id: string) {
    return this.db.mediations.get(id);
  }

  async putMediation(m: Mediation) {
    await this.db.mediations.put(m);
  }

  /**
   * The parent from the local units. A supervisor's device holds only its own subtree, so the
   * parent of its top unit is known by id and path alone. Its kind is then a guess — the first
   * kind allowed above the unit — which is harmless: the mutators use only id and path, and the
   * server re-runs the mutation with the real row. Without this a supervisor could not
   * escalate from the top of their subtree on the phone.
   */
  async parentUnit(unitId: string) {
    const unit = await this.db.units.get(unitId);
    if (!unit?.parentId) return undefined;
    const parent = await this.db.units.get(unit.parentId);
    if (parent) return { id: parent.id, kind: parent.kind as UnitKind, path: parent.path };
    const kind = ALLOWED_PARENTS[unit.kind as UnitKind]?.find((k): k is UnitKind => k !== null);
    return kind ? { id: unit.parentId, kind, path: unit.path.slice(0, -1) } : undefined;
  }

  async heldAt(householdId: string) {
    return (await this.db.households.get(householdId)) !== undefined;
  }

  async addConflict() {}

  async getConflict(id: string) {
    const c = await this.db.conflicts.get(id);
    if (!c) return undefined;
    const household = c.householdIds[0] ? await this.db.households.get(c.householdIds[0]) : undefined;
    return { id: c.id, tableName: c.tableName, recordId: c.recordId, field: c.field, keptValue: c.keptValue, lostValue: c.lostValue, status: c.status, unitPath: household?.unitPath ?? [] };
  }

  async settleConflict(id: string, s: { at: string; comment: string }) {
    await this.db.conflicts.update(id, { status: 'resolved', resolvedAt: s.at, resolutionNote: s.comment });
  }
}

/** The part of `path` (root … unit) that ends at `unitId`, if the unit lies on it. */
function ancestorPath(path: readonly string[], unitId: string): string[] | undefined {
  const at = path.indexOf(unitId);
  return at < 0 ? undefined : path.slice(0, at + 1);
}
