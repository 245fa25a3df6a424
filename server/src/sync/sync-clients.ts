import type { Kysely } from 'kysely';
import { DomainError } from '@shared/errors.ts';
import type { Telemetry } from '@shared/sync/protocol.ts';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

/**
 * The device's row, created on first contact and bound to the user who made it; locked for
 * the rest of the transaction when `lock`, so two pushes from one device run one after the other.
 */
export async function claimClient(trx: Db, clientId: string, userId: string, lock: boolean) {
  await trx.insertInto('sync_clients').values({ client_id: clientId, user_id: userId }).onConflict((oc) => oc.column('client_id').doNothing()).execute();
  let q = trx.selectFrom('sync_clients').selectAll().where('client_id', '=', clientId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirstOrThrow();
  if (row.user_id !== userId) throw new DomainError('CLIENT_NOT_YOURS');
  return row;
}

/** A device's owner and revocation, for a pull (no row yet: a device never seen). */
export async function findClient(db: Db, clientId: string) {
  return db.selectFrom('sync_clients').select(['user_id', 'revoked_at', 'revoke_kind', 'last_mutation_id']).where('client_id', '=', clientId).executeTakeFirst();
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

/** Stores what the device says of itself (also failures it could only report afterwards). */
export async function recordTelemetry(db: Db, clientId: string, userId: string, t: Telemetry | undefined, now: Date, extra: Record<string, unknown> = {}) {
  const set = { ...telemetryColumns(t, now), ...extra };
  await db.transaction().execute(async (trx) => {
    await claimClient(trx, clientId, userId, false);
    if (Object.keys(set).length) await trx.updateTable('sync_clients').set(set).where('client_id', '=', clientId).execute();
  });
}
