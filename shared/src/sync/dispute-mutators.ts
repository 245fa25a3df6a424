import { canTransition, type DisputeStatus } from '../domain/dispute.ts';
import { canReadUnit, canWriteHousehold } from '../domain/scope.ts';
import { DomainError } from '../errors.ts';
import type { Mediation } from '../schemas/records.ts';
import { parseHlc } from './hlc.ts';
import type { DisputeOpenArgs, DisputeTransitionArgs, MediationAddArgs } from './mutations.ts';
import type { DisputeState, MutatorContext, MutatorResult, MutatorTx } from './mutator-tx.ts';
import { sameInstant, sameValue } from './same-value.ts';

/**
 * May the caller act on the dispute where it now stands? Branch members act while their branch
 * handles it (and only on their own households' disputes); supervisors act at the handling
 * tier or above. Once escalated, the branch can no longer move it.
 */
async function assertMayAct(tx: MutatorTx, ctx: MutatorContext, d: DisputeState): Promise<{ late: boolean }> {
  if (canReadUnit(ctx.scope, d.unitPath)) return { late: false };
  if (!ctx.memberId) throw new DomainError('OUT_OF_SCOPE');
  const own = await ownParties(tx, ctx, d.householdIds);
  if (own.held.length === 0 && own.late.length === 0) throw new DomainError('OUT_OF_SCOPE');
  if (d.unitId !== d.branchUnitId) throw new DomainError('DISPUTE_NOT_AT_YOUR_TIER');
  return { late: own.held.length === 0 };
}

/** The dispute's households the member holds now, and those held at the mutation's time. */
async function ownParties(tx: MutatorTx, ctx: MutatorContext, householdIds: readonly string[]) {
  const held: string[] = [];
  const late: string[] = [];
  const at = parseHlc(ctx.hlc).wall;
  for (const id of householdIds) {
    const h = await tx.getHousehold(id);
    if (h && canWriteHousehold(ctx.scope, h)) held.push(id);
    else if (ctx.memberId && (await tx.heldAt(id, ctx.memberId, at))) late.push(id);
  }
  return { held, late };
}

/** 矛盾纠纷 opened: handled first by the parties' branch. */
export async function disputeOpen(tx: MutatorTx, ctx: MutatorContext, a: DisputeOpenArgs): Promise<MutatorResult> {
  const existing = await tx.getDispute(a.id);
  if (existing) {
    const same = existing.openedBy === ctx.userId && existing.category === a.category && existing.description === a.description &&
      sameValue([...existing.householdIds].sort(), [...a.householdIds].sort()) && sameInstant(existing.openedAt, a.openedAt);
    if (same) return { status: 'duplicate' };
    throw new DomainError('RECORD_ID_REUSED');
  }
  // The first party is the caller's own household; neighbours named with it must share its branch.
  const primary = await tx.getHousehold(a.householdIds[0]!);
  if (!primary) throw new DomainError('NOT_FOUND', '找不到该住户');
  if (!canWriteHousehold(ctx.scope, primary)) throw new DomainError('OUT_OF_SCOPE');
  for (const id of a.householdIds.slice(1)) {
    const h = await tx.getHousehold(id);
    // A phone only holds its own households; the server, which knows them all, checks the rest.
    if (!h) {
      if (ctx.side === 'server') throw new DomainError('NOT_FOUND', '找不到该住户');
      continue;
    }
    if (h.unitId !== primary.unitId) throw new DomainError('DISPUTE_PARTIES_SPLIT');
  }
  await tx.putDispute(
    {
      id: a.id,
      householdIds: a.householdIds,
      otherParties: a.otherParties ?? [],
      category: a.category,
      description: a.description,
      riskLevel: a.riskLevel ?? 'yellow',
      source: a.source ?? 'grid_found',
      status: 'open',
      unitId: primary.unitId,
      branchUnitId: primary.unitId,
      openedAt: new Date(a.openedAt).toISOString(),
      openedBy: ctx.userId,
      updatedAt: ctx.now,
      statusBy: ctx.userId,
      hlc: ctx.hlc,
    },
    true,
  );
  await tx.addDisputeEvent({ disputeId: a.id, from: null, to: 'open', unitId: primary.unitId, note: '' });
  return { status: 'applied' };
}

