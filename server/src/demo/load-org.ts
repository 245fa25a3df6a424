import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { hashPassword } from '../services/password.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import type { GeneratedOrg } from './generate-org.ts';

export const DEMO_PASSWORD = 'demo1234';

/** Inserts in slices that stay well under PostgreSQL's 65,535 bind parameters. */
async function inChunks<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Writes a generated organisation in one transaction; its units, members and households go
 * through the one sync path like any other write. Every account gets the same password; it is
 * hashed once (one salt for all), which is acceptable only because these are demo accounts.
 */
export async function loadOrg(db: Kysely<Database>, org: GeneratedOrg, password = DEMO_PASSWORD): Promise<void> {
  const passwordHash = await hashPassword(password);
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await inChunks(org.users, 2000, (c) =>
      trx.insertInto('users').values(c.map((u) => ({ id: u.id, phone: u.phone, name: u.name, password_hash: passwordHash }))).execute(),
    );
    await writeSynced(trx, async (writer) => {
      await writer.insertMany('units', org.units.map((u) => ({ id: u.id, kind: u.kind, name: u.name, parentId: u.parentId, spaceId: u.spaceId ?? u.id, retiredAt: null, path: u.path })));
      await writer.insertMany('members', org.members.map((m) => ({ id: m.id, userId: m.userId, unitId: m.unitId, centralHousehold: m.centralHousehold })));
      await writer.insertMany(
        'households',
        org.households.map((h) => ({
          id: h.id, unitId: h.unitId, memberId: h.memberId, headName: h.headName, phone: h.phone, size: h.size, address: h.address,
          careTags: h.careTags, notes: h.notes, updatedAt: now.toISOString(), fieldMeta: {},
        })),
      );
      await inChunks(org.grants, 2000, (c) =>
        trx.insertInto('grants').values(c.map((g) => ({ user_id: g.userId, role: g.role, unit_id: g.unitId }))).execute(),
      );
      const assigned = org.households.filter((h) => h.memberId);
      await inChunks(assigned, 2000, (c) =>
        trx.insertInto('household_assignments').values(c.map((h) => ({ household_id: h.id, from_member_id: null, to_member_id: h.memberId, by_user_id: null, at: now }))).execute(),
      );
    });
  });
}

/** True when the database holds no organisation yet (a first start). */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('units').select('id').limit(1).executeTakeFirst();
  return !row;
}
