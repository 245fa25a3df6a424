import type { Kysely } from 'kysely';
import { rolesOf, scopeOf, type Caller, type Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { LoginBody, LoginReply } from '@shared/schemas/account.ts';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import * as sessions from '../repositories/session-repository.ts';
import * as users from '../repositories/user-repository.ts';
import { hashPassword, hashToken, newSessionToken, verifyPassword } from './password.ts';

type Db = Kysely<Database>;

// Compared against when the phone is unknown, so a wrong phone costs as long as a wrong password.
const decoyHash = hashPassword('decoy-password-never-valid');

/**
 * Phone + password → a new session. Failures are counted per phone *and source address*: too
 * many lock that pair until the oldest of them leaves the window, so a stranger guessing from
 * elsewhere cannot lock a member out of their own phone (the per-address request limit on the
 * route bounds guessing across phones).
 */
export async function login(db: Db, body: LoginBody, address: string, config: AppConfig, now: Date): Promise<LoginReply> {
  const phone = body.phone.trim();
  const { maxFailures, windowMs } = config.login;
  const since = new Date(now.getTime() - windowMs);
  const failures = await sessions.recentFailures(db, phone, address, since, maxFailures);
  if (failures.length >= maxFailures) {
    // Unlocked when fewer than maxFailures remain in the window: when the maxFailures-th newest leaves it.
    const unlockAt = failures[maxFailures - 1]!.getTime() + windowMs;
    throw new DomainError('TOO_MANY_ATTEMPTS', undefined, { retryAfterSeconds: Math.max(1, Math.ceil((unlockAt - now.getTime()) / 1000)) });
  }
  const user = await users.findUserByPhone(db, phone);
  const ok = await verifyPassword(body.password, user?.password_hash ?? (await decoyHash));
  if (!user || !ok) {
    await sessions.recordFailure(db, phone, address, now, since);
    throw new DomainError('BAD_CREDENTIALS');
  }
  // Told only to someone who knows the password: the person, who should call their admin.
  if (user.disabled_at) throw new DomainError('ACCOUNT_DISABLED');
  await sessions.clearFailures(db, phone, address);
  const { token, tokenHash } = newSessionToken();
  await sessions.insertSession(db, {
    tokenHash,
    userId: user.id,
    clientId: body.clientId ?? null,
    expiresAt: new Date(now.getTime() + config.sessionTtlMs),
  });
  const caller = await users.loadCaller(db, user.id);
  return { token, user: { id: user.id, name: user.name, roles: rolesOf(caller) }, mustChangePassword: user.must_change_password };
}

/**
 * What a session may still do when it is not a full one (plugins/auth.ts holds the routes):
 * `password_change` — an admin reset the password: the person must choose a new one, and may
 * meanwhile read /api/me, log out, and sync (a phone with pending work is never held back);
 * `retired_device` — the user was disabled: their retired device may only push (its work goes
 * to the holding area) and pull (which tells it to erase itself).
 */
export type SessionRestriction = 'password_change' | 'retired_device' | null;

export interface Authenticated {
  caller: Caller;
  scope: Scope;
  tokenHash: string;
  clientId: string | null;
  restriction: SessionRestriction;
}

/** The caller behind a bearer token, or UNAUTHENTICATED / SESSION_EXPIRED; one statement. */
export async function authenticate(db: Db, token: string, now: Date): Promise<Authenticated> {
  const tokenHash = hashToken(token);
  const session = await sessions.findSessionCaller(db, tokenHash);
  if (!session || session.revoked_at) throw new DomainError('UNAUTHENTICATED');
  if (session.expires_at.getTime() <= now.getTime()) throw new DomainError('SESSION_EXPIRED');
  if (!session.userFound) throw new DomainError('UNAUTHENTICATED');
  // A disabled user's device session lives on only while its device is retired, to hand in its work.
  const retiredDevice = Boolean(session.disabled_at) && session.client_id !== null && session.revoke_kind === 'retire';
  if (session.disabled_at && !retiredDevice) throw new DomainError('UNAUTHENTICATED');
  // A phone reported lost reads nothing more; every call tells it to erase itself.
  if (session.client_id && session.revoke_kind === 'lost') throw new DomainError('CLIENT_REVOKED', undefined, { kind: 'lost' });
  const { caller } = session;
  const restriction: SessionRestriction = retiredDevice ? 'retired_device' : session.must_change_password ? 'password_change' : null;
  return { caller, scope: scopeOf(caller), tokenHash, clientId: session.client_id, restriction };
}

export async function logout(db: Db, tokenHash: string, now: Date) {
  await sessions.revokeSession(db, tokenHash, now);
}
