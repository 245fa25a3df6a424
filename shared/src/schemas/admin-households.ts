import { Type, type Static, type TSchema } from 'typebox';
import { HouseholdUpdateArgs } from '../kinds/households.ts';
import { Line, literals, Uuid } from './common.ts';
import { Address } from './household.ts';

/**
 * The admin console's households, assignments and audit log (issue 10): what the desk sends and
 * what it gets back. Inputs are bounded (the server refuses to start otherwise); replies carry
 * exactly these fields.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
/** A reply's instant, read from the server's own tables (no input range rule). */
const Instant = Type.String({ format: 'date-time' });
const Page = Type.Integer({ minimum: 1, maximum: 100_000 });
const PageSize = Type.Integer({ minimum: 1, maximum: 200 });
/** A calendar day, China time ('2025-03-01'): a from/to filter covers whole days. */
export const Day = Type.String({ format: 'date', pattern: '^20[0-9]{2}-[01][0-9]-[0-3][0-9]$', maxLength: 10 });

// ---------------------------------------------------------------- households

/**
 * `GET /api/admin/households` — households of the caller's subtrees (admins; supervisors read
 * with phones masked and sensitive care tags hidden outside the subtrees they administer).
 * `unitId`: that unit's subtree. `q`: text in the head's name, the address or the phone.
 * `liaison`: with or without a liaison member. `archived`: `active` (default), `archived`, `all`.
 * Sorted by unit path, then head name.
 */
export const AdminHouseholdQuery = Type.Object(
  {
    unitId: Type.Optional(Uuid),
    q: Type.Optional(Line(60)),
    liaison: Type.Optional(literals(['assigned', 'unassigned'])),
    memberId: Type.Optional(Uuid),
    archived: Type.Optional(literals(['active', 'archived', 'all'])),
    page: Type.Optional(Page),
    pageSize: Type.Optional(PageSize),
  },
  { additionalProperties: false },
);
export type AdminHouseholdQuery = Static<typeof AdminHouseholdQuery>;

/** A liaison member as the desk shows them. */
export const LiaisonMember = Type.Object({ memberId: Uuid, name: Type.String(), phone: Type.String() });
export type LiaisonMember = Static<typeof LiaisonMember>;

/** One household on the admin list and in the edit form. */
export const AdminHousehold = Type.Object({
  id: Uuid,
  unitId: Uuid,
  unitName: Type.String(),
  /** Names from the top of the caller's tree down to the household's unit ('某区', '某镇', …). */
  unitPathNames: Type.Array(Type.String()),
  memberId: Nullable(Uuid),
  liaison: Nullable(LiaisonMember),
  headName: Type.String(),
  phone: Nullable(Type.String()),
  size: Type.Integer(),
  address: Address,
  careTags: Type.Array(Type.String()),
  notes: Type.String(),
  archivedAt: Nullable(Instant),
  updatedAt: Instant,
  /**
   * Per editable field, the version the caller is looking at: an edit sends it back as
   * `baseVersion`, so the desk's edit merges with phones' edits by the one field rule.
   */
  fieldVersions: Type.Record(Type.String(), Type.Integer()),
  /** May the caller change it (it lies in a subtree they administer)? */
  editable: Type.Boolean(),
});
export type AdminHousehold = Static<typeof AdminHousehold>;

export const AdminHouseholdPage = Type.Object({ total: Count, page: Type.Integer(), pageSize: Type.Integer(), households: Type.Array(AdminHousehold) });
export type AdminHouseholdPage = Static<typeof AdminHouseholdPage>;

/**
 * `PATCH /api/admin/households/:id` — the same field changes a phone sends (`household.update`):
 * `{field: {value, baseVersion}}` with the version from `fieldVersions`. A field someone else
 * changed meanwhile is settled by its policy (a phone number: the later edit; identity, address,
 * size, care tags: kept, and a conflict opened for review) and the reply says `conflict`.
 */
export const AdminHouseholdEdit = Type.Object({ changes: HouseholdUpdateArgs.properties.changes }, { additionalProperties: false });
export type AdminHouseholdEdit = Static<typeof AdminHouseholdEdit>;

export const AdminHouseholdEditResult = Type.Object({ status: literals(['applied', 'conflict']), household: AdminHousehold });
export type AdminHouseholdEditResult = Static<typeof AdminHouseholdEditResult>;

// ---------------------------------------------------------------- assignment

/** The per-member load rule a move is judged by (3–5 by default; the deployment's config). */
export const Limits = Type.Object({ min: Type.Integer(), max: Type.Integer() });

/**
 * A warning about a member's load that does not stop the change: `below_min` (a member left
 * with fewer than the minimum), `above_max` (more than the maximum; only ever about a member
 * already over it). `message` is the Chinese sentence the desk shows.
 */
export const LoadWarning = Type.Object({
  code: literals(['below_min', 'above_max']),
  memberId: Uuid,
  name: Type.String(),
  households: Count,
  limit: Type.Integer(),
  message: Type.String(),
});
export type LoadWarning = Static<typeof LoadWarning>;

