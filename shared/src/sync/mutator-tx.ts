import type { Scope } from '../domain/scope.ts';
import type { HouseholdField } from '../domain/household.ts';
import type { UnitKind } from '../domain/org-tree.ts';
import type { Household } from '../schemas/household.ts';
import type { Dispute, Mediation, Visit } from '../schemas/records.ts';

/** Per editable field: how many edits it has had, the stamp and the user of the last one. */
export interface FieldMeta {
  v: number;
  hlc?: string;
  by?: string;
  /** The device that made the last edit: its later edits build on it (it sends them in order). */
  c?: string;
}
export type FieldMetaMap = Partial<Record<HouseholdField, FieldMeta>>;

/** A household as the mutators see it: the record, its field versions and its branch's path. */
export interface HouseholdState extends Household {
  fieldMeta: FieldMetaMap;
  unitPath: string[];
}

export interface DisputeState extends Dispute {
  /** Who last set the status, and the stamp of that change: the kept side of a transition conflict. */
  statusBy: string | null;
  hlc: string;
  /** The parties' branch and its path: who may see and act on it. */
  branchUnitId: string;
  branchPath: string[];
  /** The handling unit's path; its kind decides where an escalation goes. */
  unitPath: string[];
}

export interface ConflictInput {
  table: 'households' | 'disputes';
  recordId: string;
  field: string;
  policy: 'lww' | 'review' | 'transition';
  keptValue: unknown;
  lostValue: unknown;
  keptBy: string | null;
  lostBy: string | null;
  keptHlc: string | null;
  lostHlc: string;
  /** lww losses are logged as settled; review and transition conflicts wait for a person. */
  status: 'open' | 'logged';
}

/** A conflict as the settling mutator needs it. */
export interface ConflictState {
  id: string;
  tableName: 'households' | 'disputes';
  recordId: string;
  field: string;
  keptValue: unknown;
  lostValue: unknown;
  status: 'open' | 'logged' | 'resolved';
  unitPath: string[];
}

export interface DisputeEventInput {
  disputeId: string;
  from: string | null;
  to: string;
  unitId: string;
  note: string;
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
  /** The device the mutation comes from. */
  clientId?: string;
}

/**
 * The small transaction interface each side implements — Kysely on the server, Dexie on the
 * client — so that one mutator function is the only home of each rule.
 */
export interface MutatorTx {
  getHousehold(id: string): Promise<HouseholdState | undefined>;
  updateHousehold(id: string, patch: Partial<Pick<Household, HouseholdField>>, fieldMeta: FieldMetaMap, now: string): Promise<void>;
  getVisit(id: string): Promise<Visit | undefined>;
  putVisit(visit: Visit, isNew: boolean): Promise<void>;
  getDispute(id: string): Promise<DisputeState | undefined>;
  putDispute(dispute: Dispute & { branchUnitId: string; statusBy: string; hlc: string }, isNew: boolean): Promise<void>;
  addDisputeEvent(event: DisputeEventInput): Promise<void>;
  getMediation(id: string): Promise<Mediation | undefined>;
  putMediation(mediation: Mediation): Promise<void>;
  /** The parent of a unit, for escalation; undefined at the top or when not known here. */
  parentUnit(unitId: string): Promise<{ id: string; kind: UnitKind; path: string[] } | undefined>;
  /** Did the member hold the household at that moment (ms)? The client trusts its own copy. */
  heldAt(householdId: string, memberId: string, atMs: number): Promise<boolean>;
  addConflict(conflict: ConflictInput): Promise<void>;
  getConflict(id: string): Promise<ConflictState | undefined>;
  /** Marks a conflict settled by a person, with the value kept and their comment. */
  settleConflict(id: string, settlement: { keep: 'current' | 'other'; comment: string; by: string; at: string }): Promise<void>;
}

/** What a mutator reports when it did not throw. */
export interface MutatorResult {
  status: 'applied' | 'duplicate' | 'conflict';
  /** Accepted although the household had been assigned away (made while it was still held). */
  late?: boolean;
}
