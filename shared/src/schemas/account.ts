import { Type, type Static } from 'typebox';
import { Line, Name, Password, Phone, Uuid } from './common.ts';
import { UnitKindSchema } from './unit.ts';

export const RoleSchema = Type.Union([Type.Literal('member'), Type.Literal('supervisor'), Type.Literal('admin')]);
export const GrantRoleSchema = Type.Union([Type.Literal('supervisor'), Type.Literal('admin')]);

export const LoginBody = Type.Object(
  // Lenient on purpose (an old password may be shorter than today's rule), but only storable text.
  { phone: Line(20, 1), password: Line(128, 1), clientId: Type.Optional(Line(64, 1)) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const UserSummary = Type.Object({ id: Uuid, name: Type.String(), roles: Type.Array(RoleSchema) });
export const LoginReply = Type.Object({
  token: Type.String(),
  user: UserSummary,
  /** An admin reset the password: until a new one is chosen (POST /api/auth/password) the session only syncs. */
  mustChangePassword: Type.Boolean(),
});
export type LoginReply = Static<typeof LoginReply>;

const UnitRef = Type.Object({ id: Uuid, kind: UnitKindSchema, name: Type.String() });

export const MeReply = Type.Object({
  id: Uuid,
  name: Type.String(),
  phone: Type.String(),
  roles: Type.Array(RoleSchema),
  mustChangePassword: Type.Boolean(),
  member: Type.Union([
    Type.Object({ id: Uuid, unit: UnitRef, centralHousehold: Type.Boolean() }),
    Type.Null(),
  ]),
  /** Units the caller supervises or administers, with the role held on each. */
  units: Type.Array(Type.Object({ id: Uuid, kind: UnitKindSchema, name: Type.String(), role: GrantRoleSchema })),
});
export type MeReply = Static<typeof MeReply>;

export const HealthReply = Type.Object({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  version: Type.String(),
});

export const CreateMember = Type.Object(
  {
    id: Type.Optional(Uuid),
    unitId: Uuid,
    name: Name,
    phone: Phone,
    password: Password,
    centralHousehold: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateMember = Static<typeof CreateMember>;

export const Member = Type.Object({
  id: Uuid,
  userId: Uuid,
  unitId: Uuid,
  name: Type.String(),
  phone: Type.String(),
  centralHousehold: Type.Boolean(),
  households: Type.Integer(),
});
export type Member = Static<typeof Member>;

/** A supervisor's or admin's account, with the unit they hold the role on. */
export const CreateStaff = Type.Object(
  { name: Name, phone: Phone, password: Password, role: GrantRoleSchema, unitId: Uuid },
  { additionalProperties: false },
);
export type CreateStaff = Static<typeof CreateStaff>;

/** An administrator's edit of a member: their name and the central-household flag. */
export const UpdateMember = Type.Object(
  { name: Type.Optional(Name), centralHousehold: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMember = Static<typeof UpdateMember>;

/** Makes an existing person a supervisor or admin of a unit. */
export const CreateGrant = Type.Object({ userId: Uuid, role: GrantRoleSchema, unitId: Uuid }, { additionalProperties: false });
export type CreateGrant = Static<typeof CreateGrant>;
