import { DEFAULT_HOUSEHOLD_LIMITS, type HouseholdLimits } from '@shared/domain/household.ts';

/** Runtime settings every part of the server reads; main.ts fills them from the environment. */
export interface AppConfig {
  version: string;
  limits: HouseholdLimits;
  sessionTtlMs: number;
  /** Wrong passwords for one phone from one source address before that pair is locked, and for how long. */
  login: { maxFailures: number; windowMs: number };
  /** Login requests one source address may make in a window, whatever the phones (an office shares one address). */
  loginRateLimit: { max: number; windowMs: number };
  /**
   * Fastify's trustProxy: behind a reverse proxy, the proxies (addresses or subnets, e.g.
   * `loopback` or `10.0.0.0/8`) whose X-Forwarded-For names the real source address.
   * Without it every member would share the proxy's address, and its login limit.
   */
  trustProxy: boolean | string;
  /** The built client to serve, or null to serve the API only. */
  clientDir: string | null;
  /**
   * API requests served at once before the rest are told `503 SERVER_BUSY` with `Retry-After`
   * (db-admission.ts); null for no bound. main.ts bounds PGlite, a single connection.
   */
  dbQueueLimit: number | null;
  /** Rows (first sync) or change entries (later syncs) per pull page. */
  pullPageSize: number;
  /** A page also stops once its rows pass this many bytes of JSON (the row that passes it is sent). */
  pullPageBytes: number;
  /** A pull with nothing else to store refreshes `last_pull_at` only when it is older than this. */
  lastPullResolutionMs: number;
  retention: RetentionConfig;
}

/** How long the logs are kept (docs/decisions.md, "Performance (issue 14)"). */
export interface RetentionConfig {
  /** A device that has not pulled for this many days no longer holds the change log back. */
  changeLogHoldDays: number;
  /** Mutation-log rows older than this many days are archived (when `archiveDir`) and deleted. */
  mutationLogDays: number;
  /** Where the mutation log is written (JSONL, gzipped) before old rows are deleted; null: not archived. */
  archiveDir: string | null;
  /** How often the server prunes; 0 turns the timer off (tests call `pruneLogs` themselves). */
  intervalMs: number;
}

export const DEFAULT_CONFIG: AppConfig = {
  version: '0.1.0',
  limits: { ...DEFAULT_HOUSEHOLD_LIMITS },
  sessionTtlMs: 30 * 24 * 3600 * 1000,
  login: { maxFailures: 5, windowMs: 15 * 60 * 1000 },
  loginRateLimit: { max: 60, windowMs: 5 * 60 * 1000 },
  trustProxy: false,
  clientDir: null,
  dbQueueLimit: null,
  pullPageSize: 1000,
  pullPageBytes: 512 * 1024,
  lastPullResolutionMs: 15 * 60 * 1000,
  retention: { changeLogHoldDays: 30, mutationLogDays: 400, archiveDir: null, intervalMs: 60 * 60 * 1000 },
};
