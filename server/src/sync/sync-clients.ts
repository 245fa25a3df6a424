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

/** The telemetry columns a report sets; fields the device did not send keep their value. */
export function telemetryColumns(t: Telemetry | undefined) {
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
  return set;
}

/** Stores what the device says of itself (also failures it could only report afterwards). */
export async function recordTelemetry(db: Db, clientId: string, userId: string, t: Telemetry | undefined, extra: Record<string, unknown> = {}) {
  const set = { ...telemetryColumns(t), ...extra };
  await db.transaction().execute(async (trx) => {
    await claimClient(trx, clientId, userId, false);
    if (Object.keys(set).length) await trx.updateTable('sync_clients').set(set).where('client_id', '=', clientId).execute();
  });
}
