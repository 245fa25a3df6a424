import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import type { Database } from '../db/database.ts';
import { pathToText, textToPath } from '../db/unit-path.ts';
import { readPrefixes } from '../repositories/unit-repository.ts';

type Db = Kysely<Database>;
const NONE = '00000000-0000-0000-0000-000000000000';

/**
 * What one caller's pull may see, resolved once per pull: the member's own unit and households,
 * the supervisor's subtree prefixes, and the spaces (towns / sub-districts) all of it lives in.
 */
export interface PullScope {
  memberId: string;
  memberUnitId: string;
  /** Ancestor-or-self paths of the member's unit: the units a member's device holds. */
  memberUnitPaths: string[];
  memberHouseholdIds: string[];
  prefixes: string[];
  spaceIds: string[];
  /** Changes when what the device should hold changes shape: a new snapshot is due. */
  key: string;
}

export async function resolvePullScope(trx: Db, scope: Scope): Promise<PullScope> {
  const prefixes = readPrefixes(scope);
  let memberUnitId = NONE;
  let memberUnitPaths: string[] = [];
  let memberHouseholdIds: string[] = [];
  if (scope.memberId) {
    const m = await trx
      .selectFrom('members')
      .innerJoin('units', 'units.id', 'members.unit_id')
      .select(['members.unit_id', 'units.path'])
      .where('members.id', '=', scope.memberId)
      .executeTakeFirst();
    if (m) {
      memberUnitId = m.unit_id;
      const path = textToPath(m.path);
      memberUnitPaths = path.map((_, i) => pathToText(path.slice(0, i + 1)));
      const hh = await trx.selectFrom('households').select('id').where('member_id', '=', scope.memberId).execute();
      memberHouseholdIds = hh.map((h) => h.id);
    }
  }
  const spaceRows = await trx
    .selectFrom('units')
    .select('space_id')
    .distinct()
    .where((eb) => eb.or([eb('id', '=', memberUnitId), ...prefixes.map((p) => eb('path', 'like', `${p}%`))]))
    .execute();
  const spaceIds = spaceRows.map((r) => r.space_id).filter((s): s is string => !!s).sort();
  const key = ['p1', scope.memberId ?? '-', memberUnitId, [...prefixes].sort().join(','), spaceIds.join(',')].join('|');
  return { memberId: scope.memberId ?? NONE, memberUnitId, memberUnitPaths, memberHouseholdIds, prefixes, spaceIds, key };
}

export const uuidArray = (ids: readonly string[]) => sql<string[]>`array[${sql.join(ids.length ? ids : [NONE])}]::uuid[]`;

/** `path like any(prefixes)` as an OR, false when there are none. */
export function underAny(eb: ExpressionBuilder<any, any>, column: string, prefixes: readonly string[]): Expression<SqlBool>[] {
  return prefixes.map((p) => eb(eb.ref(column), 'like', `${p}%`));
}
