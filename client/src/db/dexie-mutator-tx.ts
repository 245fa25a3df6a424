import type { MeReply } from '@shared/schemas/account.ts';
import type { MutatorTx, Person } from '@shared/sync/mutator-tx.ts';
import { kindOf, type SyncRows, type SyncTable } from '@shared/sync/registry.ts';
import type { LianxinDb } from './lianxin-db.ts';

type Row = Record<string, unknown>;

/**
 * The phone's side of the shared MutatorTx, over Dexie tables inside the caller's transaction.
 * The phone trusts its own copy: a household on the device is one the member held; conflicts
 * and record histories are the server's to record and arrive by pull.
 */
export class DexieMutatorTx implements MutatorTx {
  constructor(
    private readonly db: LianxinDb,
    private readonly me: MeReply,
  ) {}

  async get<T extends SyncTable>(table: T, id: string): Promise<SyncRows[T] | undefined> {
    return this.db.rows(table).get(id);
  }

  /** The row a pull would carry: the looked-up fields (unit paths) filled as the server would. */
  async put<T extends SyncTable>(table: T, row: SyncRows[T]): Promise<void> {
    const filled = { ...(row as Row) };
    for (const [field, lookup] of Object.entries(kindOf(table).lookups ?? {})) {
      if (!lookup || lookup.table !== 'units') continue; // users are not on the phone: keep the row's value
      const key = filled[lookup.key];
      if (typeof key !== 'string') continue;
      const unit = (await this.db.units.get(key)) as Row | undefined;
      filled[field] = unit?.[lookup.column] ?? pathFromRow(filled, key) ?? filled[field];
    }
    await this.db.rows(table).put(filled as SyncRows[T]);
  }

  async heldAt(householdId: string): Promise<boolean> {
    return (await this.db.households.get(householdId)) !== undefined;
  }

  /** A member of the local scope, or the user of this device; others are the server's to judge. */
  async person(id: string): Promise<Person | undefined> {
    const member = (await this.db.members.get(id)) ?? (await this.db.members.where('userId').equals(id).first());
    const isMe = id === this.me.id || id === this.me.member?.id;
    if (!member && !isMe) return undefined;
    const unitId = member?.unitId ?? this.me.member?.unit.id;
    const unitPath = unitId ? ((await this.db.units.get(unitId))?.path ?? null) : null;
    const grantPaths = isMe ? await Promise.all(this.me.units.map(async (u) => (await this.db.units.get(u.id))?.path ?? [u.id])) : [];
    return { userId: member?.userId ?? this.me.id, memberId: member?.id ?? this.me.member?.id ?? null, unitPath, grantPaths };
  }

  async addConflict(): Promise<void> {}

  async addEvent(): Promise<void> {}
}

/**
 * A unit the phone does not hold (the tier above a supervisor's subtree) still lies on a path
 * the row carries: the part of that path that ends at the unit is the unit's own path.
 */
function pathFromRow(row: Row, unitId: string): string[] | undefined {
  for (const value of Object.values(row)) {
    if (!Array.isArray(value)) continue;
    const at = value.indexOf(unitId);
    if (at >= 0) return value.slice(0, at + 1) as string[];
  }
  return undefined;
}
