import { canWriteHousehold } from '../domain/scope.ts';
import { DomainError } from '../errors.ts';
import type { Visit } from '../schemas/records.ts';
import { parseHlc } from './hlc.ts';
import type { VisitAmendArgs, VisitCreateArgs } from './mutations.ts';
import type { MutatorContext, MutatorResult, MutatorTx } from './mutator-tx.ts';
import { sameInstant, sameValue } from './same-value.ts';

/** How long the author may amend a visit after logging it. */
export const VISIT_AMEND_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** The content a visit was created with: a repeated id must carry exactly this. */
function sameVisit(a: Visit, b: Visit): boolean {
  return (
    a.householdId === b.householdId && sameInstant(a.visitedAt, b.visitedAt) && a.method === b.method && a.duty === b.duty &&
    a.summary === b.summary && a.concerns === b.concerns && sameValue([...a.concernCategories].sort(), [...b.concernCategories].sort()) &&
    a.followUp === b.followUp && a.memberId === b.memberId
  );
}

/** 走访 logged: append-only; a visit made while the household was still the member's is accepted late. */
export async function visitCreate(tx: MutatorTx, ctx: MutatorContext, a: VisitCreateArgs): Promise<MutatorResult> {
  if (!ctx.memberId) throw new DomainError('FORBIDDEN', '只有联户党员可以记录走访');
  const household = await tx.getHousehold(a.householdId);
  if (!household) throw new DomainError('NOT_FOUND', '找不到该住户');
  let late = false;
  if (!canWriteHousehold(ctx.scope, household)) {
    if (!(await tx.heldAt(household.id, ctx.memberId, parseHlc(ctx.hlc).wall))) throw new DomainError('OUT_OF_SCOPE');
    late = true;
  }
  const visit: Visit = {
    id: a.id,
    householdId: a.householdId,
    memberId: ctx.memberId,
    visitedAt: new Date(a.visitedAt).toISOString(),
    method: a.method,
    duty: a.duty,
    summary: a.summary,
    concerns: a.concerns ?? '',
    concernCategories: a.concernCategories ?? [],
    followUp: a.followUp,
    late,
    createdAt: ctx.now,
    amendedAt: null,
  };
  const existing = await tx.getVisit(a.id);
  if (existing) {
    if (sameVisit(existing, visit)) return { status: 'duplicate' };
    throw new DomainError('RECORD_ID_REUSED');
  }
  await tx.putVisit(visit, true);
  return { status: 'applied', late };
}

/** The author corrects a visit within the amendment window; the record keeps its id. */
export async function visitAmend(tx: MutatorTx, ctx: MutatorContext, a: VisitAmendArgs): Promise<MutatorResult> {
  const visit = await tx.getVisit(a.id);
  if (!visit) throw new DomainError('NOT_FOUND');
  if (!ctx.memberId || visit.memberId !== ctx.memberId) throw new DomainError('VISIT_AMEND_FORBIDDEN');
  if (Date.parse(ctx.now) - Date.parse(visit.createdAt) > VISIT_AMEND_WINDOW_MS) throw new DomainError('VISIT_AMEND_WINDOW_CLOSED');
  const amended: Visit = { ...visit, ...stripUndefined(a.changes), amendedAt: ctx.now };
  if (sameVisit(amended, visit)) return { status: 'applied' };
  await tx.putVisit(amended, false);
  return { status: 'applied' };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
