import { sql, type Kysely } from 'kysely';
import type { SyncRows, SyncTable } from '@shared/sync/protocol.ts';
import type { Database } from '../db/database.ts';
import { underAny, uuidArray, type PullScope } from './pull-scope.ts';
import { conflictRow, disputeRow, disputes, householdRow, households, mediationRow, memberRow, unitRow, visitRow } from './rows.ts';

type Db = Kysely<Database>;

/** Which rows of a table to load: a snapshot page (ids after `after`), or named ids. */
export type Pick = { after: string | null; limit: number } | { ids: readonly string[] };

/**
 * Loads rows of one table as the wire carries them, filtered by the caller's scope: a member
 * sees their unit, its members, their households and those households' records; a supervisor
 * the whole subtree. The same filter serves snapshots and incremental pulls.
 */
export async function loadRows<T extends SyncTable>(db: Db, table: T, ps: PullScope, pick: Pick): Promise<SyncRows[T][]> {
  const rows = await LOADERS[table](db, ps, pick);
  return rows as SyncRows[T][];
}

function page<Q extends { where: any; orderBy: any; limit: any }>(q: Q, idCol: string, pick: Pick): Q {
  if ('ids' in pick) return q.where(idCol, 'in', pick.ids.length ? [...pick.ids] : ['00000000-0000-0000-0000-000000000000']);
  let out = pick.after ? q.where(idCol, '>', pick.after) : q;
  out = out.orderBy(idCol).limit(pick.limit);
  return out;
}

const householdScope = (ps: PullScope) => (eb: any) =>
  eb.or([eb('households.member_id', '=', ps.memberId), ...underAny(eb, 'units.path', ps.prefixes)]);
const disputeScope = (ps: PullScope) => (eb: any) =>
  eb.or([sql<boolean>`disputes.household_ids && ${uuidArray(ps.memberHouseholdIds)}`, ...underAny(eb, 'branch.path', ps.prefixes)]);

const LOADERS: { [T in SyncTable]: (db: Db, ps: PullScope, pick: Pick) => Promise<SyncRows[T][]> } = {
  async units(db, ps, pick) {
    const q = db
      .selectFrom('units')
      .select(['id', 'kind', 'name', 'parent_id', 'space_id', 'retired_at', 'path'])
      .where((eb) => eb.or([...(ps.memberUnitPaths.length ? [eb('path', 'in', ps.memberUnitPaths)] : []), ...underAny(eb, 'path', ps.prefixes)]));
    return (await page(q, 'id', pick).execute()).map(unitRow);
  },
  async members(db, ps, pick) {
    const q = db
      .selectFrom('members')
      .innerJoin('users', 'users.id', 'members.user_id')
      .innerJoin('units', 'units.id', 'members.unit_id')
      .select(['members.id', 'members.user_id', 'members.unit_id', 'members.central_household', 'users.name'])
      .where('members.retired_at', 'is', null)
      .where((eb) => eb.or([eb('members.unit_id', '=', ps.memberUnitId), ...underAny(eb, 'units.path', ps.prefixes)]));
    return (await page(q, 'members.id', pick).execute()).map(memberRow);
  },
  async households(db, ps, pick) {
    const q = households(db).where(householdScope(ps));
    return (await page(q, 'households.id', pick).execute()).map(householdRow);
  },
  async visits(db, ps, pick) {
    const q = db
      .selectFrom('visits')
      .innerJoin('households', 'households.id', 'visits.household_id')
      .innerJoin('units', 'units.id', 'households.unit_id')
      .selectAll('visits')
      .where(householdScope(ps));
    return (await page(q, 'visits.id', pick).execute()).map(visitRow);
  },
  async disputes(db, ps, pick) {
    const q = disputes(db).where(disputeScope(ps));
    return (await page(q, 'disputes.id', pick).execute()).map(disputeRow);
  },
  async mediations(db, ps, pick) {
    const q = db
      .selectFrom('mediations')
      .innerJoin('disputes', 'disputes.id', 'mediations.dispute_id')
      .innerJoin('units as branch', 'branch.id', 'disputes.branch_unit_id')
      .selectAll('mediations')
      .where(disputeScope(ps));
    return (await page(q, 'mediations.id', pick).execute()).map(mediationRow);
  },
  async conflicts(db, ps, pick) {
    const q = db
      .selectFrom('conflicts')
      .selectAll()
      .where((eb) => eb.or([sql<boolean>`conflicts.household_ids && ${uuidArray(ps.memberHouseholdIds)}`, ...underAny(eb, 'conflicts.unit_path', ps.prefixes)]));
    return (await page(q, 'conflicts.id', pick).execute()).map(conflictRow);
  },
};

/** A household's records, for a device that has just been given it. */
export async function householdRecords(db: Db, ps: PullScope, householdIds: readonly string[]) {
  const visitIds = await db.selectFrom('visits').select('id').where('household_id', 'in', [...householdIds]).execute();
  const disputeIds = await db.selectFrom('disputes').select('id').where(sql<boolean>`household_ids && ${uuidArray(householdIds)}`).execute();
  const mediationIds = disputeIds.length
    ? await db.selectFrom('mediations').select('id').where('dispute_id', 'in', disputeIds.map((d) => d.id)).execute()
    : [];
  const conflictIds = await db.selectFrom('conflicts').select('id').where(sql<boolean>`household_ids && ${uuidArray(householdIds)}`).execute();
  return {
    visits: await loadRows(db, 'visits', ps, { ids: visitIds.map((r) => r.id) }),
    disputes: await loadRows(db, 'disputes', ps, { ids: disputeIds.map((r) => r.id) }),
    mediations: await loadRows(db, 'mediations', ps, { ids: mediationIds.map((r) => r.id) }),
    conflicts: await loadRows(db, 'conflicts', ps, { ids: conflictIds.map((r) => r.id) }),
  };
}
