import { computed, ref, shallowRef, watch, type WatchSource } from 'vue';
import { useI18n } from 'vue-i18n';
import { useSyncStore } from '../../stores/sync.ts';
import { langOf } from '../../format.ts';

/**
 * A report loaded for a desk page and kept live: loaded again when its inputs change, when the
 * server pokes us (a member in scope synced) and when our own sync finishes — as the phone's
 * report screen does, so a resolved conflict leaves the list without a reload.
 */
export function useReport<T>(fetch: () => Promise<T>, inputs: WatchSource[] = []) {
  const sync = useSyncStore();
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref('');
  async function load() {
    loading.value = true;
    try {
      data.value = await fetch();
      error.value = '';
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    } finally {
      loading.value = false;
    }
  }
  watch([...inputs, () => sync.pokes, () => sync.lastSyncedAt], () => void load(), { immediate: true });
  return { data, loading, error, load };
}

/** The page's language as the shared lists name it, and a date-time in it. */
export function useDeskFormat() {
  const { locale } = useI18n();
  const lang = computed(() => langOf(locale.value));
  const dateTime = (iso: string | null | undefined) =>
    iso ? new Date(iso).toLocaleString(locale.value, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }) : '—';
  const date = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString(locale.value, { year: 'numeric', month: '2-digit', day: '2-digit' }) : '—');
  return { lang, dateTime, date };
}

/** Rows whose text (as `text` gives it) holds the search words, all of them, in any order. */
export function matches(text: string, search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const t = text.toLowerCase();
  return words.every((w) => t.includes(w));
}
