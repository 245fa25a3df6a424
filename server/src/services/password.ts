import { randomBytes, randomInt, scrypt, timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
// scrypt is memory-hard: N=2^15, r=8 uses 32 MiB per hash, about 60 ms on a laptop core.
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LEN = 32;
/**
 * For random temporary passwords an import hands out by the thousand (must be changed at the
 * first login): 128 times cheaper, about 0.3 ms. Their entropy (roster-passwords.ts, ≈59 bits)
 * carries the strength a person's chosen password needs from the memory-hard cost.
 */
export const TEMPORARY_PARAMS = { ...PARAMS, N: 1 << 8 };

/** `scrypt$N$r$p$salt$hash`, so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string, params: typeof PARAMS = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LEN, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(key, expected);
}

/** An opaque session token for the client, and the hash the database keeps instead of it. */
export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// No 0/O, 1/l/I: read aloud or copied from a screen, a temporary password must not be misread.
const READABLE_LETTERS = 'abcdefghjkmnpqrstuvwxyz';
const READABLE_DIGITS = '23456789';

/**
 * A temporary password an admin reads to a person once: 4 letters, a dash, 4 digits
 * ('kmpq-4827', about 2^33 choices; login's lockout bounds guessing). It passes the password
 * rule, so it works until the person replaces it.
 */
export function temporaryPassword(): string {
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;
  const letters = Array.from({ length: 4 }, () => pick(READABLE_LETTERS)).join('');
  const digits = Array.from({ length: 4 }, () => pick(READABLE_DIGITS)).join('');
  return `${letters}-${digits}`;
}
