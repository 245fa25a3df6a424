import { computed, type ComputedRef } from 'vue';
import { useSyncStore } from '../stores/sync.ts';
import { useLive } from './use-live.ts';

/**
 * A unit's name as the phone holds it now: units are synced records, so a rename by an admin
 * shows after the next pull. `fallback` (the name at login) shows until the store answers.
 */
export function useUnitName(unitId: () => string | undefined, fallback: () => string | undefined): ComputedRef<string | undefined> {
  const sync = useSyncStore();
  const unit = useLive(
    async () => {
      const id = unitId();
      return id ? await sync.db?.units.get(id) : undefined;
    },
    undefined,
    [() => sync.db, unitId],
  );
  return computed(() => unit.value?.name ?? fallback());
}
