import { Type, type Static } from 'typebox';
import { CARE_TAG_CODES } from '../domain/household.ts';
import { IsoDateTime, Line, literals, Name, Phone, Text, Uuid } from './common.ts';

const Part = Line(20, 1);

/** Village grid: the villager group is the unit, so a house number is enough. */
export const VillageAddress = Type.Object(
  { kind: Type.Literal('village'), houseNumber: Part },
  { additionalProperties: false },
);
/** Urban grid: the compound is the unit; building (楼栋), entrance (单元), room (房号). */
export const UrbanAddress = Type.Object(
  { kind: Type.Literal('urban'), building: Part, entrance: Part, room: Part },
  { additionalProperties: false },
);
export const Address = Type.Union([VillageAddress, UrbanAddress]);
export type Address = Static<typeof Address>;

export const CareTagSchema = literals(CARE_TAG_CODES);

export const Household = Type.Object({
  id: Uuid,
  unitId: Uuid,
  memberId: Type.Union([Uuid, Type.Null()]),
  headName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  size: Type.Integer(),
  address: Address,
  careTags: Type.Array(Type.String()),
  notes: Type.String(),
  updatedAt: IsoDateTime,
});
export type Household = Static<typeof Household>;

export const CreateHousehold = Type.Object(
  {
    id: Type.Optional(Uuid),
    unitId: Uuid,
    memberId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    headName: Name,
    phone: Type.Optional(Type.Union([Phone, Type.Null()])),
    size: Type.Integer({ minimum: 1, maximum: 30 }),
    address: Address,
    careTags: Type.Optional(Type.Array(CareTagSchema, { uniqueItems: true, maxItems: 20 })),
    notes: Type.Optional(Text(2000)),
  },
  { additionalProperties: false },
);
export type CreateHousehold = Static<typeof CreateHousehold>;

export const AssignHousehold = Type.Object(
  { memberId: Type.Union([Uuid, Type.Null()]) },
  { additionalProperties: false },
);

export const Assignment = Type.Object({
  householdId: Uuid,
  fromMemberId: Type.Union([Uuid, Type.Null()]),
  toMemberId: Type.Union([Uuid, Type.Null()]),
  byUserId: Type.Union([Uuid, Type.Null()]),
  at: IsoDateTime,
});
export type Assignment = Static<typeof Assignment>;

/** The coverage gaps a supervisor must see: members under the minimum, households with no liaison. */
export const CoverageGaps = Type.Object({
  limits: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  membersUnderMin: Type.Array(
    Type.Object({ memberId: Uuid, name: Type.String(), unitId: Uuid, unitName: Type.String(), households: Type.Integer() }),
  ),
  householdsWithoutLiaison: Type.Array(
    Type.Object({ householdId: Uuid, headName: Type.String(), unitId: Uuid, unitName: Type.String() }),
  ),
});
export type CoverageGaps = Static<typeof CoverageGaps>;
