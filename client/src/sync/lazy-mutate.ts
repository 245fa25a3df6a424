/**
 * sync/mutate.ts, loaded on first need. It brings the shared mutators and their schema checks
 * (TypeBox's Value, ≈20 KB gzipped) that a phone needs only to record a change or to replay
 * queued ones, not to show its first screen (issue 14). Whoever writes the outbox loads it
 * first, so once anything is queued in this tab, `loadedMutate()` has it.
 */
type MutateModule = typeof import('./mutate.ts');
let loaded: MutateModule | undefined;

export const loadedMutate = (): MutateModule | undefined => loaded;
export async function loadMutate(): Promise<MutateModule> {
  return (loaded ??= await import('./mutate.ts'));
}
