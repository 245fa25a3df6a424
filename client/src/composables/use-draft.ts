import { computed, ref, watch, type ComputedRef, type Ref } from 'vue';

type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Where one form's draft lives: per user (a shared phone), per form, per household or dispute. */
export function draftKey(userId: string, form: string, recordId: string): string {
  return `lianxin.draft.${userId}.${form}.${recordId}`;
}

export interface DraftOptions<T extends object> {
  /** The draft's place (draftKey); null while the user is not known, and nothing is kept. */
  key: () => string | null;
  /** The form's reactive state: all of it is kept and restored. */
  state: T;
  /** Has the member typed something worth keeping (defaults and pickers alone are not)? */
  hasContent: (state: T) => boolean;
  /** localStorage unless given (tests). */
  storage?: DraftStorage;
}

export interface Draft {
  /** The form opened with a draft kept from before. */
  restored: Ref<boolean>;
  /** There is typed work that leaving would keep as a draft (and discarding would lose). */
  hasContent: ComputedRef<boolean>;
  /** Forgets the draft and puts the form back as it opened: after saving, or a discard the member confirmed. */
  clear(): void;
}

/**
 * Keeps a half-written form in localStorage as it is typed, so it survives 返回, a reload and
 * the update prompt's reload, and restores it when the form opens again. localStorage, not
 * Dexie: it is small, synchronous (written before an unload can interrupt it) and outlives the
 * device's record store being reset.
 */
export function useDraft<T extends object>(options: DraftOptions<T>): Draft {
  const storage = options.storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
  const { state } = options;
  const blank = JSON.stringify(state);
  const restored = ref(false);
  const hasContent = computed(() => options.hasContent(state));
  const attempt = (f: () => void) => {
    try {
      f();
    } catch {
      // Storage full or refused (private mode): the form still works, without a draft.
    }
  };

  watch(
    options.key,
    (key) => {
      restored.value = false;
      if (!key || !storage) return;
      attempt(() => {
        const saved: unknown = JSON.parse(storage.getItem(key) ?? 'null');
        if (!saved || typeof saved !== 'object' || Array.isArray(saved)) return;
        // Only the form's own fields: a draft from an older version of the form may carry others.
        const known = Object.fromEntries(Object.entries(saved).filter(([k]) => k in state));
        Object.assign(state, known);
        restored.value = options.hasContent(state);
      });
    },
    { immediate: true },
  );

  watch(
    () => JSON.stringify(state),
    (json) => {
      const key = options.key();
      if (!key || !storage) return;
      attempt(() => (options.hasContent(state) ? storage.setItem(key, json) : storage.removeItem(key)));
    },
    { flush: 'sync' },
  );

  function clear(): void {
    const key = options.key();
    if (key && storage) attempt(() => storage.removeItem(key));
    Object.assign(state, JSON.parse(blank));
    restored.value = false;
  }

  return { restored, hasContent, clear };
}
