import { ref, watch } from 'vue';
import { argErrors } from '@shared/sync/arg-check.ts';
import type { MutationName } from '@shared/sync/registry.ts';
import { currentLang } from '../modules/i18n.ts';

/**
 * Errors shown at the fields of a form, keyed like the mutation's arguments (`summary`,
 * `visitedAt`); `''` holds what belongs to no field. A field's error goes as soon as it is edited.
 */
export function useFieldErrors(state: Record<string, unknown>) {
  const errors = ref<Record<string, string>>({});
  for (const key of Object.keys(state)) {
    watch(
      () => JSON.stringify(state[key]),
      () => {
        if (errors.value[key]) errors.value = Object.fromEntries(Object.entries(errors.value).filter(([k]) => k !== key));
      },
    );
  }

  /**
   * Checks the arguments against the mutation's shared schema (and the form's own rules, in
   * `extra`) before anything is queued; shows what is wrong and says whether to go on.
   */
  function check(name: MutationName, args: unknown, extra: Record<string, string | false | undefined> = {}): boolean {
    const found: Record<string, string> = { ...argErrors(name, args, currentLang()) };
    for (const [key, message] of Object.entries(extra)) if (message) found[key] ??= message;
    errors.value = found;
    return Object.keys(found).length === 0;
  }

  return { errors, check };
}
