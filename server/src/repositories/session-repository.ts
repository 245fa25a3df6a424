import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Caller, GrantRole } from '@shared/domain/scope.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';

type Db = Kysely<Database>;

export async function insertSession(
  db: Db,
  s: { tokenHash: string; userId: string; clientId: string | null; expiresAt: Date },
) {
  await db
    .insertInto('sessions')
    .values({ token_hash: s.tokenHash, user_id: s.userId, client_id: s.clientId, expires_at: s.expiresAt })
    .execute();
}

/**
 * A session with everything a request needs to know about its caller, in one statement (every
 * call pays for it): the session, whether its user is disabled, whether its device was reported
 * lost, and the caller's liaison membership and grants (as `loadCaller` reads them).
 */
export async function findSessionCaller(db: Db, tokenHash: string) {
  const row = await db
    .selectFrom('sessions as s')
    .leftJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('sync_clients as d', 'd.client_id', 's.client_id')
    .select(['s.user_id', 's.client_id', 's.expires_at', 's.revoked_at', 'u.id as found_user', 'u.disabled_at', 'u.must_change_password', 'd.revoke_kind'])
    .select((eb) => [
      eb.selectFrom('members as m').select('m.id').whereRef('m.user_id', '=', 's.user_id').where('m.retired_at', 'is', null).limit(1).as('member_id'),
      jsonArrayFrom(
        eb
          .selectFrom('grants as g')
          .innerJoin('units as gu', 'gu.id', 'g.unit_id')
          .select(['g.role', 'g.unit_id', 'gu.path'])
          .whereRef('g.user_id', '=', 's.user_id')
          .where('gu.retired_at', 'is', null),
      ).as('grants'),
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const caller: Caller = {
    userId: row.user_id,
    memberId: row.member_id ?? null,
    grants: row.grants.map((g) => ({ role: g.role as GrantRole, unitId: g.unit_id, unitPath: textToPath(g.path) })),
  };
  return { ...row, userFound: row.found_user !== null, caller };
}

export async function revokeSession(db: Db, tokenHash: string, at: Date) {
  await db.updateTable('sessions').set({ revoked_at: at }).where('token_hash', '=', tokenHash).execute();
}

/** When the latest `limit` failures of a phone from one address happened, newest first. */
export async function recentFailures(db: Db, phone: string, address: string, since: Date, limit: number): Promise<Date[]> {
  const rows = await db
    .selectFrom('login_failures')
    .select('at')
    .where('phone', '=', phone)
    .where('address', '=', address)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.at);
}

/** Records a failure and forgets this phone's failures older than the window. */
export async function recordFailure(db: Db, phone: string, address: string, at: Date, since: Date) {
  await db.deleteFrom('login_failures').where('phone', '=', phone).where('at', '<=', since).execute();
  await db.insertInto('login_failures').values({ phone, address, at }).execute();
}

export async function clearFailures(db: Db, phone: string, address: string) {
  await db.deleteFrom('login_failures').where('phone', '=', phone).where('address', '=', address).execute();
}
