import { Value } from 'typebox/value';
import { DomainError } from '../errors.ts';
import type { MutatorContext, MutatorResult, MutatorTx } from './mutator-tx.ts';
import { mutationDef, type MutationName } from './registry.ts';
import { validationText, type SchemaError } from './validation-text.ts';

import { OLDEST_SCHEMA_VERSION, SCHEMA_VERSION } from './schema-version.ts';

export { OLDEST_SCHEMA_VERSION, SCHEMA_VERSION };

/**
 * Version 1 (the first field release) called a visit's summary `notes` and its follow-up flag
 * `needsFollowUp`, and mediations had no `agreementKind`. Each step converts one version up.
 */
const UPGRADES: Record<number, (name: string, args: Record<string, unknown>) => Record<string, unknown>> = {
  1: (name, args) => {
    if (name !== 'visit.create') return args;
    const { notes, needsFollowUp, ...rest } = args;
    return { ...rest, summary: rest.summary ?? notes ?? '', followUp: rest.followUp ?? needsFollowUp ?? false };
  },
};

/** Brings a queued mutation's arguments up to the current format. */
export function upgradeArgs(name: string, args: unknown, fromVersion: number): unknown {
  if (fromVersion < OLDEST_SCHEMA_VERSION || fromVersion > SCHEMA_VERSION) throw new DomainError('SCHEMA_VERSION_UNSUPPORTED');
  let out = args;
  for (let v = fromVersion; v < SCHEMA_VERSION; v++) {
    if (out && typeof out === 'object' && !Array.isArray(out)) out = UPGRADES[v]!(name, out as Record<string, unknown>);
  }
  return out;
}

/** Arguments nest a few levels at most; thousands of levels are an attack, refused before any work. */
const MAX_DEPTH = 12;
function depthOf(v: unknown, limit: number): number {
  if (v === null || typeof v !== 'object') return 0;
  if (limit <= 0) return Infinity;
  let max = 0;
  for (const child of Object.values(v as object)) max = Math.max(max, 1 + depthOf(child, limit - 1));
  return max;
}

/** Checks a mutation's arguments against its kind's schema; the message names the field in the user's words. */
export function validateArgs(name: string, args: unknown, lang: 'zh' | 'en' = 'zh'): asserts name is MutationName {
  const found = mutationDef(name);
  if (!found) throw new DomainError('MUTATION_UNKNOWN');
  if (depthOf(args, MAX_DEPTH) > MAX_DEPTH) throw new DomainError('VALIDATION_FAILED');
  if (Value.Check(found.def.args, args)) return;
  const errors = [...Value.Errors(found.def.args, args)] as SchemaError[];
  const named = errors.find((e) => e.keyword !== 'boolean' && e.keyword !== 'additionalProperties') ?? errors[0];
  throw new DomainError('VALIDATION_FAILED', named ? validationText(named, found.kind, lang) : undefined);
}

/** Runs one mutation on either side: the same rules on the phone (Dexie) and the server (Kysely). */
export async function runMutation(tx: MutatorTx, ctx: MutatorContext, name: string, args: unknown): Promise<MutatorResult> {
  validateArgs(name, args);
  return mutationDef(name)!.def.run(tx, ctx, args);
}
