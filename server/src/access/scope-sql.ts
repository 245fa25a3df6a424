import { sql, type RawBuilder } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import { pathToText } from '../db/unit-path.ts';

/**
 * The one home of "what may this caller see" as SQL fragments. Repositories, reports, devices,
 * pull and pokes all filter through these, so a scope rule is written once.
 */

/** Text paths ('/root/…/unit/') of the subtrees the caller supervises or administers. */
export function readPrefixes(scope: Scope): string[] {
  return scope.readRoots.map((r) => pathToText(r.unitPath));
}

/** Text paths of the subtrees the caller administers (admin grants): where an admin may write. */
export function adminPrefixes(scope: Scope): string[] {
  return scope.adminRoots.map((r) => pathToText(r.unitPath));
}

/** `<column> lies in one of these subtrees`; false when there are none (a plain member). */
export function underAny(column: string, prefixes: readonly string[]): RawBuilder<boolean> {
  if (prefixes.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(prefixes.map((p) => sql`${sql.ref(column)} like ${`${p}%`}`), sql` or `)})`;
}

/** `<column> is one of these ids`; false for none. */
export function inIds(column: string, ids: readonly string[]): RawBuilder<boolean> {
  return ids.length ? sql<boolean>`${sql.ref(column)} = any(${uuidArray(ids)})` : sql<boolean>`false`;
}

/** A uuid[] literal parameter (empty arrays included). */
export function uuidArray(ids: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`cast(${`{${ids.join(',')}}`} as uuid[])`;
}

/**
 * Households the caller reads: their own (a liaison member) and every household under their
 * subtrees (a supervisor). `h` and `u` are the aliases of households and its unit.
 */
export function readableHousehold(scope: Scope, h = 'households', u = 'units'): RawBuilder<boolean> {
  const own = scope.memberId ? sql<boolean>`${sql.ref(`${h}.member_id`)} = ${scope.memberId}` : sql<boolean>`false`;
  return sql<boolean>`(${own} or ${underAny(`${u}.path`, readPrefixes(scope))})`;
}
