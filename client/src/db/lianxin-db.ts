import Dexie, { type DexieOptions, type Table } from 'dexie';
import { allKinds, syncTables, type SyncRows, type SyncTable } from '@shared/sync/registry.ts';

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
 * - `lastSyncedAt`, `lastError`, `lastErrorAt`: shown to the member and sent as telemetry;
 *   `lastErrorReason`: the error's kind (sync/failure-reason.ts), for the status line.
 */
export type MetaKey =
  | 'clientId' | 'nextMutationId' | 'hlc' | 'cursor' | 'lastMutationId' | 'deferredDeletes'
  | 'lastSyncedAt' | 'lastError' | 'lastErrorAt' | 'lastErrorReason';

export interface MetaRow {
  key: MetaKey | (string & {});
  value: unknown;
}

/** One Dexie table per record kind, typed by the kind's row. */
type KindTables = { [T in SyncTable]: Table<SyncRows[T], string> };

/** Dexie's schema: every registered kind with its indexes, then the device's own tables. */
function schema(): Record<string, string> {
  const kinds = Object.fromEntries(allKinds().map((k) => [k.table, k.indexes ? `id, ${k.indexes}` : 'id']));
  return { ...kinds, outbox: 'id', rejected: 'id', meta: 'key' };
}

// The class gets a typed property per kind; Dexie creates them at run time from the schema.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface LianxinDb extends KindTables {}

/**
 * The rows of the user's scope, the outbox, refused work and device facts (DESIGN.md, client
 * side). The caller names the database (the app uses one per user) and may pass `indexedDB`
 * and `IDBKeyRange` in the options, as tests do with fake-indexeddb. The kinds' tables come
 * from the registry: Dexie 4 applies a changed schema (a new kind, a new index) by itself.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class LianxinDb extends Dexie {
  outbox!: Table<OutboxEntry, number>;
  rejected!: Table<RejectedEntry, number>;
  meta!: Table<MetaRow, string>;

  constructor(name = 'lianxin', options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(schema());
  }

  /** A kind's table by name. */
  rows<T extends SyncTable>(table: T): Table<SyncRows[T], string> {
    return this.table(table) as Table<SyncRows[T], string>;
  }

  /** The synced tables, in the order a snapshot fills them. */
  dataTables(): Table<{ id: string }, string>[] {
    return syncTables().map((t) => this.table(t));
  }

  async getMeta<T>(key: MetaKey): Promise<T | undefined> {
    return (await this.meta.get(key))?.value as T | undefined;
  }

  async setMeta(key: MetaKey, value: unknown): Promise<void> {
    await this.meta.put({ key, value });
  }
}
