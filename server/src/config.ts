import { DEFAULT_HOUSEHOLD_LIMITS, type HouseholdLimits } from '@shared/domain/household.ts';

/** Runtime settings every part of the server reads; main.ts fills them from the environment. */
export interface AppConfig {
  version: string;
  limits: HouseholdLimits;
  sessionTtlMs: number;
  login: { maxFailures: number; windowMs: number };
  /** The built client to serve, or null to serve the API only. */
  clientDir: string | null;
  /** Rows (first sync) or change entries (later syncs) per pull page. */
  pullPageSize: number;
}

export const DEFAULT_CONFIG: AppConfig = {
  version: '0.1.0',
  limits: { ...DEFAULT_HOUSEHOLD_LIMITS },
  sessionTtlMs: 30 * 24 * 3600 * 1000,
  login: { maxFailures: 5, windowMs: 15 * 60 * 1000 },
  clientDir: null,
  pullPageSize: 1000,
};
