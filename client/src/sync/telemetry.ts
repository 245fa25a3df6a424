import { INSTANT_PATTERN } from '@shared/schemas/common.ts';
import type { Telemetry } from '@shared/sync/protocol.ts';

const INSTANT = new RegExp(INSTANT_PATTERN);
import type { LianxinDb } from '../db/lianxin-db.ts';

/** The wire allows this much error text; a longer one would get the whole push refused. */
export const MAX_ERROR_TEXT = 1000;

/**
 * An error as text the wire accepts: no control characters, and no half of a surrogate pair
 * (not even where the cut falls) — the server refuses such text, and the telemetry carrying it
 * would fail every sync.
 */
export function errorText(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err))
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
  const cut = text.slice(0, MAX_ERROR_TEXT);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** An instant as the wire takes it, or null: a phone whose clock was reset to 1970 must still sync. */
const instant = (iso: string | null | undefined): string | null => (iso && INSTANT.test(iso) ? iso : null);

/**
 * What the device says of itself on every push and pull (DESIGN.md, telemetry): the app
 * version, how much work waits and since when, how much storage it uses and was granted, and
 * the last error — which thus reaches the server on the next call that gets through — and its
 * clock, so the server measures how far it runs from its own on every call.
 */
export async function collectTelemetry(db: LianxinDb, appVersion: string, now: Date): Promise<Telemetry> {
  const oldest = await db.outbox.orderBy('id').first();
  const lastError = (await db.getMeta<string | null>('lastError')) ?? null;
  const t: Telemetry = {
    appVersion: appVersion.slice(0, 40),
    outboxLength: await db.outbox.count(),
    oldestPendingAt: instant(oldest?.createdAt),
    lastError: lastError === null ? null : errorText(lastError),
    lastErrorAt: instant(await db.getMeta<string | null>('lastErrorAt')),
  };
  const deviceTime = instant(now.toISOString());
  if (deviceTime) t.deviceTime = deviceTime;
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
