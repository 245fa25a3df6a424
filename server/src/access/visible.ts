import { sql, type RawBuilder } from 'kysely';
import type { KindDef, VisibilityRule } from '@shared/sync/kind.ts';
import { kindOf } from '@shared/sync/registry.ts';
import { columnOf, isIdsColumn } from '../sync/row-codec.ts';
import type { PullScope } from './pull-scope.ts';
import { inIds, underAny, uuidArray } from './scope-sql.ts';

const FALSE = sql<boolean>`false`;
const or = (parts: RawBuilder<boolean>[]) => (parts.length ? sql<boolean>`(${sql.join(parts, sql` or `)})` : FALSE);

/** Units a device's unit-wide records come from: those it supervises, and those at or above its own place. */
function coveredUnits(ps: PullScope): RawBuilder<string> {
  const anchored = ps.anchorPaths.length ? sql<boolean>`u.path = any(cast(${`{${ps.anchorPaths.map((p) => `"${p}"`).join(',')}}`} as text[]))` : FALSE;
  return sql<string>`(select u.id from units u where ${anchored} or ${underAny('u.path', ps.prefixes)})`;
}

/** Units under the supervised subtrees. */
function supervisedUnits(ps: PullScope): RawBuilder<string> {
  return sql<string>`(select u.id from units u where ${underAny('u.path', ps.prefixes)})`;
}

function ruleSql(kind: KindDef, rule: VisibilityRule, ps: PullScope, alias: string, depth: number): RawBuilder<boolean> {
  const col = (field: string) => sql.ref(`${alias}.${columnOf(field)}`);
  switch (rule.by) {
    case 'household': {
      const mine = inIds(`${alias}.${columnOf(rule.field)}`, ps.memberHouseholdIds);
      // A household hidden from devices (archived) hides what is seen through it.
      const hidden = kindOf('households').hiddenWhen;
      const shown = hidden ? sql` and ${sql.ref(`h.${hidden}`)} is null` : sql``;
      const below = ps.prefixes.length
        ? sql<boolean>`${col(rule.field)} in (select h.id from households h where h.unit_id in ${supervisedUnits(ps)}${shown})`
        : FALSE;
      return or([mine, below]);
    }
    case 'households': {
      const mine = ps.memberHouseholdIds.length ? sql<boolean>`${col(rule.field)} && ${uuidArray(ps.memberHouseholdIds)}` : FALSE;
      const below = ps.prefixes.length ? sql<boolean>`${col(rule.unit)} in ${supervisedUnits(ps)}` : FALSE;
      return or([mine, below]);
    }
    case 'parent': {
      const parent = kindOf(rule.table);
      const p = `p${depth}`;
      return sql<boolean>`${col(rule.field)} in (select ${sql.ref(`${p}.id`)} from ${sql.table(parent.table)} as ${sql.raw(p)} where ${visibleSql(parent, ps, p, depth + 1)})`;
    }
    case 'unit':
      return sql<boolean>`${col(rule.field)} in ${coveredUnits(ps)}`;
    case 'members': {
      const me = ps.memberId
        ? isIdsColumn(kind, rule.field) ? sql<boolean>`${ps.memberId}::uuid = any(${col(rule.field)})` : sql<boolean>`${col(rule.field)} = ${ps.memberId}`
        : FALSE;
      const below = ps.prefixes.length ? sql<boolean>`${col(rule.unit)} in ${supervisedUnits(ps)}` : FALSE;
      return or([me, below]);
    }
  }
}

/**
 * The rows of a kind a device may hold, as a condition on the table aliased `alias`: any of the
 * kind's visibility rules admits it, and it is not hidden (a retired member). Snapshots, pulls
 * of changed rows and the rows a newly given household brings all filter through here.
 */
export function visibleSql(kind: KindDef, ps: PullScope, alias = 't', depth = 0): RawBuilder<boolean> {
  const rules = or(kind.visibility.map((r) => ruleSql(kind, r, ps, alias, depth)));
  return kind.hiddenWhen ? sql<boolean>`(${rules} and ${sql.ref(`${alias}.${kind.hiddenWhen}`)} is null)` : rules;
}
