import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import { kindOf } from '@shared/sync/registry.ts';
import type { Database } from '../db/database.ts';
import { pathToText, textToPath } from '../db/unit-path.ts';
import { readPrefixes, underAny, uuidArray } from './scope-sql.ts';

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

/** Per space of a scope: its current version and how far its change log has been pruned. */
export type SpaceStates = Record<string, { version: number; prunedThrough: number }>;

/** The columns `scopeFactsSql` yields, as the database returns them. */
export interface ScopeFacts {
  member_unit_id: string | null;
  member_path: string | null;
  household_ids: string[];
  /** [space id, version, pruned through], in space-id order. */
  spaces: [string, number | string, number | string][];
}

/** Every ancestor-or-self path of a unit path, as text. */
const ancestorsOf = (path: readonly string[]) => path.map((_, i) => pathToText(path.slice(0, i + 1)));

/**
 * The facts a pull scope is built from, as SQL to select from `scopeFactsFrom` in one
 * statement: the member's unit, their households, and the spaces of every unit in scope with
 * each space's version — so a pull that finds nothing new has read all it needs in one go.
 */
export function scopeFactsSql(scope: Scope): { from: RawBuilder<unknown>; columns: RawBuilder<unknown> } {
  const memberId = scope.memberId;
  // Units above each supervised subtree, by id (a unit's path lists its ancestors' ids).
  const aboveRoots = [...new Set(scope.readRoots.flatMap((r) => r.unitPath.slice(0, -1)))];
  // A household hidden from devices (archived) is no member's to hold.
  const hidden = kindOf('households').hiddenWhen;
  const shownHousehold = hidden ? sql` and ${sql.ref(`h.${hidden}`)} is null` : sql``;
  const from = sql`(select 1) as one left join (select m.unit_id, mu_u.path from members m join units mu_u on mu_u.id = m.unit_id where m.id = ${memberId}::uuid) as mu on true`;
  const anchors = sql`(${uuidArray(aboveRoots)} || coalesce(string_to_array(trim(both '/' from mu.path), '/')::uuid[], '{}'::uuid[]))`;
  const columns = sql`mu.unit_id as member_unit_id, mu.path as member_path,
    array_to_json(array(select h.id from households h where h.member_id = ${memberId}::uuid${shownHousehold} order by h.id)) as household_ids,
    (select coalesce(json_agg(json_build_array(sp.space_id, coalesce(v.version, 0), coalesce(v.pruned_through, 0)) order by sp.space_id), '[]'::json)
       from (select distinct su.space_id from units su where su.space_id is not null and (su.id = any(${anchors}) or ${underAny('su.path', readPrefixes(scope))})) as sp
       left join space_versions v on v.space_id = sp.space_id) as spaces`;
  return { from, columns };
}

/** Builds the pull scope from its facts; the key is what a cursor is checked against. */
export function buildPullScope(scope: Scope, facts: ScopeFacts): { ps: PullScope; spaces: SpaceStates } {
  const prefixes = readPrefixes(scope);
  const anchors = new Set<string>();
  for (const root of scope.readRoots) for (const p of ancestorsOf(root.unitPath.slice(0, -1))) anchors.add(p);
  const memberUnitId = scope.memberId ? facts.member_unit_id : null;
  if (memberUnitId && facts.member_path) for (const p of ancestorsOf(textToPath(facts.member_path))) anchors.add(p);
  const memberHouseholdIds = memberUnitId ? facts.household_ids : [];
  const anchorPaths = [...anchors].sort();
  const spaces: SpaceStates = {};
  for (const [id, version, prunedThrough] of facts.spaces) spaces[id] = { version: Number(version), prunedThrough: Number(prunedThrough) };
  const spaceIds = Object.keys(spaces).sort();
  const shape = ['p2', scope.memberId ?? '-', memberUnitId ?? '-', [...prefixes].sort().join(','), anchorPaths.join(','), spaceIds.join(',')].join('|');
  const key = createHash('sha256').update(shape).digest('base64url').slice(0, 22);
  return { ps: { memberId: scope.memberId, memberUnitId, memberHouseholdIds, prefixes, anchorPaths, spaceIds, key }, spaces };
}

/** The pull scope of a caller with its spaces' versions, in one statement. */
export async function readPullScope(db: Db, scope: Scope): Promise<{ ps: PullScope; spaces: SpaceStates }> {
  const { from, columns } = scopeFactsSql(scope);
  const { rows } = await sql<ScopeFacts>`select ${columns} from ${from}`.execute(db);
  return buildPullScope(scope, rows[0]!);
}

export async function resolvePullScope(db: Db, scope: Scope): Promise<PullScope> {
  return (await readPullScope(db, scope)).ps;
}
