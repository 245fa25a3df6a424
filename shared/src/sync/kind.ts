import type { Static, TObject, TSchema } from 'typebox';
import type { MutatorContext, MutatorResult, MutatorTx } from './mutator-tx.ts';

/** A text in both languages of the app. */
export interface Label {
  zh: string;
  en: string;
}

/**
 * Who sees a record, as one or more rules (a record is seen by everyone any rule admits).
 * Supervisors see it when the rule's unit lies in their subtree; members as each rule says.
 * - `household`: `field` names one household; its liaison member sees it.
 * - `households`: `field` lists households; their liaisons see it; `unit` is the unit whose
 *   subtree sees it (the parties' branch).
 * - `parent`: seen with the row of `table` that `field` names (a mediation with its dispute).
 * - `unit`: `field` names a unit; everyone whose scope covers it sees it — supervisors of a
 *   subtree holding it, and members at or below it (a unit's facts, a wish on a village's wall).
 *   A null `field` admits nobody, so a rule can switch on with the record's state.
 * - `members`: `field` names one member or lists members; they see it; `unit` as above.
 */
export type VisibilityRule =
  | { by: 'household'; field: string }
  | { by: 'households'; field: string; unit: string }
  | { by: 'parent'; table: string; field: string }
  | { by: 'unit'; field: string }
  | { by: 'members'; field: string; unit: string };

/**
 * How a wire field is stored in its column (named the field in snake_case):
 * `value` as is, `time` timestamptz ↔ ISO text, `json` jsonb, `path` '/a/b/' ↔ ['a', 'b'],
 * `ids` uuid[] ↔ string[].
 */
export type ColumnType = 'value' | 'time' | 'json' | 'path' | 'ids';

/**
 * A field not stored with the row but read from another table by a key field of the row:
 * a unit's path (who may see it), a member's name. Every side fills it the same way.
 */
export interface Lookup {
  table: 'units' | 'users';
  /** The row's field holding the other row's id. */
  key: string;
  /** The other table's column. */
  column: string;
}

/** A row a change reads: its kind's table and id, and whether under a row lock. */
export interface RowRead {
  table: string;
  id: string;
  lock?: boolean;
}

/** What a member's phone shows about a refused change, and how it may be fixed. */
export interface MutationDef<A = unknown> {
  args: TSchema;
  run(tx: MutatorTx, ctx: MutatorContext, args: A): Promise<MutatorResult>;
  /** What the change is, for the returned-work screen ("走访", "登记纠纷"). */
  label: Label;
  /** The id of the record (in its kind's table) the change writes. */
  record(args: A): string;
  /**
   * The rows it reads by id besides its own record (`lock`: under a row lock, as its `get`
   * asks), called with valid arguments. The server reads those of a whole push beforehand, one
   * query per table, and runs the batch from them; a row left out costs a query of its own.
   */
  reads?(args: A): readonly RowRead[];
  /** It makes a new record: a returned one leaves the phone with it, and goes again under a new id. */
  creates?: boolean;
  /** The text field a member may correct before sending a returned change again. */
  correctable?: string;
}

/**
 * A field of a record a person may read about (a conflict, an error at the field); `format`
 * says what a well-formed value looks like, for a field with a pattern ("11位手机号").
 */
export type FieldLabels = Record<string, Label & { format?: Label }>;

/**
 * One record kind, declared once: the row every side stores and the wire carries, how the
 * server stores it, who sees it, how the phone indexes it, the changes that make it and the
 * words people read about it. The sync core reads nothing else.
 */
export interface KindDef<T extends string = string, R extends TObject = TObject, M extends Record<string, MutationDef<unknown>> = Record<string, MutationDef<unknown>>> {
  table: T;
  row: R;
  label: Label;
  /** Dexie indexes after the primary key `id` ('householdId, visitedAt'). */
  indexes: string;
  columns?: Partial<Record<keyof Static<R> & string, ColumnType>>;
  lookups?: Partial<Record<keyof Static<R> & string, Lookup>>;
  /** Wire fields the server does not keep in a column of their own (filled otherwise). */
  virtual?: readonly string[];
  visibility: readonly VisibilityRule[];
  /**
   * A server column that, when not null, takes the row out of every device (a retired member,
   * an archived household). For households it also hides what is seen through them (`household`
   * rules); written through `extra`, so that bringing a row back counts as a scope change.
   */
  hiddenWhen?: string;
  mutations?: M;
  fields?: FieldLabels;
}

/** Declares a kind, keeping its literal table name and mutation names for the registry's types. */
export function defineKind<const T extends string, R extends TObject, const M extends Record<string, MutationDef<unknown>> = Record<never, never>>(
  kind: KindDef<T, R, M>,
): KindDef<T, R, M> {
  return kind;
}

/** Declares a mutation with its arguments' type taken from their schema. */
export function defineMutation<S extends TSchema>(def: Omit<MutationDef<Static<S>>, 'args'> & { args: S }): MutationDef<Static<S>> {
  return def;
}
