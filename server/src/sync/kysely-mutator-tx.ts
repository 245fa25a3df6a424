import type { Kysely } from 'kysely';
import type { ConflictInput, MutatorTx, Person, RecordEvent } from '@shared/sync/mutator-tx.ts';
import { recordHome } from '@shared/sync/record-home.ts';
import { kindOf, type SyncRows, type SyncTable } from '@shared/sync/registry.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { textToPath } from '../db/unit-path.ts';
import { loadByIds, readTables } from './row-codec.ts';
import type { SyncWriter } from './sync-writer.ts';

type Row = Record<string, unknown>;

/** Where the mutation came from, for the rows and logs the server keeps about it. */
export interface MutationOrigin {
  clientId: string;
  mutationId: number;
  userId: string;
  hlc: string;
  /** The server's time, ISO. */
  now: string;
}

/**
 * The rows a batch of mutations has read and written, by `table:id` (null: not there), shared
 * by the batch's mutators so each reads the others' writes. `owned` rows need no lock to be
 * rewritten: read under one, or written by the batch itself.
 */
export class RowCache {
  readonly rows = new Map<string, Row | null>();
  readonly owned = new Set<string>();
}

/**
 * The server side of the shared MutatorTx: reads rows of any kind inside the push transaction
 * and writes them through the one sync path, which records each row for the devices that see it.
 * One instance serves one mutation: it remembers the rows it read, as they were, so the writer
 * knows who saw them before. Given a batch's `RowCache`, it reads from it what the batch read
 * beforehand, and reads the database only for what the cache lacks.
 */
export class KyselyMutatorTx implements MutatorTx {
  private readonly seen = new Map<string, Row | null>();

  constructor(
    private readonly writer: SyncWriter,
    private readonly origin: MutationOrigin,
    private readonly cache?: RowCache,
  ) {}

  /**
   * The transaction, for a statement of its own: rows the batch still keeps for insertion go in
   * first — before a write always, before a read if it reads their tables.
   */
  private async db(reads?: readonly string[]): Promise<Kysely<any>> {
    await this.writer.flushPending(reads);
    return this.writer.trx;
  }

  async get<T extends SyncTable>(table: T, id: string, opts: { lock?: boolean } = {}): Promise<SyncRows[T] | undefined> {
    const key = `${table}:${id}`;
    const cache = this.cache;
    if (cache?.rows.has(key) && (!opts.lock || cache.owned.has(key))) {
      const row = cache.rows.get(key);
      if (!this.seen.has(key)) this.seen.set(key, row ?? null);
      return (row ? structuredClone(row) : undefined) as SyncRows[T] | undefined;
    }
    const [row] = await loadByIds(await this.db(readTables(kindOf(table))), kindOf(table), [id], opts.lock);
    if (!this.seen.has(key)) this.seen.set(key, row ?? null);
    if (cache) {
      cache.rows.set(key, row ? structuredClone(row) : null);
      if (opts.lock) cache.owned.add(key);
    }
    return row as SyncRows[T] | undefined;
  }

  async put<T extends SyncTable>(table: T, row: SyncRows[T]): Promise<void> {
    const key = `${table}:${(row as { id: string }).id}`;
    // In a batch the row as the batch last left it is what devices saw before this write.
    const before = this.cache?.rows.has(key) ? this.cache.rows.get(key)! : this.seen.get(key);
    await this.writer.put(table, row as Row, before !== undefined ? { before } : {});
    this.seen.set(key, row as Row);
    if (this.cache) {
      this.cache.rows.set(key, structuredClone(row as Row));
      this.cache.owned.add(key);
    }
  }

  /**
   * Who held the household at `atMs`: the last hand-over before then, or — when the history
   * starts later — the member it was first taken from, or today's liaison if it never moved.
   */
  async heldAt(householdId: string, memberId: string, atMs: number): Promise<boolean> {
    const at = new Date(atMs);
    const trx = await this.db(['households']);
    const before = await trx
      .selectFrom('household_assignments').select('to_member_id')
      .where('household_id', '=', householdId).where('at', '<=', at)
      .orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (before) return before.to_member_id === memberId;
    const after = await trx
      .selectFrom('household_assignments').select('from_member_id')
      .where('household_id', '=', householdId).where('at', '>', at)
      .orderBy('at').orderBy('id').limit(1).executeTakeFirst();
    if (after) return after.from_member_id === memberId;
    const h = await trx.selectFrom('households').select('member_id').where('id', '=', householdId).executeTakeFirst();
    return h?.member_id === memberId;
  }

  async person(id: string): Promise<Person | undefined> {
    const trx = await this.db(['members', 'units']);
    const member = await trx
      .selectFrom('members')
      .innerJoin('units', 'units.id', 'members.unit_id')
      .select(['members.id', 'members.user_id', 'units.path'])
      .where((eb) => eb.or([eb('members.id', '=', id), eb('members.user_id', '=', id)]))
      .where('members.retired_at', 'is', null)
      .executeTakeFirst();
    const userId = member?.user_id ?? id;
    const grants = await trx
      .selectFrom('grants').innerJoin('units', 'units.id', 'grants.unit_id')
      .select('units.path').where('grants.user_id', '=', userId).where('units.retired_at', 'is', null)
      .execute();
    if (!member && grants.length === 0) return undefined;
    return { userId, memberId: member?.id ?? null, unitPath: member ? textToPath(member.path) : null, grantPaths: grants.map((g) => textToPath(g.path)) };
  }

  /** A conflict belongs where its record does: its households' liaisons and its branch's supervisors see it. */
  async addConflict(c: ConflictInput): Promise<void> {
    const record = await this.get(c.table, c.recordId);
    const home = record ? await recordHome(this, c.table, record as Row) : { householdIds: [], unitId: null };
    if (!home.unitId) throw new Error(`conflict on ${c.table} ${c.recordId}: the record has no unit`);
    await this.writer.put(
      'conflicts',
      {
        id: uuidv7(), tableName: c.table, recordId: c.recordId, householdIds: home.householdIds, unitId: home.unitId, field: c.field,
        policy: c.policy, keptValue: c.keptValue ?? null, lostValue: c.lostValue ?? null, keptBy: c.keptBy, lostBy: c.lostBy,
        keptHlc: c.keptHlc, lostHlc: c.lostHlc, status: c.status, createdAt: this.origin.now, resolvedAt: null,
        resolvedBy: null, resolution: null, resolutionNote: null,
      },
      { before: null, extra: { client_id: this.origin.clientId, mutation_id: this.origin.mutationId } },
    );
  }

  async addEvent(e: RecordEvent): Promise<void> {
    const trx = await this.db();
    this.writer.writes += 1;
    await trx
      .insertInto('record_events')
      .values({ table_name: e.table, record_id: e.recordId, from_status: e.from, to_status: e.to, unit_id: e.unitId, note: e.note, by_user_id: this.origin.userId, hlc: this.origin.hlc })
      .execute();
  }
}
