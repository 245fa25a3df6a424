import { Type, type Static, type TSchema } from 'typebox';
import { ConflictRow } from '../kinds/conflicts.ts';
import { MutationStatus } from '../sync/protocol.ts';
import { Uuid } from './common.ts';
import { Address } from './household.ts';
import { DisputeStatusSchema } from './records.ts';
import { UnitKindSchema } from './unit.ts';

/**
 * The supervisors' reports as JSON (`GET /api/reports/…`). The server declares these as its
 * response schemas, so a reply carries exactly these fields (anything else a query selects is
 * dropped on the way out), and the desk screens read the same types.
 */

/**
 * An instant the server read from its own tables. Not the input rule `IsoDateTime` (years
 * 2000–2099): a reply must not fail on a value stored before that rule was tightened.
 */
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/*
 * Fields that may be null carry no `format`: Fastify's serializer checks each value against the
 * branches of a union, and date-time and uuid checks there made a 5,000-member sync report
 * nearly four times slower to write (102 ms against 27 ms; JSON.stringify takes 16 ms).
 */
const InstantOrNull = Nullable(Type.String({ description: 'ISO 8601 instant' }));
const IdOrNull = Nullable(Type.String({ description: 'UUID' }));
const Count = Type.Integer({ minimum: 0 });

/** One liaison member and one of their devices (or none yet: "never synced"). */
export const SyncReportRow = Type.Object({
  memberId: Uuid,
  memberName: Type.String(),
  unitId: Uuid,
  unitName: Type.String(),
  /** The member's unit path ('/district/…/branch/'): the screen filters a subtree by it. */
  unitPath: Type.String(),
  clientId: Nullable(Type.String()),
  appVersion: Nullable(Type.String()),
  /** The User-Agent its browser sent at its latest sync: the desk names the device by it (domain/device-name.ts). */
  userAgent: Nullable(Type.String()),
  /** When the server first heard from the device. */
  firstSeenAt: InstantOrNull,
  lastPushAt: InstantOrNull,
  lastPullAt: InstantOrNull,
  /** Outbox length the device last reported. */
  pending: Nullable(Count),
  oldestPendingAt: InstantOrNull,
  /** The period's mutations from the log: applied (or duplicate, or conflict) and refused. */
  applied: Count,
  rejected: Count,
  /** Open conflicts in which this member's edit lost. */
  conflictsOpen: Count,
  clockSkewWarning: Type.Boolean(),
  lastError: Nullable(Type.String()),
  /** Never pushed nor pulled (or no device at all): 从未同步, which is not stale. */
  neverSynced: Type.Boolean(),
  /** Synced before, but no push or pull within `staleDays`. */
  stale: Type.Boolean(),
  revoked: Type.Union([Type.Literal('retire'), Type.Literal('lost'), Type.Null()]),
});
export type SyncReportRow = Static<typeof SyncReportRow>;

/** The sync rows counted at a unit and every unit above it in the caller's scope. */
export const SyncUnitRollUp = Type.Object({
  unitId: Uuid,
  unitName: Type.String(),
  members: Count,
  devices: Count,
  stale: Count,
  pending: Count,
  rejected: Count,
  conflictsOpen: Count,
});
export type SyncUnitRollUp = Static<typeof SyncUnitRollUp>;

/** `GET /api/reports/sync?days=&staleDays=` */
export const SyncReport = Type.Object({ rows: Type.Array(SyncReportRow), units: Type.Array(SyncUnitRollUp) });
export type SyncReport = Static<typeof SyncReport>;

/** One logged mutation of a device; `args` (what was typed) only on refusals. */
export const DeviceLogEntry = Type.Object({
  mutationId: Type.Integer(),
  name: Type.String(),
  status: MutationStatus,
  code: Nullable(Type.String()),
  message: Nullable(Type.String()),
  late: Type.Boolean(),
  clockClamped: Type.Boolean(),
  serverTime: Instant,
  hlc: Type.String(),
  args: Type.Optional(Type.Unknown()),
});
export type DeviceLogEntry = Static<typeof DeviceLogEntry>;

/** `GET /api/reports/sync/devices/:clientId` */
export const DeviceLog = Type.Object({ mutations: Type.Array(DeviceLogEntry) });
export type DeviceLog = Static<typeof DeviceLog>;

/** A household nobody visited within the period (or ever). */
export const UnvisitedHousehold = Type.Object({
  householdId: Uuid,
  headName: Type.String(),
  unitId: Uuid,
  unitName: Type.String(),
  memberId: IdOrNull,
  memberName: Nullable(Type.String()),
  lastVisitAt: InstantOrNull,
});
export type UnvisitedHousehold = Static<typeof UnvisitedHousehold>;

/** A liaison member holding fewer or more households than the limits. */
export const MemberLoad = Type.Object({ memberId: Uuid, memberName: Type.String(), unitId: Uuid, unitName: Type.String(), households: Count });
export type MemberLoad = Static<typeof MemberLoad>;

