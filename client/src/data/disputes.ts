import type { Ref } from 'vue';
import { disputeActions, type DisputeActions } from '@shared/domain/dispute-actions.ts';
import { canReadUnit, canWriteHousehold } from '@shared/domain/scope.ts';
import type { ConflictRow } from '@shared/kinds/conflicts.ts';
import type { DisputeRow } from '@shared/kinds/disputes.ts';
import type { HouseholdRow } from '@shared/kinds/households.ts';
import type { MediationRow } from '@shared/kinds/mediations.ts';
import type { UnitRow } from '@shared/kinds/units.ts';
import { useLive } from '../composables/use-live.ts';
import { useSessionStore } from '../stores/session.ts';
import { useSyncStore } from '../stores/sync.ts';
import { scopeFromMe } from '../sync/client-context.ts';
import { recordStates, type RecordState } from '../sync/record-states.ts';

/** A dispute as its screen reads it, live from the phone's store. */
export interface DisputeData {
  dispute: Ref<DisputeRow | undefined>;
  mediations: Ref<MediationRow[]>;
  parties: Ref<HouseholdRow[]>;
  /** The unit handling it now. */
  handler: Ref<UnitRow | undefined>;
  states: Ref<Map<string, RecordState>>;
  conflict: Ref<ConflictRow | null>;
  /** What this person may do with it (the shared rule the mutators apply). */
  actions: Ref<DisputeActions>;
}

export function useDispute(id: () => string): DisputeData {
  const sync = useSyncStore();
  const session = useSessionStore();
  const deps = [() => sync.db, id];
  const none: DisputeActions = { moves: [], mediate: false };
  return {
    dispute: useLive(() => sync.db?.disputes.get(id()), undefined, deps),
    mediations: useLive(async () => (await sync.db?.mediations.where('disputeId').equals(id()).sortBy('mediatedAt')) ?? [], [], deps),
    parties: useLive(async () => {
      const d = await sync.db?.disputes.get(id());
      return d ? ((await sync.db?.households.bulkGet(d.householdIds)) ?? []).filter((h) => h !== undefined) : [];
    }, [], deps),
    handler: useLive(async () => {
      const d = await sync.db?.disputes.get(id());
      return d ? await sync.db?.units.get(d.unitId) : undefined;
    }, undefined, deps),
    states: useLive(async () => (sync.db ? (await recordStates(sync.db)).byRecord : new Map<string, RecordState>()), new Map<string, RecordState>(), deps),
    conflict: useLive(async () => (await sync.db?.conflicts.where('recordId').equals(id()).filter((c) => c.status === 'open').first()) ?? null, null, deps),
    actions: useLive(async () => {
      const d = await sync.db?.disputes.get(id());
      if (!d || !sync.db || !session.me) return none;
      const scope = await scopeFromMe(sync.db, session.me);
      const households = await sync.db.households.bulkGet(d.householdIds);
      const liaisonOfParty = households.some((h) => h !== undefined && canWriteHousehold(scope, h));
      return disputeActions(d, { supervisesHandler: canReadUnit(scope, d.unitPath), liaisonOfParty });
    }, none, deps),
  };
}
