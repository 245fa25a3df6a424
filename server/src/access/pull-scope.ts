import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import type { Database } from '../db/database.ts';
import { pathToText, textToPath } from '../db/unit-path.ts';
import { readPrefixes, underAny } from './scope-sql.ts';

type Db = Kysely<Database>;

/**
 * What one device may hold, resolved once per pull or socket: the member's own unit and
 * households, the subtrees supervised, the units above them (whose unit-wide records reach down),
 * and the spaces (towns / sub-districts) all of it lives in.
 */
export interface PullScope {
  memberId: string | null;
  memberUnitId: string | null;
  memberHouseholdIds: string[];
  /** Text paths of the subtrees supervised (`path like prefix%`). */
  prefixes: string[];
  /** Text paths of the units at or above the member's unit and above each supervised subtree. */
  anchorPaths: string[];
  spaceIds: string[];
  /** Changes when what the device should hold changes shape: a new snapshot is due. */
  key: string;
}

/** Every ancestor-or-self path of a unit path, as text. */
const ancestorsOf = (path: readonly string[]) => path.map((_, i) => pathToText(path.slice(0, i + 1)));

export async function resolvePullScope(db: Db, scope: Scope): Promise<PullScope> {
  const prefixes = readPrefixes(scope);
  let memberUnitId: string | null = null;
  let memberHouseholdIds: string[] = [];
  const anchors = new Set<string>();
  for (const root of scope.readRoots) for (const p of ancestorsOf(root.unitPath.slice(0, -1))) anchors.add(p);
  if (scope.memberId) {
    const m = await db
      .selectFrom('members')
      .innerJoin('units', 'units.id', 'members.unit_id')
      .select(['members.unit_id', 'units.path'])
      .where('members.id', '=', scope.memberId)
      .executeTakeFirst();
    if (m) {
      memberUnitId = m.unit_id;
      for (const p of ancestorsOf(textToPath(m.path))) anchors.add(p);
      const hh = await db.selectFrom('households').select('id').where('member_id', '=', scope.memberId).orderBy('id').execute();
      memberHouseholdIds = hh.map((h) => h.id);
    }
  }
  const anchorPaths = [...anchors].sort();
  const spaceRows = await db
    .selectFrom('units')
    .select('space_id')
    .distinct()
    .where((eb) => eb.or([eb('path', 'in', anchorPaths.length ? anchorPaths : ['']), underAny('path', prefixes)]))
    .execute();
  const spaceIds = spaceRows.map((r) => r.space_id).filter((s): s is string => !!s).sort();
  const shape = ['p2', scope.memberId ?? '-', memberUnitId ?? '-', [...prefixes].sort().join(','), anchorPaths.join(','), spaceIds.join(',')].join('|');
  const key = createHash('sha256').update(shape).digest('base64url').slice(0, 22);
  return { memberId: scope.memberId, memberUnitId, memberHouseholdIds, prefixes, anchorPaths, spaceIds, key };
}
