import { sql, type Kysely, type Selectable } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import { allKinds } from '@shared/sync/registry.ts';
import type { Database, SyncClientsTable } from '../db/database.ts';
import { buildPullScope, scopeFactsSql, type PullScope, type ScopeFacts, type SpaceStates } from '../access/pull-scope.ts';
import { decodeCursor, WHOLE_VERSION, type Cursor } from './pull-cursor.ts';

type Db = Kysely<Database>;

/** The device's row as a pull reads it (undefined: a device never seen). */
export type StoredClient = Pick<
  Selectable<SyncClientsTable>,
  | 'user_id' | 'revoked_at' | 'revoke_kind' | 'last_mutation_id' | 'last_pull_at' | 'pull_position' | 'app_version' | 'outbox_length'
  | 'oldest_pending_at' | 'storage_used' | 'storage_quota' | 'storage_persisted' | 'last_error' | 'last_error_at' | 'clock_skew_ms' | 'user_agent'
>;

/** What a pull decides on: the scope, its spaces' versions, and the device's acknowledged mutations. */
export interface PullState {
  ps: PullScope;
  spaces: SpaceStates;
  lastMutationId: number;
}

const CLIENT_COLUMNS = [
  'user_id', 'revoked_at', 'revoke_kind', 'last_mutation_id', 'last_pull_at', 'pull_position', 'app_version', 'outbox_length',
  'oldest_pending_at', 'storage_used', 'storage_quota', 'storage_persisted', 'last_error', 'last_error_at', 'clock_skew_ms', 'user_agent',
] as const;

/**
 * Everything a pull decides on, in one statement (so one snapshot): the device's row, the
 * caller's scope facts and the versions of its spaces. A routine pull with nothing new answers
 * from this alone.
 */
export async function readPullState(db: Db, scope: Scope, clientId: string): Promise<{ state: PullState; client: StoredClient | undefined }> {
  const { from, columns } = scopeFactsSql(scope);
  const clientCols = sql.join(CLIENT_COLUMNS.map((c) => sql.ref(`c.${c}`)));
  const { rows } = await sql<ScopeFacts & { client_found: boolean } & StoredClient>`
    select ${columns}, c.client_id is not null as client_found, ${clientCols}
    from ${from} left join sync_clients c on c.client_id = ${clientId}`.execute(db);
  const row = rows[0]!;
  const { ps, spaces } = buildPullScope(scope, row);
  const client = row.client_found ? (Object.fromEntries(CLIENT_COLUMNS.map((c) => [c, row[c]])) as StoredClient) : undefined;
  return { state: { ps, spaces, lastMutationId: Number(client?.last_mutation_id ?? 0) }, client };
}

/**
 * The cursor if it can carry on from here: made for this scope, not ahead of the server
 * (a restored database), and not behind what retention pruned from the change log. Anything
 * else restarts the device with `clear` and a snapshot.
 */
export function usableCursor(text: string | null, state: PullState): Cursor | null {
  const cursor = decodeCursor(text);
  if (!cursor || cursor.k !== state.ps.key) return null;
  const { spaces } = state;
  if (Object.entries(cursor.v).some(([s, [v]]) => v > (spaces[s]?.version ?? 0))) return null;
  if (cursor.s && cursor.s.t > allKinds().length) return null;
  const position = positionOf(cursor);
  if (state.ps.spaceIds.some((s) => (position[s] ?? 0) < (spaces[s]?.prunedThrough ?? 0))) return null;
  return cursor;
}

/**
 * Per space, the version a cursor has received everything up to: the change log above it is
 * what the device still needs. A snapshot in progress needs everything after its start.
 */
function positionOf(cursor: Cursor): Record<string, number> {
  if (cursor.s) return { ...cursor.s.base };
  return Object.fromEntries(Object.entries(cursor.v).map(([s, [v, seq]]) => [s, seq === WHOLE_VERSION ? v : v - 1]));
}

/**
 * What a pull records as the device's position: its cursor's, or — when it starts over — the
 * versions its snapshot will start from at the earliest, so the change log it will read after
 * the snapshot is held from its very first page.
 */
export function pullPosition(cursor: Cursor | null, state: PullState): Record<string, number> {
  return cursor ? positionOf(cursor) : Object.fromEntries(Object.entries(state.spaces).map(([s, x]) => [s, x.version]));
}

/** An incremental cursor that has every space's current version: the pull has nothing to send. */
export function isCurrent(cursor: Cursor, state: PullState): boolean {
  if (cursor.s) return false;
  return state.ps.spaceIds.every((s) => {
    const [v, seq] = cursor.v[s] ?? [0, WHOLE_VERSION];
    return seq === WHOLE_VERSION && (state.spaces[s]?.version ?? 0) <= v;
  });
}
