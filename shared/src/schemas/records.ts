import { CONCERN_CATEGORIES, DISPUTE_CATEGORIES, DISPUTE_RISK_LEVELS, DISPUTE_SOURCES, DUTIES, VISIT_METHODS, codesOf } from '../domain/lists.ts';
import { DISPUTE_STATUSES } from '../domain/dispute.ts';
import { literals } from './common.ts';

export const VisitMethodSchema = literals(codesOf(VISIT_METHODS));
export const DutySchema = literals(codesOf(DUTIES));
export const ConcernCategorySchema = literals(codesOf(CONCERN_CATEGORIES));
export const DisputeCategorySchema = literals(codesOf(DISPUTE_CATEGORIES));
export const DisputeRiskSchema = literals(codesOf(DISPUTE_RISK_LEVELS));
export const DisputeSourceSchema = literals(codesOf(DISPUTE_SOURCES));
export const DisputeStatusSchema = literals(DISPUTE_STATUSES);
// The records themselves are declared by their kinds (shared/src/kinds/): one row schema each.
