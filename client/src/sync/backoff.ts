export const MIN_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 5 * 60 * 1000;

/**
 * How long to wait after the `failures`-th failure in a row: 1 s doubling up to 5 min, with
 * jitter (between half and all of it) so that phones a server outage knocked off at the same
 * moment do not all come back at the same moment.
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base / 2 + random() * (base / 2));
}
