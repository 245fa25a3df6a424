import { DomainError } from '../errors.ts';

/** How far ahead of a clock a stated time may run (the same tolerance as for HLC stamps). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * Is a stated time later than a clock allows (beyond the tolerance)? The phone asks it at the
 * field, before the record exists; recordTime refuses the same times when the record is made.
 */
export function isInFuture(iso: string, nowMs: number): boolean {
  return Date.parse(iso) > nowMs + FUTURE_TOLERANCE_MS;
}

interface Clocks {
  side: 'client' | 'server';
  /** The clock of whoever runs the rule (ISO). */
  now: string;
  /** The device's clock when it made the change (ms). */
  deviceNow: number;
}

/**
 * When something happened, as a record states it (a visit's time). Later than the clock of the
 * device that made the record, it cannot be true: refused, on the phone at the field and on the
 * server. Later only than the server's clock, the device's clock runs ahead (a phone two days
 * fast): set to the server's time and reported, as HLC stamps are — a visit must not count as
 * done in the future.
 */
export function recordTime(iso: string, clocks: Clocks): { at: string; clamped: boolean } {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new DomainError('VALIDATION_FAILED', '时间格式不正确');
  if (isInFuture(iso, clocks.deviceNow)) throw new DomainError('TIME_IN_FUTURE');
  const now = Date.parse(clocks.now);
  if (clocks.side === 'server' && at > now + FUTURE_TOLERANCE_MS) return { at: clocks.now, clamped: true };
  return { at: new Date(at).toISOString(), clamped: false };
}
