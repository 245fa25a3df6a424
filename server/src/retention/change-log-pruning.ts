import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Deletes the change log behind the oldest cursor still in use, space by space. A device is in
 * use when it is not revoked and pulled within `holdDays`; its position per space is recorded on
 * every pull that moves it (`sync_clients.pull_position`). A space no device in use reaches into
 * is pruned up to its current version: a device arriving later starts with a snapshot anyway.
 * Each space's delete and its new `pruned_through` commit together, so a pull reading the space
 * sees both or neither, and a cursor behind `pruned_through` restarts with `clear` and a snapshot.
 */
export async function pruneChangeLog(db: Db, now: Date, holdDays: number): Promise<{ spaces: number; deleted: number }> {
  const since = new Date(now.getTime() - holdDays * DAY_MS);
  const { rows: held } = await sql<{ space_id: string; through: number | string }>`
    select p.key as space_id, min(p.value::bigint) as through
    from sync_clients c cross join lateral jsonb_each_text(c.pull_position) as p
    where c.pull_position is not null and c.revoked_at is null and c.last_pull_at >= ${since}
    group by p.key`.execute(db);
  const holds = new Map(held.map((h) => [h.space_id, Number(h.through)]));
  const spaces = await db.selectFrom('space_versions').select(['space_id', 'version', 'pruned_through']).execute();
  let pruned = 0;
  let deleted = 0;
  for (const s of spaces) {
    const through = Math.min(holds.get(s.space_id) ?? Number(s.version), Number(s.version));
    if (through <= Number(s.pruned_through)) continue;
    deleted += await db.transaction().execute(async (trx) => {
      const del = await trx.deleteFrom('changes').where('space_id', '=', s.space_id).where('version', '<=', through).executeTakeFirst();
      await trx.updateTable('space_versions').set({ pruned_through: through }).where('space_id', '=', s.space_id).where('pruned_through', '<', through).execute();
      return Number(del.numDeletedRows);
    });
    pruned += 1;
  }
  return { spaces: pruned, deleted };
}
