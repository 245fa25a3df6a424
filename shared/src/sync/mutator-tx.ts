import type { Scope } from '../domain/scope.ts';
import type { SyncRows, SyncTable } from './registry.ts';

/** Per editable field: how many edits it has had, the stamp and the user of the last one. */
export interface FieldMeta {
  v: number;
  hlc?: string;
  by?: string;
  /** The device that made the last edit: its later edits build on it (it sends them in order). */
  c?: string;
}
export type FieldMetaMap = Record<string, FieldMeta>;

/** A concurrent edit the rules settled (`logged`) or left for a person (`open`). */
export interface ConflictInput {
  table: SyncTable;
  recordId: string;
  field: string;
  policy: 'lww' | 'review' | 'transition';
  keptValue: unknown;
  lostValue: unknown;
  keptBy: string | null;
  lostBy: string | null;
  keptHlc: string | null;
  lostHlc: string;
  status: 'open' | 'logged';
}

/** A step in a record's life cycle, kept as its history (server side). */
export interface RecordEvent {
  table: SyncTable;
  recordId: string;
  from: string | null;
  to: string;
  /** The unit handling the record after the step. */
  unitId: string;
  note: string;
}

/** Someone named in a record (a mediator), by member id or user id, as far as this side knows them. */
export interface Person {
  userId: string;
  memberId: string | null;
  /** The member's branch path, when they are a liaison member. */
  unitPath: string[] | null;
  /** Paths of the units they supervise or administer. */
  grantPaths: string[][];
}

/** Who runs the mutation, when, and on which side. */
export interface MutatorContext {
  side: 'client' | 'server';
  userId: string;
  memberId: string | null;
  scope: Scope;
  /** The mutation's HLC stamp (clamped to server time on the server). */
  hlc: string;
  /** Now, as an ISO string: the server's clock on the server, the device's on the client. */
  now: string;
  /** The device's clock when it made the change (ms, the HLC's wall time before any clamping). */
  deviceNow: number;
  /** The device the mutation comes from. */
  clientId?: string;
}

/**
 * The small transaction interface each side implements — Kysely on the server, Dexie on the
 * phone — over the rows of the record-kind registry, so that one mutator function is the only
 * home of each rule. `put` writes a whole row; each side fills the looked-up fields (paths) and,
 * on the server, records the change for the devices that see it.
 */
export interface MutatorTx {
  get<T extends SyncTable>(table: T, id: string, opts?: { lock?: boolean }): Promise<SyncRows[T] | undefined>;
  put<T extends SyncTable>(table: T, row: SyncRows[T]): Promise<void>;
  /** Did the member hold the household at that moment (ms)? The phone trusts its own copy. */
  heldAt(householdId: string, memberId: string, atMs: number): Promise<boolean>;
  /** A person by member or user id; undefined when this side does not know them. */
  person(id: string): Promise<Person | undefined>;
  /** Server only: the phone learns conflicts and history by pull. */
  addConflict(conflict: ConflictInput): Promise<void>;
  addEvent(event: RecordEvent): Promise<void>;
}

/** What a mutator reports when it did not throw. */
export interface MutatorResult {
  status: 'applied' | 'duplicate' | 'conflict';
  /** Accepted although the household had been assigned away (made while it was still held). */
  late?: boolean;
  /** A time in the record ran ahead of the server's clock and was set to the server's time. */
  clamped?: boolean;
}
