import { randomInt } from 'node:crypto';
import { hashPassword, TEMPORARY_PARAMS } from './password.ts';

// No 0/o, 1/l/i: read off a printed sheet and typed on a phone.
const LETTERS = 'abcdefghjkmnpqrstuvwxyz';
const DIGITS = '23456789';
const ALPHABET = LETTERS + DIGITS;
const TEMPORARY_LENGTH = 12;

/**
 * A temporary password for a person the roster creates: 12 characters of 31 (about 59 bits),
 * with a letter and a digit, as the password rule wants. Shown once in the import result; the
 * person must change it at the first login (users.must_change_password).
 */
export function temporaryPassword(): string {
  for (;;) {
    const pw = Array.from({ length: TEMPORARY_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    if (/[a-z]/.test(pw) && /[0-9]/.test(pw)) return pw;
  }
}

/** Hashes many temporary passwords, a few at a time on libuv's thread pool. */
export async function hashTemporaryPasswords(passwords: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < passwords.length; i += 64) {
    out.push(...(await Promise.all(passwords.slice(i, i + 64).map((p) => hashPassword(p, TEMPORARY_PARAMS)))));
  }
  return out;
}
