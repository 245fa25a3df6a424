import type { Telemetry } from '@shared/sync/protocol.ts';
import type { LianxinDb } from '../db/lianxin-db.ts';

/** The wire allows this much error text; a longer one would get the whole push refused. */
export const MAX_ERROR_TEXT = 1000;

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_TEXT);

/**
 * What the device says of itself on every push and pull (DESIGN.md, telemetry): the app
 * version, how much work waits and since when, how much storage it uses and was granted, and
 * the last error — which thus reaches the server on the next call that gets through.
 */
export async function collectTelemetry(db: LianxinDb, appVersion: string): Promise<Telemetry> {
  const oldest = await db.outbox.orderBy('id').first();
  const lastError = (await db.getMeta<string | null>('lastError')) ?? null;
  const t: Telemetry = {
    appVersion: appVersion.slice(0, 40),
    outboxLength: await db.outbox.count(),
    oldestPendingAt: oldest?.createdAt ?? null,
    lastError: lastError?.slice(0, MAX_ERROR_TEXT) ?? null,
    lastErrorAt: (await db.getMeta<string | null>('lastErrorAt')) ?? null,
  };
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (storage?.estimate) {
    const est = await storage.estimate().catch(() => null);
    if (typeof est?.usage === 'number') t.storageUsed = Math.round(est.usage);
    if (typeof est?.quota === 'number') t.storageQuota = Math.round(est.quota);
  }
  if (storage?.persisted) {
    const persisted = await storage.persisted().catch(() => null);
    if (typeof persisted === 'boolean') t.storagePersisted = persisted;
  }
  return t;
}
