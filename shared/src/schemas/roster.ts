import { Type, type Static } from 'typebox';

const Counts = Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() });

/** `?dryRun=1` checks only; `?dryRun=0` applies — all of it, or on any error nothing. */
export const RosterImportQuery = Type.Object({ dryRun: Type.Union([Type.Literal('1'), Type.Literal('0')]) }, { additionalProperties: false });

/** One cell's problem, in Chinese: which sheet, row (as Excel numbers it) and column header. */
export const RosterError = Type.Object({ sheet: Type.String(), row: Type.Integer(), column: Type.String(), code: Type.String(), message: Type.String() });
export type RosterError = Static<typeof RosterError>;

/**
 * What an import did (or, in a dry run or with errors, would do), counted in rows of both sheets.
 * `errors` lists the first 1,000 of `errorCount`. `passwords`: the temporary password of each
 * person created, returned this once; they must change it at the first login.
 */
export const RosterImportResult = Type.Object({
  dryRun: Type.Boolean(),
  applied: Type.Boolean(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  people: Counts,
  households: Counts,
  errors: Type.Array(RosterError),
  errorCount: Type.Integer(),
  passwords: Type.Array(Type.Object({ row: Type.Integer(), name: Type.String(), phone: Type.String(), password: Type.String() })),
});
export type RosterImportResult = Static<typeof RosterImportResult>;
