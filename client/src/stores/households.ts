import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Household } from '@shared/schemas/household.ts';
import { api } from '../api/lianxin-api.ts';

/**
 * The member's assigned households, fetched from the API and kept in memory for this visit.
 * The Dexie issue replaces the fetch with a live query over the synced table.
 */
export const useHouseholdsStore = defineStore('households', () => {
  const list = ref<Household[]>([]);
  const loaded = ref(false);

  async function refresh(): Promise<void> {
    const { households } = await api.households();
    list.value = households;
    loaded.value = true;
  }

  /** One household: from the list when we have it, else from the server (a reload on the detail page). */
  async function find(id: string): Promise<Household> {
    return list.value.find((h) => h.id === id) ?? api.household(id);
  }

  function clear() {
    list.value = [];
    loaded.value = false;
  }

  return { list, loaded, refresh, find, clear };
});
