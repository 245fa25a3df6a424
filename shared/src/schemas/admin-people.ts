/**
 * The admin console's contracts for the org tree search, people, grants and accounts (issue 10).
 * Every endpoint here is scoped to the caller's admin subtrees; the desk's pages code against
 * these names, so they stay stable.
 */
import { Type, type Static } from 'typebox';
import { GrantRoleSchema, RoleSchema } from './account.ts';
import { IsoDateTime, Line, Password, Uuid } from './common.ts';
import { UnitKindSchema } from './unit.ts';

/** A unit as the desk names it: its kind and the names from the root down to itself. */
export const UnitLabel = Type.Object({
  id: Uuid,
  kind: UnitKindSchema,
  name: Type.String(),
  /** Names from the tree's root down to this unit, itself included (粤海区 › 平冈镇 › 石岭村党委). */
  pathNames: Type.Array(Type.String()),
});
export type UnitLabel = Static<typeof UnitLabel>;

// ---- GET /api/admin/units?q= — unit search within the caller's admin subtrees ----

export const UNIT_SEARCH_MAX = 50;

export const UnitSearchQuery = Type.Object(
  {
    /** Part of the name (case-insensitive); empty or absent lists the first units by path. */
    q: Type.Optional(Line(60)),
    kind: Type.Optional(UnitKindSchema),
    /** Only units members and households may sit in (a target for "move member"). */
    liaisonOnly: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: UNIT_SEARCH_MAX, default: 20 })),
  },
  { additionalProperties: false },
);
export type UnitSearchQuery = Static<typeof UnitSearchQuery>;

export const UnitSearchHit = Type.Object({
  ...UnitLabel.properties,
  parentId: Type.Union([Uuid, Type.Null()]),
  /** Members and households may sit in it directly. */
  liaison: Type.Boolean(),
});
export type UnitSearchHit = Static<typeof UnitSearchHit>;
export const UnitSearchReply = Type.Object({ units: Type.Array(UnitSearchHit) });
export type UnitSearchReply = Static<typeof UnitSearchReply>;

// ---- GET /api/admin/people — members and staff in the caller's admin scope ----

export const PEOPLE_PAGE_MAX = 200;

export const PersonStatus = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);
export type PersonStatus = Static<typeof PersonStatus>;

export const PeopleQuery = Type.Object(
  {
    /** Only people of this unit's subtree (members in it, or holding a role on a unit in it). */
    unitId: Type.Optional(Uuid),
    /** Part of the name or phone. */
    q: Type.Optional(Line(60)),
    status: Type.Optional(PersonStatus),
    role: Type.Optional(RoleSchema),
    /** Only people whose phone is locked out by wrong passwords. */
    locked: Type.Optional(Type.Boolean()),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PEOPLE_PAGE_MAX, default: 50 })),
  },
  { additionalProperties: false },
);
export type PeopleQuery = Static<typeof PeopleQuery>;

/** A role a person holds on a unit (only those on units the caller administers are listed). */
export const GrantView = Type.Object({ role: GrantRoleSchema, unit: UnitLabel });
export type GrantView = Static<typeof GrantView>;

/** One person (a login) as the admin console lists them. */
export const Person = Type.Object({
  userId: Uuid,
  name: Type.String(),
  phone: Type.String(),
  /** Set when the person is a liaison member (党员户 / 党员楼长 / 党员中心户). */
  memberId: Type.Union([Uuid, Type.Null()]),
  /** The liaison unit a member sits in; null for staff only. */
  unit: Type.Union([UnitLabel, Type.Null()]),
  centralHousehold: Type.Boolean(),
  /** Households the member looks after (0 for staff). */
  households: Type.Integer(),
  grants: Type.Array(GrantView),
  disabledAt: Type.Union([IsoDateTime, Type.Null()]),
  /** Locked out by too many wrong passwords (from some address) right now. */
  locked: Type.Boolean(),
  /** An admin reset the password; the person must choose a new one at next login. */
  mustChangePassword: Type.Boolean(),
});
export type Person = Static<typeof Person>;

export const PeopleReply = Type.Object({ total: Type.Integer(), people: Type.Array(Person) });
export type PeopleReply = Static<typeof PeopleReply>;

// ---- People: GET /api/admin/people/:id (a user id) → Person ----
// ---- POST /api/admin/users/:id/disable | /enable (a user id, members and staff alike) → Person ----

// ---- POST /api/admin/members/:id/move (a member id) → Member (schemas/account.ts) ----

export const MoveMember = Type.Object(
  {
    /** The liaison unit the member moves to. */
    unitId: Uuid,
    /**
     * A member's households belong to their unit (the address is a place); they do not travel
     * with the person. Without this the move is refused while the member still holds any; with
     * it, they are released (left unassigned in the old unit, a gap the admin then fills).
     */
    releaseHouseholds: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MoveMember = Static<typeof MoveMember>;

// ---- Grants: GET /api/admin/users/:id/grants; POST /api/admin/grants (CreateGrant); DELETE /api/admin/grants ----

export const GrantsReply = Type.Object({ grants: Type.Array(GrantView) });
export type GrantsReply = Static<typeof GrantsReply>;

/** DELETE /api/admin/grants, body: takes a role back. */
export const RevokeGrant = Type.Object({ userId: Uuid, role: GrantRoleSchema, unitId: Uuid }, { additionalProperties: false });
export type RevokeGrant = Static<typeof RevokeGrant>;

export const OkReply = Type.Object({ ok: Type.Literal(true) });

// ---- Accounts ----

/** POST /api/admin/users/:id/reset-password → shown once to the admin, never stored in clear. */
export const ResetPasswordReply = Type.Object({ temporaryPassword: Type.String() });
export type ResetPasswordReply = Static<typeof ResetPasswordReply>;

/** POST /api/admin/users/:id/unlock → how many recorded failures were cleared. */
export const UnlockReply = Type.Object({ ok: Type.Literal(true), cleared: Type.Integer() });
export type UnlockReply = Static<typeof UnlockReply>;

/** POST /api/auth/password — every user changes their own password. */
export const ChangePassword = Type.Object(
  // The current one is lenient like login's (an old password may predate today's rule).
  { currentPassword: Line(128, 1), newPassword: Password },
  { additionalProperties: false },
);
export type ChangePassword = Static<typeof ChangePassword>;
