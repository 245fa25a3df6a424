import { DISPUTE_TRANSITIONS, type DisputeStatus } from './dispute.ts';

/** Where a dispute stands, as far as who may act on it goes. */
export interface DisputePlace {
  status: DisputeStatus;
  /** The unit handling it now. */
  unitId: string;
  /** The parties' branch: it handles the dispute until someone escalates it. */
  branchUnitId: string;
  /** The handling unit's path (root … unit). */
  unitPath: readonly string[];
}

/** What is known of the person looking at (or acting on) the dispute. */
export interface DisputeActor {
  /** Their scope covers the handling unit: a supervisor at that tier or above. */
  supervisesHandler: boolean;
  /** The liaison member of one of the parties' households (now, or when the change was made). */
  liaisonOfParty: boolean;
}

export type ActVerdict = { may: true } | { may: false; code: 'OUT_OF_SCOPE' | 'DISPUTE_NOT_AT_YOUR_TIER' };

/**
 * May this person act on the dispute where it now stands? Supervisors act at the handling tier
 * or above; a party's liaison member acts while the parties' branch handles it, and no longer
 * once it has been escalated. The one home of the rule: `assertMayAct` (kinds/disputes.ts) throws
 * on its verdict, the dispute screen offers only what it allows.
 */
export function mayActOnDispute(d: Pick<DisputePlace, 'unitId' | 'branchUnitId'>, actor: DisputeActor): ActVerdict {
  if (actor.supervisesHandler) return { may: true };
  if (!actor.liaisonOfParty) return { may: false, code: 'OUT_OF_SCOPE' };
  if (d.unitId !== d.branchUnitId) return { may: false, code: 'DISPUTE_NOT_AT_YOUR_TIER' };
  return { may: true };
}

/** What a person may do with a dispute: the status moves to offer, and whether to log a mediation. */
export interface DisputeActions {
  moves: DisputeStatus[];
  /** A mediation is a record of what happened: its party's liaison may log one even after escalation. */
  mediate: boolean;
}

/**
 * The actions to offer: the life cycle's moves from the current status if the person may act,
 * without escalation from the top of the tree (there is no tier above to take it).
 */
export function disputeActions(d: DisputePlace, actor: DisputeActor): DisputeActions {
  const verdict = mayActOnDispute(d, actor);
  const mediate = verdict.may || verdict.code === 'DISPUTE_NOT_AT_YOUR_TIER';
  if (!verdict.may) return { moves: [], mediate };
  const atTop = d.unitPath.length <= 1;
  return { moves: DISPUTE_TRANSITIONS[d.status].filter((to) => !(to === 'escalated' && atTop)), mediate };
}
