import type { UnitKind } from '@shared/domain/org-tree.ts';
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

  async putDispute(d: Dispute & { branchUnitId: string; statusBy: string; hlc: string }) {
    const [branch, handler] = await Promise.all([this.db.units.get(d.branchUnitId), this.db.units.get(d.unitId)]);
    await this.db.disputes.put({
      ...d,
      branchPath: branch?.path ?? [d.branchUnitId],
      unitPath: handler?.path ?? [d.unitId],
    });
  }

  async addDisputeEvent(_event: DisputeEventInput) {}

  async getMediation(id: string) {
    return this.db.mediations.get(id);
  }

  async putMediation(m: Mediation) {
    await this.db.mediations.put(m);
  }

  async parentUnit(unitId: string) {
    const unit = await this.db.units.get(unitId);
    const parent = unit?.parentId ? await this.db.units.get(unit.parentId) : undefined;
    return parent ? { id: parent.id, kind: parent.kind as UnitKind, path: parent.path } : undefined;
  }

  async heldAt(householdId: string) {
    return (await this.db.households.get(householdId)) !== undefined;
  }

  async addConflict() {}
}
