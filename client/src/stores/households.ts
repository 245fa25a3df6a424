import { defineStore } from 'pinia';
import { liveQuery, type Subscription } from 'dexie';
import { computed, ref, watch } from 'vue';
import type { HouseholdRow } from '@shared/kinds/households.ts';
import { api } from '../api/lianxin-api.ts';
import { useSessionStore } from './session.ts';
import { useSyncStore } from './sync.ts';

/**
 * The member's households, read live from the device's store (so the list opens offline and
 * follows every local change and every pull).
 */
export const useHouseholdsStore = defineStore('households', () => {
  const session = useSessionStore();
  const sync = useSyncStore();
  const list = ref<HouseholdRow[]>([]);
  const seen = ref(false);
  /** Households that left this device since the member last looked (reassigned by an admin). */
  const reassignedAway = ref(0);
  let sub: Subscription | null = null;
  const knownKey = (memberId: string) => `lianxin.households.${memberId}`;

  // A household leaves the list only once its queued work went up (the sync engine waits for
  // that); telling the member then explains why it is gone.
  function noteDepartures(memberId: string, rows: HouseholdRow[]) {
    try {
      const known: string[] = JSON.parse(localStorage.getItem(knownKey(memberId)) ?? '[]');
      const now = new Set(rows.map((r) => r.id));
      const gone = known.filter((id) => !now.has(id)).length;
      if (gone && sync.lastSyncedAt) reassignedAway.value += gone;
      localStorage.setItem(knownKey(memberId), JSON.stringify([...now]));
    } catch {
      // no storage: no notice
    }
  }

  watch(
    () => [sync.db, session.me?.member?.id] as const,
    ([db, memberId]) => {
      sub?.unsubscribe();
      sub = null;
      seen.value = false;
      if (!db || !memberId) return;
      sub = liveQuery(() => db.households.where('memberId').equals(memberId).sortBy('headName')).subscribe({
        next: (rows) => {
          list.value = rows;
          seen.value = true;
          noteDepartures(memberId, rows);
        },
        error: () => {},
      });
    },
    { immediate: true },
  );

  /** Loaded once the store answered and the device has synced at least once (or holds rows). */
  const loaded = computed(() => seen.value && (list.value.length > 0 || sync.lastSyncedAt !== null));

  async function refresh(): Promise<void> {
    await sync.syncNow();
    if (sync.lastError && !sync.lastSyncedAt) throw new Error(sync.lastError);
  }

  /** One household: from the device, else from the server (a supervisor opening a link). */
  async function find(id: string) {
    return (await sync.db?.households.get(id)) ?? api.household(id);
  }

  function clear() {
    sub?.unsubscribe();
    sub = null;
    list.value = [];
    seen.value = false;
  }

  return { list, loaded, reassignedAway, refresh, find, clear };
});
