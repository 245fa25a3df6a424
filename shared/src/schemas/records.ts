import { Type, type Static } from 'typebox';
import { CONCERN_CATEGORIES, DISPUTE_CATEGORIES, DISPUTE_RISK_LEVELS, DISPUTE_SOURCES, DUTIES, VISIT_METHODS, codesOf } from '../domain/lists.ts';
import { DISPUTE_STATUSES } from '../domain/dispute.ts';
import { IsoDateTime, literals, Uuid } from './common.ts';

export const VisitMethodSchema = literals(codesOf(VISIT_METHODS));
export const DutySchema = literals(codesOf(DUTIES));
export const ConcernCategorySchema = literals(codesOf(CONCERN_CATEGORIES));
export const DisputeCategorySchema = literals(codesOf(DISPUTE_CATEGORIES));
export const DisputeRiskSchema = literals(codesOf(DISPUTE_RISK_LEVELS));
export const DisputeSourceSchema = literals(codesOf(DISPUTE_SOURCES));
export const DisputeStatusSchema = literals(DISPUTE_STATUSES);

/** 走访: a member's contact with a household. A fact: append-only, amendable by its author for a while. */
export const Visit = Type.Object({
  id: Uuid,
  householdId: Uuid,
  memberId: Uuid,
  visitedAt: IsoDateTime,
  method: VisitMethodSchema,
  duty: DutySchema,
  summary: Type.String(),
  concerns: Type.String(),
  concernCategories: Type.Array(ConcernCategorySchema),
  followUp: Type.Boolean(),
  /** Arrived after the household was assigned away (made while it was still the member's). */
  late: Type.Boolean(),
  createdAt: IsoDateTime,
  amendedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type Visit = Static<typeof Visit>;

/** 矛盾纠纷: a case with a life cycle, handled by one unit (tier) at a time. */
export const Dispute = Type.Object({
  id: Uuid,
  householdIds: Type.Array(Uuid),
  otherParties: Type.Array(Type.String()),
  category: DisputeCategorySchema,
  description: Type.String(),
  riskLevel: DisputeRiskSchema,
  source: DisputeSourceSchema,
  status: DisputeStatusSchema,
  /** The unit now handling it: the parties' branch, or a tier above once escalated. */
  unitId: Uuid,
  openedAt: IsoDateTime,
  openedBy: Uuid,
  updatedAt: IsoDateTime,
});
export type Dispute = Static<typeof Dispute>;

/** 调解: one mediation session of a dispute. Append-only. */
export const Mediation = Type.Object({
  id: Uuid,
  disputeId: Uuid,
  mediatedAt: IsoDateTime,
  mediatorIds: Type.Array(Uuid),
  summary: Type.String(),
  agreementReached: Type.Boolean(),
  agreementKind: Type.Union([Type.Literal('written'), Type.Literal('oral'), Type.Null()]),
  createdBy: Uuid,
  late: Type.Boolean(),
  createdAt: IsoDateTime,
});
export type Mediation = Static<typeof Mediation>;