/**
 * `POST /api/admin/households/:id/archive` (or `/unarchive`), no body. Archiving takes the
 * household off every phone and off its liaison's list (their load drops: see `warnings`);
 * its visits and disputes stay. Unarchiving brings it back without a liaison. Both are
 * idempotent.
 */
export const ArchiveResult = Type.Object({ household: AdminHousehold, warnings: Type.Array(LoadWarning) });
export type ArchiveResult = Static<typeof ArchiveResult>;

/**
 * `POST /api/admin/assignments/preview` and `POST /api/admin/assignments`: give these
 * households to this member (`null`: to nobody). The preview changes nothing; the apply does
 * all of it or nothing, under the same rules (it answers 422 with the first blocking code).
 */
export const AssignmentRequest = Type.Object(
  {
    householdIds: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }),
    memberId: Nullable(Uuid),
  },
  { additionalProperties: false },
);
export type AssignmentRequest = Static<typeof AssignmentRequest>;

const MemberRef = Nullable(Type.Object({ memberId: Uuid, name: Type.String() }));

/** One household that would change hands. */
export const AssignmentMove = Type.Object({ householdId: Uuid, headName: Type.String(), from: MemberRef, to: MemberRef });
export type AssignmentMove = Static<typeof AssignmentMove>;

/** A member whose load the change touches: households held before and after. */
export const MemberLoad = Type.Object({ memberId: Uuid, name: Type.String(), unitName: Type.String(), before: Count, after: Count });
export type MemberLoad = Static<typeof MemberLoad>;

/**
 * A reason the change cannot be made, as the error it would answer: `MEMBER_AT_CAPACITY`,
 * `MEMBER_UNIT_MISMATCH`, `HOUSEHOLD_ARCHIVED`, `FORBIDDEN` (outside the caller's subtrees),
 * `NOT_FOUND`; `householdId` names the household when it is about one.
 */
export const AssignmentBlock = Type.Object({ code: Type.String(), message: Type.String(), householdId: Nullable(Uuid) });
export type AssignmentBlock = Static<typeof AssignmentBlock>;

export const AssignmentPreview = Type.Object({
  limits: Limits,
  moves: Type.Array(AssignmentMove),
  /** Households already with that member: nothing to do. */
  unchanged: Count,
  members: Type.Array(MemberLoad),
  warnings: Type.Array(LoadWarning),
  blocks: Type.Array(AssignmentBlock),
  /** The whole change in one Chinese sentence ("3 户从 张三 移到 李四；张三 剩 2 户，低于最少 3 户"). */
  summary: Type.String(),
});
export type AssignmentPreview = Static<typeof AssignmentPreview>;

/** What the apply did: the preview it carried out (its `blocks` are empty). */
export const AssignmentResult = Type.Object({ moved: Count, preview: AssignmentPreview });
export type AssignmentResult = Static<typeof AssignmentResult>;

/** `GET /api/admin/assignments/gaps?unitId=` — within the caller's subtrees (or that unit's). */
export const AssignmentGapsQuery = Type.Object({ unitId: Type.Optional(Uuid) }, { additionalProperties: false });

export const GapMember = Type.Object({ memberId: Uuid, name: Type.String(), phone: Type.String(), unitId: Uuid, unitName: Type.String(), households: Count });
export const GapHousehold = Type.Object({ householdId: Uuid, headName: Type.String(), unitId: Uuid, unitName: Type.String() });

/** Each list holds its first 500 entries in unit order; `totals` counts them all. */
export const AssignmentGaps = Type.Object({
  limits: Limits,
  membersUnderMin: Type.Array(GapMember),
  membersOverMax: Type.Array(GapMember),
  householdsWithoutLiaison: Type.Array(GapHousehold),
  totals: Type.Object({ membersUnderMin: Count, membersOverMax: Count, householdsWithoutLiaison: Count }),
});
export type AssignmentGaps = Static<typeof AssignmentGaps>;

// ---------------------------------------------------------------- audit log

/**
 * `GET /api/admin/audit` (newest first) and `GET /api/admin/audit.xlsx` (the same filters, no
 * paging) — entries of the caller's administered subtrees. `action`: an action code
 * ('household.assign'); `actor`: text in the actor's name or phone; `target`: the target's id,
 * or text in its before/after (a head's name); `from`/`to`: whole days, China time;
 * `unitId`: that unit's subtree.
 */
export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', maxLength: 60 })),
    actor: Type.Optional(Line(60)),
    target: Type.Optional(Line(100)),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    unitId: Type.Optional(Uuid),
    page: Type.Optional(Page),
    pageSize: Type.Optional(PageSize),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntryView = Type.Object({
  id: Type.String(),
  at: Instant,
  /** Labelled by shared/src/domain/audit-actions.ts. */
  action: Type.String(),
  actorUserId: Uuid,
  actorName: Type.String(),
  actorPhone: Type.String(),
  targetKind: Type.String(),
  targetId: Type.String(),
  unitId: Nullable(Uuid),
  unitPathNames: Type.Array(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export type AuditEntryView = Static<typeof AuditEntryView>;

export const AuditPage = Type.Object({ total: Count, page: Type.Integer(), pageSize: Type.Integer(), entries: Type.Array(AuditEntryView) });
export type AuditPage = Static<typeof AuditPage>;
