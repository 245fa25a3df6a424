import { Type, type Static } from 'typebox';
import { IsoDateTime, Line, Text } from '../schemas/common.ts';
import type { SyncRows, SyncTable } from './registry.ts';

/**
 * The sync wire contract (DESIGN.md, "Wire contract"): push, pull and the steps a pull carries.
 * Both sides read these types; the server validates bodies against them. The rows themselves
 * are declared by their record kinds (shared/src/kinds/).
 */

/** A count or a size a device can report; beyond it the report is nonsense (and a bigint overflows). */
const Count = (maximum: number) => Type.Integer({ minimum: 0, maximum });

/** What a device says of itself on every push and pull, and when it reports an earlier failure. */
export const Telemetry = Type.Object(
  {
    appVersion: Type.Optional(Line(40)),
    outboxLength: Type.Optional(Count(10_000_000)),
    /** When the oldest mutation still waiting in the outbox was made. */
    oldestPendingAt: Type.Optional(Type.Union([IsoDateTime, Type.Null()])),
    storageUsed: Type.Optional(Count(Number.MAX_SAFE_INTEGER)),
    storageQuota: Type.Optional(Count(Number.MAX_SAFE_INTEGER)),
    storagePersisted: Type.Optional(Type.Boolean()),
    lastError: Type.Optional(Type.Union([Text(1000), Type.Null()])),
    lastErrorAt: Type.Optional(Type.Union([IsoDateTime, Type.Null()])),
    /** The device's clock when it sent this: how far it runs from the server's, measured every time. */
    deviceTime: Type.Optional(IsoDateTime),
  },
  { additionalProperties: false },
);
export type Telemetry = Static<typeof Telemetry>;

const ClientId = Line(64, 8);

export const PushMutation = Type.Object(
  {
    id: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
    name: Line(60),
    // Checked per mutation by the shared schemas, so one bad entry is rejected, not the batch.
    args: Type.Unknown(),
    hlc: Type.String({ pattern: '^[0-9a-f]{16}-[0-9a-f]{4}-[0-9A-Za-z_.:-]{1,80}$', maxLength: 120 }),
  },
  { additionalProperties: false },
);
export type PushMutation = Static<typeof PushMutation>;

export const PushBody = Type.Object(
  {
    clientId: ClientId,
    schemaVersion: Type.Integer({ minimum: 0, maximum: 1000 }),
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
    cursor: Type.Union([Type.String({ maxLength: 20000, pattern: '^[A-Za-z0-9_-]*$' }), Type.Null()]),
    telemetry: Type.Optional(Telemetry),
  },
  { additionalProperties: false },
);
export type PullBody = Static<typeof PullBody>;

/** Failures the device could not tell the server at the time (it was offline). */

export type { SyncRows, SyncTable } from './registry.ts';

/**
 * One step of a pull. A `del` of a household also removes, on the device, what it held only
 * because of that household (its kinds say what) — the server does not list them.
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