/**
 * A status move along the life cycle. If the dispute is no longer where the phone saw it
 * (another phone moved it meanwhile), nothing moves and a conflict waits for a person.
 */
export async function disputeTransition(tx: MutatorTx, ctx: MutatorContext, a: DisputeTransitionArgs): Promise<MutatorResult> {
  const d = await tx.getDispute(a.id);
  if (!d) throw new DomainError('NOT_FOUND');
  await assertMayAct(tx, ctx, d);
  if (!canTransition(a.from, a.to)) throw new DomainError('TRANSITION_NOT_ALLOWED');
  if (d.status !== a.from) {
    await tx.addConflict({
      table: 'disputes', recordId: d.id, field: 'status', policy: 'transition',
      keptValue: d.status, lostValue: a.to, keptBy: d.statusBy, lostBy: ctx.userId, keptHlc: d.hlc, lostHlc: ctx.hlc, status: 'open',
    });
    return { status: 'conflict' };
  }
  let unitId = d.unitId;
  if (a.to === 'escalated') {
    const parent = await tx.parentUnit(d.unitId);
    if (!parent) throw new DomainError('DISPUTE_AT_TOP');
    unitId = parent.id;
  } else if (d.status === 'escalated' && a.to === 'open') {
    // Sent back: to the next unit down the parties' branch path.
    const at = d.branchPath.indexOf(d.unitId);
    unitId = (at >= 0 ? d.branchPath[at + 1] : undefined) ?? d.branchUnitId;
  }
  const to: DisputeStatus = a.to;
  await tx.putDispute({ ...d, status: to, unitId, updatedAt: ctx.now, statusBy: ctx.userId, hlc: ctx.hlc }, false);
  await tx.addDisputeEvent({ disputeId: d.id, from: d.status, to, unitId, note: a.note ?? '' });
  return { status: 'applied' };
}

function sameMediation(a: Mediation, b: Mediation): boolean {
  return a.disputeId === b.disputeId && sameInstant(a.mediatedAt, b.mediatedAt) && a.summary === b.summary &&
    a.agreementReached === b.agreementReached && (a.agreementKind ?? null) === (b.agreementKind ?? null) &&
    sameValue([...a.mediatorIds].sort(), [...b.mediatorIds].sort()) && a.createdBy === b.createdBy;
}

/** 调解 logged: append-only, stored whatever the dispute's status has become meanwhile. */
export async function mediationAdd(tx: MutatorTx, ctx: MutatorContext, a: MediationAddArgs): Promise<MutatorResult> {
  const d = await tx.getDispute(a.disputeId);
  if (!d) throw new DomainError('NOT_FOUND');
  const mediation: Mediation = {
    id: a.id,
    disputeId: a.disputeId,
    mediatedAt: new Date(a.mediatedAt).toISOString(),
    mediatorIds: a.mediatorIds,
    summary: a.summary,
    agreementReached: a.agreementReached,
    agreementKind: a.agreementKind ?? null,
    createdBy: ctx.userId,
    late: false,
    createdAt: ctx.now,
  };
  const existing = await tx.getMediation(a.id);
  if (existing) {
    if (sameMediation(existing, mediation)) return { status: 'duplicate' };
    throw new DomainError('RECORD_ID_REUSED');
  }
  // A record of what happened: accepted even if the dispute moved tier meanwhile, as long as
  // the caller could see it when the mediation was made.
  let late = false;
  try {
    late = (await assertMayAct(tx, ctx, d)).late;
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'DISPUTE_NOT_AT_YOUR_TIER') throw err;
  }
  await tx.putMediation({ ...mediation, late });
  return { status: 'applied', late };
}
