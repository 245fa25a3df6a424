import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export interface Change {
  spaceId: string;
  /** The record kind's table. */
  table: string;
  rowId: string;
  /** The path (text form) of the unit whose subtree may see the row: supervisors' filter. */
  unitPath: string;
  householdIds: string[];
  /** Members whose devices hold the row (liaisons of its households): members' filter. */
  memberIds: string[];
  /** Every device whose scope covers `unitPath` sees it, members at or below the unit too. */
  unitWide: boolean;
  /** Who sees the row changed: a device newly given it also gets what depends on it. */
  scopeChange: boolean;
}

export const POKE_CHANNEL = 'lianxin_poke';
// NOTIFY payloads must stay under 8000 bytes; past that, poke every device of the spaces.
const MAX_PAYLOAD = 7000;

export function pokePayload(t: Touched): string {
  const full = JSON.stringify(t);
  return full.length <= MAX_PAYLOAD ? full : JSON.stringify({ spaceIds: t.spaceIds, memberIds: [], unitPaths: [], widePaths: [], all: true });
}

/** What a committed write touched, for pokes. */
export interface Touched {
  spaceIds: string[];
  memberIds: string[];
  unitPaths: string[];
  /** Paths of unit-wide changes: devices at or below them see them too. */
  widePaths?: string[];
  /** Too much to list: every device in the spaces is poked. */
  all?: boolean;
}

/**
 * Collects the changes of one transaction and stamps them at its very end. The version of
 * each touched space is bumped last, under the space row's lock, so versions become visible
 * in commit order: a pull that has seen version n can never later meet a smaller one.
 */
export class ChangeBuffer {
  private readonly changes: Change[] = [];

  add(change: Change): void {
    this.changes.push(change);
  }

  /** Keeps a savepoint's changes only if the savepoint is released. */
  mark(): number {
    return this.changes.length;
  }

  rollbackTo(mark: number): void {
    this.changes.length = mark;
  }

  get size(): number {
    return this.changes.length;
  }

  touched(): Touched {
    const spaceIds = new Set<string>();
    const memberIds = new Set<string>();
    const unitPaths = new Set<string>();
    const widePaths = new Set<string>();
    for (const c of this.changes) {
      spaceIds.add(c.spaceId);
      c.memberIds.forEach((m) => memberIds.add(m));
      unitPaths.add(c.unitPath);
      if (c.unitWide) widePaths.add(c.unitPath);
    }
    return { spaceIds: [...spaceIds], memberIds: [...memberIds], unitPaths: [...unitPaths], widePaths: [...widePaths] };
  }

  /**
   * Writes the changes and queues a poke; call as the last statement before commit.
   * NOTIFY is delivered only if and when the transaction commits, to every server instance
   * listening on the database — so pokes never announce work that was rolled back.
   */
  async flush(trx: Db): Promise<Touched> {
    const touched = this.touched();
    if (this.changes.length === 0) return touched;
    // Spaces in a fixed order, so two transactions touching the same spaces cannot deadlock.
    const spaces = [...new Set(this.changes.map((c) => c.spaceId))].sort();
    const rows = [];
    for (const spaceId of spaces) {
      const { version } = await trx
        .insertInto('space_versions')
        .values({ space_id: spaceId, version: 1 })
        .onConflict((oc) => oc.column('space_id').doUpdateSet({ version: sql`space_versions.version + 1` }))
        .returning('version')
        .executeTakeFirstOrThrow();
      for (const c of this.changes) {
        if (c.spaceId !== spaceId) continue;
        rows.push({
          space_id: spaceId,
          version: Number(version),
          table_name: c.table,
          row_id: c.rowId,
          unit_path: c.unitPath,
          household_ids: c.householdIds,
          member_ids: [...new Set(c.memberIds)],
          unit_wide: c.unitWide,
          scope_change: c.scopeChange,
        });
      }
    }
    for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('changes').values(rows.slice(i, i + 1000)).execute();
    this.changes.length = 0;
    await sql`select pg_notify(${POKE_CHANNEL}, ${pokePayload(touched)})`.execute(trx);
    return touched;
  }
}
