import { liveQuery } from 'dexie';
import { onScopeDispose, ref, watch, type Ref, type WatchSource } from 'vue';

/**
 * A Dexie live query as a ref: re-runs when the tables it read change (a local save, a pull)
 * or when `deps` change. `initial` shows until the first answer.
 */
export function useLive<T>(query: () => Promise<T> | T, initial: T, deps: WatchSource[] = []): Ref<T> {
  const value = ref(initial) as Ref<T>;
  let sub: { unsubscribe(): void } | null = null;
  const run = () => {
    sub?.unsubscribe();
    sub = liveQuery(query).subscribe({ next: (v) => (value.value = v), error: (err) => console.error('live query failed', err) });
  };
  if (deps.length) watch(deps, run, { immediate: true });
  else run();
  onScopeDispose(() => sub?.unsubscribe());
  return value;
}
