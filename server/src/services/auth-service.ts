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

/** Phone + password → a new session; failures are counted per phone and lock it for a while. */
export async function login(db: Db, body: LoginBody, config: AppConfig, now: Date): Promise<LoginReply> {
  const phone = body.phone.trim();
  const since = new Date(now.getTime() - config.login.windowMs);
  if ((await sessions.countRecentFailures(db, phone, since)) >= config.login.maxFailures) {
    throw new DomainError('TOO_MANY_ATTEMPTS', undefined, { retryAfterSeconds: Math.ceil(config.login.windowMs / 1000) });
  }
  const user = await users.findUserByPhone(db, phone);
  const ok = await verifyPassword(body.password, user?.password_hash ?? (await decoyHash));
  if (!user || !ok || user.disabled_at) {
    await sessions.recordFailure(db, phone, now);
    throw new DomainError('BAD_CREDENTIALS');
  }
  await sessions.clearFailures(db, phone);
  const { token, tokenHash } = newSessionToken();
  await sessions.insertSession(db, {
    tokenHash,
    userId: user.id,
    clientId: body.clientId ?? null,
    expiresAt: new Date(now.getTime() + config.sessionTtlMs),
  });
  const caller = await users.loadCaller(db, user.id);
  return { token, user: { id: user.id, name: user.name, roles: rolesOf(caller) } };
}

export interface Authenticated {
  caller: Caller;
  scope: Scope;
  tokenHash: string;
  clientId: string | null;
}

/** The caller behind a bearer token, or UNAUTHENTICATED / SESSION_EXPIRED; one statement. */
export async function authenticate(db: Db, token: string, now: Date): Promise<Authenticated> {
  const tokenHash = hashToken(token);
  const session = await sessions.findSessionCaller(db, tokenHash);
  if (!session || session.revoked_at) throw new DomainError('UNAUTHENTICATED');
  if (session.expires_at.getTime() <= now.getTime()) throw new DomainError('SESSION_EXPIRED');
  if (!session.userFound || session.disabled_at) throw new DomainError('UNAUTHENTICATED');
  // A phone reported lost reads nothing more; every call tells it to erase itself.
  if (session.client_id && session.revoke_kind === 'lost') throw new DomainError('CLIENT_REVOKED', undefined, { kind: 'lost' });
  const { caller } = session;
  return { caller, scope: scopeOf(caller), tokenHash, clientId: session.client_id };
}

export async function logout(db: Db, tokenHash: string, now: Date) {
  await sessions.revokeSession(db, tokenHash, now);
}
