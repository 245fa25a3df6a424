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

export async function countRecentFailures(db: Db, phone: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('phone', '=', phone)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordFailure(db: Db, phone: string, at: Date) {
  await db.insertInto('login_failures').values({ phone, at }).execute();
}

export async function clearFailures(db: Db, phone: string) {
  await db.deleteFrom('login_failures').where('phone', '=', phone).execute();
}
