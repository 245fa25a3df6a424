import type { Kysely } from 'kysely';
import { DomainError } from '@shared/errors.ts';
import type { Telemetry } from '@shared/sync/protocol.ts';
import type { Database } from '../db/database.ts';
import type { StoredClient } from './pull-state.ts';

type Db = Kysely<Database>;

/**
 * The device's row, created on first contact and bound to the user who made it; locked for
 * the rest of the transaction when `lock`, so two pushes from one device run one after the other.
 */
export async function claimClient(trx: Db, clientId: string, userId: string, lock: boolean) {
  const read = () => {
    const q = trx.selectFrom('sync_clients').selectAll().where('client_id', '=', clientId);
    return (lock ? q.forUpdate() : q).executeTakeFirst();
  };
  // A device known already (nearly every call) costs one statement; a new one is added first.
  let row = await read();
  if (!row) {
    await trx.insertInto('sync_clients').values({ client_id: clientId, user_id: userId }).onConflict((oc) => oc.column('client_id').doNothing()).execute();
    row = await read();
    if (!row) throw new Error(`sync client ${clientId} could not be added`);
  }
  if (row.user_id !== userId) throw new DomainError('CLIENT_NOT_YOURS');
  return row;
}

/**
 * The telemetry columns a report sets; fields the device did not send keep their value. The
 * device's clock, sent with every call, measures how far it runs from the server's each time,
 * so a clock put right stops being flagged at its next contact.
 */
export function telemetryColumns(t: Telemetry | undefined, now: Date) {
  if (!t) return {};
  const set: Record<string, unknown> = {};
  if (t.appVersion !== undefined) set.app_version = t.appVersion;
  if (t.outboxLength !== undefined) set.outbox_length = t.outboxLength;
  if (t.oldestPendingAt !== undefined) set.oldest_pending_at = t.oldestPendingAt;
  if (t.storageUsed !== undefined) set.storage_used = t.storageUsed;
  if (t.storageQuota !== undefined) set.storage_quota = t.storageQuota;
  if (t.storagePersisted !== undefined) set.storage_persisted = t.storagePersisted;
  if (t.lastError !== undefined) set.last_error = t.lastError;
  if (t.lastErrorAt !== undefined) set.last_error_at = t.lastErrorAt;
  if (t.deviceTime !== undefined) set.clock_skew_ms = Date.parse(t.deviceTime) - now.getTime();
  return set;
}

/** Longest User-Agent kept: enough for any real browser's, bounded against a forged header. */
const USER_AGENT_MAX = 400;

/**
 * The User-Agent the device's browser sent, as a column to set: the desk names the device by it
 * (shared/src/domain/device-name.ts). Taken from the request, not the telemetry, so every app
 * version already sends it.
 */
export function userAgentColumn(userAgent: string | undefined): { user_agent?: string } {
  const ua = userAgent?.trim().slice(0, USER_AGENT_MAX);
  return ua ? { user_agent: ua } : {};
}

/** Stores what the device says of itself (also failures it could only report afterwards). */
export async function recordTelemetry(db: Db, clientId: string, userId: string, t: Telemetry | undefined, now: Date, extra: Record<string, unknown> = {}) {
  const set = { ...telemetryColumns(t, now), ...extra };
  await db.transaction().execute(async (trx) => {
    await claimClient(trx, clientId, userId, false);
    if (Object.keys(set).length) await trx.updateTable('sync_clients').set(set).where('client_id', '=', clientId).execute();
  });
}

/** Clock readings differing by less than this are the same reading (network delay jitters). */
const SKEW_TOLERANCE_MS = 2000;

const timeOf = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date).getTime());

/** Whether a telemetry column's new value differs from the stored one. */
function differs(column: string, next: unknown, stored: unknown): boolean {
  switch (column) {
    case 'oldest_pending_at':
    case 'last_error_at':
      return timeOf(next) !== timeOf(stored);
    case 'clock_skew_ms':
      return stored === null || stored === undefined || Math.abs(Number(next) - Number(stored)) >= SKEW_TOLERANCE_MS;
    case 'outbox_length':
    case 'storage_used':
    case 'storage_quota':
      return stored === null || stored === undefined || Number(next) !== Number(stored);
    default:
      return (next ?? null) !== (stored ?? null);
  }
}

/** A per-space position compared by content (jsonb keeps its own key order). */
function samePosition(a: Record<string, number> | null, b: Record<string, number>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Number(a[k]) === Number(b[k]));
}

/**
 * What a pull stores about the device: its telemetry and how far its cursor has reached (what
 * retention may not prune) — written only when one of them changed, or when `last_pull_at` is
 * older than `resolutionMs`, so a routine pull with nothing new writes nothing. A device never
 * seen is claimed for its user.
 */
export async function notePull(
  db: Db,
  stored: StoredClient | undefined,
  p: { clientId: string; userId: string; telemetry: Telemetry | undefined; position: Record<string, number>; now: Date; resolutionMs: number; userAgent?: string },
) {
  const position = JSON.stringify(p.position);
  const agent = userAgentColumn(p.userAgent);
  if (!stored) return recordTelemetry(db, p.clientId, p.userId, p.telemetry, p.now, { last_pull_at: p.now, pull_position: position, ...agent });
  const set: Record<string, unknown> = {};
  for (const [column, value] of Object.entries({ ...telemetryColumns(p.telemetry, p.now), ...agent })) {
    if (differs(column, value, stored[column as keyof StoredClient])) set[column] = value;
  }
  if (!samePosition(stored.pull_position, p.position)) set.pull_position = position;
  const seen = stored.last_pull_at ? stored.last_pull_at.getTime() : 0;
  if (Object.keys(set).length === 0 && p.now.getTime() - seen < p.resolutionMs) return;
  await db.updateTable('sync_clients').set({ ...set, last_pull_at: p.now }).where('client_id', '=', p.clientId).execute();
}
