import type { Ref } from 'vue';
import type { ConflictRow } from '@shared/kinds/conflicts.ts';
import type { DisputeRow } from '@shared/kinds/disputes.ts';
import type { HouseholdRow } from '@shared/kinds/households.ts';
import type { VisitRow } from '@shared/kinds/visits.ts';
import { useLive } from '../composables/use-live.ts';
import { useSyncStore } from '../stores/sync.ts';
import { deferredDeletes } from '../sync/household-removal.ts';
import { recordStates, type RecordState } from '../sync/record-states.ts';

/**
 * The member's households as the screens read them, from the phone's own store (live: a local
 * save or a pull updates the screen). Views read through these and never query the store.
 */

/** One household, undefined until found (or when the phone does not hold it). */
export function useHousehold(id: () => string): Ref<HouseholdRow | undefined> {
  const sync = useSyncStore();
  return useLive(() => sync.db?.households.get(id()), undefined, [() => sync.db, id]);
}

/** The other households of the same branch: the parties a dispute may name. */
export function useNeighbours(id: () => string): Ref<HouseholdRow[]> {
  const sync = useSyncStore();
  return useLive(
    async () => {
      const h = await sync.db?.households.get(id());
      return h ? ((await sync.db?.households.where('unitId').equals(h.unitId).toArray()) ?? []).filter((x) => x.id !== h.id) : [];
    },
    [],
    [() => sync.db, id],
  );
}

/** A household's records, newest first, with open conflicts about it and each record's sync state. */
export function useHouseholdRecords(id: () => string): {
  visits: Ref<VisitRow[]>;
  disputes: Ref<DisputeRow[]>;
  conflicts: Ref<ConflictRow[]>;
  states: Ref<Map<string, RecordState>>;
} {
  const sync = useSyncStore();
  const deps = [() => sync.db, id];
  return {
    visits: useLive(async () => (await sync.db?.visits.where('householdId').equals(id()).reverse().sortBy('visitedAt')) ?? [], [], deps),
    disputes: useLive(async () => (await sync.db?.disputes.where('householdIds').equals(id()).reverse().sortBy('openedAt')) ?? [], [], deps),
    conflicts: useLive(async () => (await sync.db?.conflicts.where('recordId').equals(id()).filter((c) => c.status === 'open').toArray()) ?? [], [], deps),
    states: useLive(async () => (sync.db ? (await recordStates(sync.db)).byRecord : new Map<string, RecordState>()), new Map<string, RecordState>(), deps),
  };
}

/** Per household of a list: the last visit, open disputes, the worst sync state, and how many are leaving. */
export interface HouseholdFacts {
  lastVisit: Map<string, number>;
  open: Map<string, number>;
  states: Map<string, RecordState>;
  leaving: number;
}

export function useHouseholdFacts(ids: () => string[]): Ref<HouseholdFacts | null> {
  const sync = useSyncStore();
  return useLive(
    async () => {
      const db = sync.db;
      if (!db) return null;
      const wanted = ids();
      const lastVisit = new Map<string, number>();
      for (const v of await db.visits.where('householdId').anyOf(wanted).toArray()) {
        lastVisit.set(v.householdId, Math.max(lastVisit.get(v.householdId) ?? 0, Date.parse(v.visitedAt)));
      }
      const open = new Map<string, number>();
      for (const d of await db.disputes.where('householdIds').anyOf(wanted).toArray()) {
        if (d.status === 'resolved' || d.status === 'closed') continue;
        for (const h of d.householdIds) open.set(h, (open.get(h) ?? 0) + 1);
      }
      return { lastVisit, open, states: (await recordStates(db)).byHousehold, leaving: (await deferredDeletes(db)).length };
    },
    null,
    [() => sync.db, ids],
  );
}
