import { ApiError } from '../api/http.ts';

/**
 * Why the last sync failed, as the member needs to know it: each reason has a Chinese line
 * saying what happened and what to do (locales: `syncFailure`). Codes, not text, so the engine
 * needs no i18n and the line follows the language switch.
 */
export const FAILURE_REASONS = [
  'offline', // no network on the phone
  'unreachable', // network, but the server did not answer (down, or a proxy says so)
  'timeout', // the server took too long
  'busy', // the server asked to come back later (503, 429)
  'server', // the server failed (5xx)
  'session', // the login expired or was revoked: only logging in again helps
  'notYours', // the client id belongs to another user: a new id and a new login
  'refused', // the server refused the request itself (4xx): retrying may not help
  'storage', // the phone's own storage failed (full, or erased under the app)
  'unknown',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

const isReason = (v: unknown): v is FailureReason => FAILURE_REASONS.includes(v as FailureReason);

/** Reads a stored reason back (an unknown or missing one gives null). */
export function storedReason(v: unknown): FailureReason | null {
  return isReason(v) ? v : null;
}

/** Classifies a failed sync; `online` is the browser's navigator.onLine. */
export function failureReason(err: unknown, online: boolean): FailureReason {
  if (err instanceof ApiError) {
    if (err.code === 'CLIENT_NOT_YOURS') return 'notYours';
    if (err.status === 401) return 'session';
    if (err.code === 'TIMEOUT') return 'timeout';
    if (err.status === 0) return online ? 'unreachable' : 'offline';
    // A proxy in front of a stopped server answers 502 or 504.
    if (err.status === 502 || err.status === 504) return 'unreachable';
    if (err.status === 503 || err.status === 429) return 'busy';
    if (err.status >= 500) return 'server';
    return 'refused';
  }
  // Dexie's errors carry the IndexedDB name: a full disk, or a database closed under us.
  const name = (err as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && /Quota|DatabaseClosed|InvalidState|Abort|Open/.test(name)) return 'storage';
  return 'unknown';
}
