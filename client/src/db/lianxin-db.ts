import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { ConflictRow, DisputeRow, HouseholdRow, MediationRow, MemberRow, SyncTable, UnitRow, VisitRow } from '@shared/sync/protocol.ts';

/** A mutation waiting to go up: `id` counts up per device from 1 and never repeats. */
export interface OutboxEntry {
  id: number;
  name: string;
  args: unknown;
  hlc: string;
  createdAt: string;
}

/** A mutation the server refused: kept with its reason until the member fixes or discards it. */
export interface RejectedEntry extends OutboxEntry {
  code: string;
  message: string;
  rejectedAt: string;
}

/**
 * What the device remembers about itself, one row per key:
 * - `clientId`: this installed copy (GLOSSARY: client); survives a wipe.
 * - `nextMutationId`: the id the next mutation gets; kept even when the outbox is empty or the
 *   device is wiped, so an id is never used twice (the server would skip it as a retry).
 * - `hlc`: the clock's last stamp, so stamps keep rising across reloads and wrong wall clocks.
 * - `cursor`, `lastMutationId`: where the last pull page left off, and what the server had taken.
 * - `deferredDeletes`: households the server took away while work for them still waited to go up.
 * - `lastSyncedAt`, `lastError`, `lastErrorAt`: shown to the member and sent as telemetry.
 */
export type MetaKey =
  | 'clientId' | 'nextMutationId' | 'hlc' | 'cursor' | 'lastMutationId' | 'deferredDeletes'
  | 'lastSyncedAt' | 'lastError' | 'lastErrorAt';

export interface MetaRow {
  key: MetaKey | (string & {});
  value: unknown;
}

/**
 * The rows of the user's scope, the outbox, refused work and device facts (DESIGN.md, client
 * side). The caller names the database (the app uses one per user) and may pass `indexedDB`
 * and `IDBKeyRange` in the options, as tests do with fake-indexeddb.
 */
export class LianxinDb extends Dexie {
  units!: Table<UnitRow, string>;
  members!: Table<MemberRow, string>;
  households!: Table<HouseholdRow, string>;
  visits!: Table<VisitRow, string>;
  disputes!: Table<DisputeRow, string>;
  mediations!: Table<MediationRow, string>;
  conflicts!: Table<ConflictRow, string>;
  outbox!: Table<OutboxEntry, number>;
  rejected!: Table<RejectedEntry, number>;
  meta!: Table<MetaRow, string>;

  constructor(name = 'lianxin', options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({
      units: 'id, parentId',
      members: 'id, unitId',
      households: 'id, unitId, memberId',
      visits: 'id, householdId, memberId, visitedAt',
      disputes: 'id, *householdIds, unitId, status',
      mediations: 'id, disputeId',
      conflicts: 'id, recordId, status, *householdIds',
      outbox: 'id',
      rejected: 'id',
      meta: 'key',
    });
  }

  /** The synced tables, in the order a snapshot fills them. */
  dataTables(): Table<{ id: string }, string>[] {
    return DATA_TABLES.map((t) => this.table(t));
  }

  async getMeta<T>(key: MetaKey): Promise<T | undefined> {
    return (await this.meta.get(key))?.value as T | undefined;
  }

  async setMeta(key: MetaKey, value: unknown): Promise<void> {
    await this.meta.put({ key, value });
  }
}

export const DATA_TABLES: readonly SyncTable[] = ['units', 'members', 'households', 'visits', 'disputes', 'mediations', 'conflicts'];
