import { KINDS } from '../kinds/index.ts';
import type { KindDef, MutationDef } from './kind.ts';

type Kinds = (typeof KINDS)[number];

/**
 * The rows of every kind, by table: what the wire carries and both sides store. Each kind's
 * file adds its own entry (`declare module '../sync/registry.ts'`), so that the types of its
 * mutators, which read rows of other kinds, never depend on the list of kinds itself.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SyncRows {}
export type SyncTable = keyof SyncRows & string;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AllMutations = UnionToIntersection<NonNullable<Kinds['mutations']>>;
/** Every kind of change a client can make. */
export type MutationName = keyof AllMutations & string;
export type MutationArgs = { [N in MutationName]: AllMutations[N] extends MutationDef<infer A> ? A : never };

// Kinds registered at run time (a test's throwaway kind) join the declared ones.
const kinds: KindDef[] = [...(KINDS as readonly KindDef[])];
let byTable = new Map<string, KindDef>();
let byMutation = new Map<string, { kind: KindDef; def: MutationDef }>();
index();

function index() {
  byTable = new Map(kinds.map((k) => [k.table, k]));
  byMutation = new Map(kinds.flatMap((k) => Object.entries(k.mutations ?? {}).map(([name, def]) => [name, { kind: k, def }] as const)));
}

/** Adds a kind after the declared ones (tests; a deployment's own kinds). */
export function registerKind(kind: KindDef): void {
  if (byTable.has(kind.table)) throw new Error(`kind ${kind.table} is already registered`);
  kinds.push(kind);
  index();
}

/** Every kind, parents first: the order a snapshot sends them. */
export function allKinds(): readonly KindDef[] {
  return kinds;
}

/** The tables devices hold, in snapshot order. */
export function syncTables(): SyncTable[] {
  return kinds.map((k) => k.table as SyncTable);
}

export function kindOf(table: string): KindDef {
  const kind = byTable.get(table);
  if (!kind) throw new Error(`no record kind ${table}`);
  return kind;
}

export function isSyncTable(table: string): table is SyncTable {
  return byTable.has(table);
}

/** A change by name, with the kind it belongs to; undefined for a name no kind declares. */
export function mutationDef(name: string): { kind: KindDef; def: MutationDef } | undefined {
  return byMutation.get(name);
}

