import { Value } from 'typebox/value';
import { DomainError } from '../errors.ts';
import { conflictResolve } from './conflict-mutators.ts';
import { disputeOpen, disputeTransition, mediationAdd } from './dispute-mutators.ts';
import { householdUpdate } from './household-mutators.ts';
import { MUTATION_ARGS, type MutationArgs, type MutationName } from './mutations.ts';
import type { MutatorContext, MutatorResult, MutatorTx } from './mutator-tx.ts';
import { visitAmend, visitCreate } from './visit-mutators.ts';

/**
 * The version of the mutation formats this build writes. Bump it when an argument shape
 * changes, and teach `upgradeArgs` the step from the previous one: phones may push work queued
 * by an older app version for days after an upgrade, and it must be converted, never refused.
 */
export const SCHEMA_VERSION = 2;
export const OLDEST_SCHEMA_VERSION = 1;

type Mutator<K extends MutationName> = (tx: MutatorTx, ctx: MutatorContext, args: MutationArgs[K]) => Promise<MutatorResult>;

const MUTATORS: { [K in MutationName]: Mutator<K> } = {
  'visit.create': visitCreate,
  'visit.amend': visitAmend,
  'dispute.open': disputeOpen,
  'dispute.transition': disputeTransition,
  'mediation.add': mediationAdd,
  'household.update': householdUpdate,
  'conflict.resolve': conflictResolve,
};

export function isMutationName(name: string): name is MutationName {
  return Object.hasOwn(MUTATORS, name);
}

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

/** Checks a mutation's arguments against its shared schema; the message names the first fault. */
export function validateArgs(name: string, args: unknown): asserts name is MutationName {
  if (!isMutationName(name)) throw new DomainError('MUTATION_UNKNOWN');
  const schema = MUTATION_ARGS[name];
  if (!Value.Check(schema, args)) {
    const first = [...Value.Errors(schema, args)][0];
    const where = first ? `${first.instancePath || '/'} ${first.message}` : '';
    throw new DomainError('VALIDATION_FAILED', where ? `参数不正确：${where}` : undefined);
  }
}

/** Runs one mutation on either side: the same rules on the phone (Dexie) and the server (Kysely). */
export async function runMutation(tx: MutatorTx, ctx: MutatorContext, name: string, args: unknown): Promise<MutatorResult> {
  validateArgs(name, args);
  return (MUTATORS[name] as Mutator<MutationName>)(tx, ctx, args as MutationArgs[MutationName]);
}
