import { canTransition, type DisputeStatus } from '../domain/dispute.ts';
import type { HouseholdField } from '../domain/household.ts';
import { canReadUnit } from '../domain/scope.ts';
import { DomainError } from '../errors.ts';
import type { ConflictResolveArgs } from './mutations.ts';
import type { MutatorContext, MutatorResult, MutatorTx } from './mutator-tx.ts';

/**
 * A supervisor settles a conflict in their subtree: the current value stands, or the other one
 * replaces it (as a new edit, so every device learns it by version). Logged, scoped and synced
 * like any other change.
 */
export async function conflictResolve(tx: MutatorTx, ctx: MutatorContext, a: ConflictResolveArgs): Promise<MutatorResult> {
  const c = await tx.getConflict(a.id);
  if (!c) throw new DomainError('NOT_FOUND');
  if (!canReadUnit(ctx.scope, c.unitPath)) throw new DomainError('FORBIDDEN');
  if (c.status === 'resolved') throw new DomainError('CONFLICT_SETTLED');
  if (a.keep === 'other') {
    if (c.tableName === 'households') {
      const h = await tx.getHousehold(c.recordId);
      if (!h) throw new DomainError('NOT_FOUND');
      const field = c.field as HouseholdField;
      const seen = h.fieldMeta[field] ?? { v: 0 };
      const meta = ctx.side === 'server' ? { v: seen.v + 1, hlc: ctx.hlc, by: ctx.userId, ...(ctx.clientId ? { c: ctx.clientId } : {}) } : seen;
      await tx.updateHousehold(h.id, { [field]: c.lostValue } as never, { ...h.fieldMeta, [field]: meta }, ctx.now);
    } else {
      const d = await tx.getDispute(c.recordId);
      if (!d) throw new DomainError('NOT_FOUND');
      const to = c.lostValue as DisputeStatus;
      if (!canTransition(d.status, to)) throw new DomainError('TRANSITION_NOT_ALLOWED');
      await tx.putDispute({ ...d, status: to, updatedAt: ctx.now, statusBy: ctx.userId, hlc: ctx.hlc }, false);
      await tx.addDisputeEvent({ disputeId: d.id, from: d.status, to, unitId: d.unitId, note: a.comment ?? '' });
    }
  }
  await tx.settleConflict(c.id, { keep: a.keep, comment: a.comment ?? '', by: ctx.userId, at: ctx.now });
  return { status: 'applied' };
}
