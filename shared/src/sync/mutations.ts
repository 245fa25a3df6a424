import { Type, type Static } from 'typebox';
import { HOUSEHOLD_FIELDS } from '../domain/household.ts';
import { IsoDateTime, Uuid } from '../schemas/common.ts';
import { Address, CareTagSchema } from '../schemas/household.ts';
import {
  ConcernCategorySchema, DisputeCategorySchema, DisputeRiskSchema, DisputeSourceSchema, DisputeStatusSchema,
  DutySchema, VisitMethodSchema,
} from '../schemas/records.ts';

const Summary = Type.String({ maxLength: 4000 });

export const VisitCreateArgs = Type.Object(
  {
    id: Uuid,
    householdId: Uuid,
    visitedAt: IsoDateTime,
    method: VisitMethodSchema,
    duty: DutySchema,
    summary: Summary,
    concerns: Type.Optional(Type.String({ maxLength: 4000 })),
    concernCategories: Type.Optional(Type.Array(ConcernCategorySchema, { uniqueItems: true })),
    followUp: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type VisitCreateArgs = Static<typeof VisitCreateArgs>;

export const VisitAmendArgs = Type.Object(
  {
    id: Uuid,
    changes: Type.Object(
      {
        summary: Type.Optional(Summary),
        concerns: Type.Optional(Type.String({ maxLength: 4000 })),
        concernCategories: Type.Optional(Type.Array(ConcernCategorySchema, { uniqueItems: true })),
        followUp: Type.Optional(Type.Boolean()),
        method: Type.Optional(VisitMethodSchema),
        duty: Type.Optional(DutySchema),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);
export type VisitAmendArgs = Static<typeof VisitAmendArgs>;

export const DisputeOpenArgs = Type.Object(
  {
    id: Uuid,
    householdIds: Type.Array(Uuid, { minItems: 1, maxItems: 10, uniqueItems: true }),
    otherParties: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 10 })),
    category: DisputeCategorySchema,
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    riskLevel: Type.Optional(DisputeRiskSchema),
    source: Type.Optional(DisputeSourceSchema),
    openedAt: IsoDateTime,
  },
  { additionalProperties: false },
);
export type DisputeOpenArgs = Static<typeof DisputeOpenArgs>;

export const DisputeTransitionArgs = Type.Object(
  { id: Uuid, from: DisputeStatusSchema, to: DisputeStatusSchema, note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type DisputeTransitionArgs = Static<typeof DisputeTransitionArgs>;

export const MediationAddArgs = Type.Object(
  {
    id: Uuid,
    disputeId: Uuid,
    mediatedAt: IsoDateTime,
    mediatorIds: Type.Array(Uuid, { minItems: 1, maxItems: 10, uniqueItems: true }),
    summary: Type.String({ minLength: 1, maxLength: 4000 }),
    agreementReached: Type.Boolean(),
    agreementKind: Type.Optional(Type.Union([Type.Literal('written'), Type.Literal('oral'), Type.Null()])),
  },
  { additionalProperties: false },
);
export type MediationAddArgs = Static<typeof MediationAddArgs>;

const fieldChange = <T extends import('typebox').TSchema>(value: T) =>
  Type.Optional(Type.Object({ value, baseVersion: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }));

export const HouseholdUpdateArgs = Type.Object(
  {
    id: Uuid,
    changes: Type.Object(
      {
        headName: fieldChange(Type.String({ minLength: 1, maxLength: 60 })),
        phone: fieldChange(Type.Union([Type.String({ pattern: '^1[0-9]{10}$' }), Type.Null()])),
        size: fieldChange(Type.Integer({ minimum: 1, maximum: 30 })),
        address: fieldChange(Address),
        careTags: fieldChange(Type.Array(CareTagSchema, { uniqueItems: true })),
        notes: fieldChange(Type.String({ maxLength: 2000 })),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);
export type HouseholdUpdateArgs = Static<typeof HouseholdUpdateArgs>;
// Keep the schema's fields and the policy table in step: a field without a policy cannot merge.
const _fieldsCovered: Record<keyof HouseholdUpdateArgs['changes'], true> = Object.fromEntries(HOUSEHOLD_FIELDS.map((f) => [f, true])) as never;
void _fieldsCovered;

/** A supervisor settles a conflict: keep the current value or switch to the other, with a comment. */
export const ConflictResolveArgs = Type.Object(
  { id: Uuid, keep: Type.Union([Type.Literal('current'), Type.Literal('other')]), comment: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export type ConflictResolveArgs = Static<typeof ConflictResolveArgs>;

/** Every kind of change a client can make, with the schema of its arguments. */
export const MUTATION_ARGS = {
  'visit.create': VisitCreateArgs,
  'visit.amend': VisitAmendArgs,
  'dispute.open': DisputeOpenArgs,
  'dispute.transition': DisputeTransitionArgs,
  'mediation.add': MediationAddArgs,
  'household.update': HouseholdUpdateArgs,
  'conflict.resolve': ConflictResolveArgs,
} as const;
export type MutationName = keyof typeof MUTATION_ARGS;
export type MutationArgs = { [K in MutationName]: Static<(typeof MUTATION_ARGS)[K]> };
export const MUTATION_NAMES = Object.keys(MUTATION_ARGS) as MutationName[];
