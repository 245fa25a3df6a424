import type { ErrorCode } from '../errors.ts';

/** The shortest password a person may choose (the Password schema bounds the same). */
export const PASSWORD_MIN_LENGTH = 8;

/**
 * Why a newly chosen password is refused, or null when it is fine: at least 8 characters with
 * both a letter and a digit, not the phone number, not the current password. One rule for the
 * phone's change-password screen (checked before sending, offline too) and the server.
 */
export function passwordProblem(password: string, context: { phone?: string; current?: string } = {}): ErrorCode | null {
  if (context.current !== undefined && password === context.current) return 'PASSWORD_UNCHANGED';
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'PASSWORD_WEAK';
  if (!/\p{L}/u.test(password) || !/[0-9]/.test(password)) return 'PASSWORD_WEAK';
  if (context.phone && password.includes(context.phone)) return 'PASSWORD_WEAK';
  return null;
}
