import { onMounted, reactive, ref, type Ref } from 'vue';
import { showError } from './feedback.ts';

/**
 * A filtered, paged admin table: the current page, its rows and the total, loaded on mount and
 * again on `load()`; `search()` starts over at page 1 (a filter changed). `fetch` reads the
 * page it is given and the view's own filters.
 */
export function usePagedList<Row>(fetch: (page: { number: number; size: number }) => Promise<{ rows: Row[]; total: number }>, size: number) {
  const page = reactive({ number: 1, size });
  const rows = ref([]) as Ref<Row[]>;
  const total = ref(0);
  const loading = ref(false);

  async function load() {
    loading.value = true;
    try {
      const reply = await fetch(page);
      rows.value = reply.rows;
      total.value = reply.total;
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }
  function search() {
    page.number = 1;
    void load();
  }
  onMounted(load);
  return { page, rows, total, loading, load, search };
}
