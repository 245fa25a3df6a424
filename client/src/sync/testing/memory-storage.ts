import { vi } from 'vitest';

/** localStorage for Node tests (Node 20 has none): a Map behind the Storage interface. */
export function stubLocalStorage(): Storage {
  const items = new Map<string, string>();
  const storage: Storage = {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  };
  vi.stubGlobal('localStorage', storage);
  return storage;
}
