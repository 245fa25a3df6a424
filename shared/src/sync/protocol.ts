import { Type, type Static } from 'typebox';
import { IsoDateTime, Uuid } from '../schemas/common.ts';
import { Household } from '../schemas/household.ts';
import { Dispute, Mediation, Visit } from '../schemas/records.ts';
import { Unit } from '../schemas/unit.ts';

/**
 * The sync wire contract (DESIGN.md, "Wire contract"): push, pull and the rows a pull carries.
 * Both sides read these types; the server validates bodies against them.
 */

/** What a device says of itself on every push and pull, and when it reports an earlier failure. */
export const Telemetry = Type.Object(
  {
    appVersion: Type.Optional(Type.String({ maxLength: 40 })),
    outboxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    /** When the oldest mutation still waiting in the outbox was made. */
    oldestPendingAt: Type.Optional(Type.Union([IsoDateTime, Type.Null()])),
    storageUsed: Type.Optional(Type.Integer({ minimum: 0 })),
    storageQuota: Type.Optional(Type.Integer({ minimum: 0 })),
    storagePersisted: Type.Optional(Type.Boolean()),
    lastError: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    lastErrorAt: Type.Optional(Type.Union([IsoDateTime, Type.Null()])),
  },
  { additionalProperties: false },
);
export type Telemetry = Static<typeof Telemetry>;

const ClientId = Type.String({ minLength: 8, maxLength: 64 });

export const PushMutation = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    name: Type.String({ maxLength: 60 }),
    // Checked per mutation by the shared schemas, so one bad entry is rejected, not the batch.
    args: Type.Unknown(),
    hlc: Type.String({ pattern: '^[0-9a-f]{16}-[0-9a-f]{4}-.+$', maxLength: 120 }),
  },
  { additionalProperties: false },
);
export type PushMutation = Static<typeof PushMutation>;

export const PushBody = Type.Object(
  {
    clientId: ClientId,
    schemaVersion: Type.Integer({ minimum: 0 }),
    mutations: Type.Array(PushMutation, { maxItems: 500 }),
    telemetry: Type.Optional(Telemetry),
  },
  { additionalProperties: false },
);
export type PushBody = Static<typeof PushBody>;

export const MutationStatus = Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('rejected'), Type.Literal('conflict')]);
export type MutationStatus = Static<typeof MutationStatus>;

export const PushResult = Type.Object({
  id: Type.Integer(),
  status: MutationStatus,
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type PushResult = Static<typeof PushResult>;

export const PushReply = Type.Object({ lastMutationId: Type.Integer(), results: Type.Array(PushResult) });
export type PushReply = Static<typeof PushReply>;

export const PullBody = Type.Object(
  {
    clientId: ClientId,
    cursor: Type.Union([Type.String({ maxLength: 20000 }), Type.Null()]),
    telemetry: Type.Optional(Telemetry),
  },
  { additionalProperties: false },
);
export type PullBody = Static<typeof PullBody>;

/** Failures the device could not tell the server at the time (it was offline). */
export const ReportBody = Type.Object({ clientId: ClientId, telemetry: Telemetry }, { additionalProperties: false });
export type ReportBody = Static<typeof ReportBody>;

// Rows as a pull carries them.
export const UnitRow = Type.Object({ ...Unit.properties, path: Type.Array(Uuid) });
export type UnitRow = Static<typeof UnitRow>;

export const MemberRow = Type.Object({
  id: Uuid,
  userId: Uuid,
  unitId: Uuid,
  name: Type.String(),
  centralHousehold: Type.Boolean(),
});
export type MemberRow = Static<typeof MemberRow>;

const FieldMetaSchema = Type.Object({ v: Type.Integer(), hlc: Type.Optional(Type.String()), by: Type.Optional(Type.String()), c: Type.Optional(Type.String()) });

/** A household with its per-field versions (the `baseVersion` of the next edit) and its unit's path. */
export const HouseholdRow = Type.Object({
  ...Household.properties,
  fieldMeta: Type.Record(Type.String(), FieldMetaSchema),
  unitPath: Type.Array(Uuid),
});
export type HouseholdRow = Static<typeof HouseholdRow>;

export const VisitRow = Visit;
export type VisitRow = Visit;

export const DisputeRow = Type.Object({
  ...Dispute.properties,
  branchUnitId: Uuid,
  branchPath: Type.Array(Uuid),
  unitPath: Type.Array(Uuid),
  statusBy: Type.Union([Uuid, Type.Null()]),
  hlc: Type.String(),
});
export type DisputeRow = Static<typeof DisputeRow>;

export const MediationRow = Mediation;
export type MediationRow = Mediation;

/** A concurrent edit settled by policy (logged) or waiting for a supervisor (open). */
export const ConflictRow = Type.Object({
  id: Uuid,
  tableName: Type.Union([Type.Literal('households'), Type.Literal('disputes')]),
  recordId: Uuid,
  householdIds: Type.Array(Uuid),
  field: Type.String(),
  policy: Type.Union([Type.Literal('lww'), Type.Literal('review'), Type.Literal('transition')]),
  keptValue: Type.Unknown(),
  lostValue: Type.Unknown(),
  keptBy: Type.Union([Uuid, Type.Null()]),
  lostBy: Type.Union([Uuid, Type.Null()]),
  keptHlc: Type.Union([Type.String(), Type.Null()]),
  lostHlc: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('logged'), Type.Literal('resolved')]),
  createdAt: IsoDateTime,
  resolvedAt: Type.Union([IsoDateTime, Type.Null()]),
  resolutionNote: Type.Union([Type.String(), Type.Null()]),
});
export type ConflictRow = Static<typeof ConflictRow>;

export interface SyncRows {
  units: UnitRow;
  members: MemberRow;
  households: HouseholdRow;
  visits: VisitRow;
  disputes: DisputeRow;
  mediations: MediationRow;
  conflicts: ConflictRow;
}
export type SyncTable = keyof SyncRows;
/** In the order a snapshot sends them (parents first). */
export const SYNC_TABLES: readonly SyncTable[] = ['units', 'members', 'households', 'visits', 'disputes', 'mediations', 'conflicts'];

/**
 * One step of a pull. A `del` of a household also removes, on the device, its visits, its
 * disputes (when no other party is still held) and their mediations — the server does not list them.
 */
export type PatchOp =
  | { [T in SyncTable]: { op: 'put'; table: T; row: SyncRows[T] } }[SyncTable]
  | { op: 'del'; table: SyncTable; id: string }
  | { op: 'clear' };

export interface PullReply {
  cursor: string;
  more: boolean;
  lastMutationId: number;
  patch: PatchOp[];
  /** The device was revoked: erase local data (after handing over pending work, for `retire`). */
  wipe?: 'retire' | 'lost';
}

/** The data-free message the poke socket sends. */
export interface PokeMessage {
  type: 'poke';
}
