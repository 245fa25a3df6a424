import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

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

export async function findSession(db: Db, tokenHash: string) {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
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