/** Visits of one duty in one month at one branch (`month` as 'YYYY-MM'). */
export const DutyMonth = Type.Object({ unitId: Uuid, unitName: Type.String(), duty: Type.String(), month: Type.String(), visits: Count });
export type DutyMonth = Static<typeof DutyMonth>;

/** Visits in one week (`week`: its Monday, 'YYYY-MM-DD', China time) and the households they reached. */
export const VisitWeek = Type.Object({ week: Type.String(), visits: Count, households: Count });
export type VisitWeek = Static<typeof VisitWeek>;

/** A unit of the caller's subtree with the coverage counted over its own subtree. */
export const CoverageUnit = Type.Object({
  unitId: Uuid,
  unitName: Type.String(),
  kind: UnitKindSchema,
  /** Segments of the unit's path: the screen indents by it. */
  depth: Type.Integer({ minimum: 1 }),
  households: Count,
  unvisited: Count,
  noLiaison: Count,
  membersOutOfRange: Count,
});
export type CoverageUnit = Static<typeof CoverageUnit>;

/** `GET /api/reports/coverage?days=30|60|90` */
export const CoverageReport = Type.Object({
  days: Type.Integer(),
  limits: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  byUnit: Type.Array(CoverageUnit),
  unvisited: Type.Array(UnvisitedHousehold),
  memberLoad: Type.Array(MemberLoad),
  withoutLiaison: Type.Array(UnvisitedHousehold),
  visitsByDuty: Type.Array(DutyMonth),
  /** The last twelve weeks, oldest first; weeks without a visit are absent. */
  visitsByWeek: Type.Array(VisitWeek),
});
export type CoverageReport = Static<typeof CoverageReport>;

/** A household a conflict is about, as a supervisor finds it: its head and its address. */
export const ConflictHousehold = Type.Object({
  householdId: Uuid,
  headName: Type.String(),
  /** The villager group or compound the address is in. */
  unitName: Type.String(),
  address: Address,
});
export type ConflictHousehold = Static<typeof ConflictHousehold>;

/** A conflict with the names of who wrote each side and of the households it is about: a supervisor decides between people. */
export const ConflictReview = Type.Object({
  ...ConflictRow.properties,
  keptByName: Nullable(Type.String()),
  lostByName: Nullable(Type.String()),
  households: Type.Array(ConflictHousehold),
});
export type ConflictReview = Static<typeof ConflictReview>;

/** `GET /api/reports/conflicts` */
export const ConflictsReport = Type.Object({ conflicts: Type.Array(ConflictReview) });
export type ConflictsReport = Static<typeof ConflictsReport>;

/** A dispute on the board: its branch, the unit handling it now, and how long it sat. */
export const DisputeBoardRow = Type.Object({
  id: Uuid,
  category: Type.String(),
  description: Type.String(),
  status: DisputeStatusSchema,
  riskLevel: Type.String(),
  openedAt: Instant,
  updatedAt: Instant,
  householdIds: Type.Array(Uuid),
  branchId: Uuid,
  branchName: Type.String(),
  handlerId: Uuid,
  handlerName: Type.String(),
  handlerKind: UnitKindSchema,
  /** Whole days since its last change. */
  ageDays: Type.Integer(),
  /** Sat longer in its status than the limit for it. */
  overdue: Type.Boolean(),
});
export type DisputeBoardRow = Static<typeof DisputeBoardRow>;

/** Days a dispute may stay in a status before it is overdue (closed never is). */
export const DisputeLimits = Type.Object({ open: Count, mediating: Count, escalated: Count, resolved: Count });
export type DisputeLimits = Static<typeof DisputeLimits>;

/** `GET /api/reports/disputes` */
export const DisputeBoard = Type.Object({ disputes: Type.Array(DisputeBoardRow), limits: DisputeLimits });
export type DisputeBoard = Static<typeof DisputeBoard>;

/** Work a retired device handed over, waiting for (or past) a supervisor's decision. */
export const HeldMutation = Type.Object({
  id: Type.Integer(),
  clientId: Type.String(),
  mutationId: Type.Integer(),
  name: Type.String(),
  /** What the member typed, as the device sent it. */
  args: Type.Unknown(),
  heldAt: Instant,
  decision: Type.Union([Type.Literal('accept'), Type.Literal('refuse'), Type.Null()]),
  resultCode: Nullable(Type.String()),
  memberName: Type.String(),
  unitName: Type.String(),
});
export type HeldMutation = Static<typeof HeldMutation>;

/** `GET /api/reports/held` */
export const HeldReport = Type.Object({ held: Type.Array(HeldMutation) });
export type HeldReport = Static<typeof HeldReport>;

/** `POST /api/reports/held/:id`: what running (or refusing) the held mutation gave. */
export const HeldDecision = Type.Object({
  id: Type.Integer(),
  decision: Type.Union([Type.Literal('accept'), Type.Literal('refuse')]),
  status: Type.String(),
  code: Nullable(Type.String()),
});
export type HeldDecision = Static<typeof HeldDecision>;
