import { Type, type Static } from 'typebox';
import { canTransition, type DisputeStatus } from '../domain/dispute.ts';
import { mayActOnDispute } from '../domain/dispute-actions.ts';
import { recordTime } from '../domain/record-time.ts';
import { canReadUnit, canWriteHousehold } from '../domain/scope.ts';
import { DomainError } from '../errors.ts';
import { IsoDateTime, Line, Text, Uuid } from '../schemas/common.ts';
import { DisputeCategorySchema, DisputeRiskSchema, DisputeSourceSchema, DisputeStatusSchema } from '../schemas/records.ts';
import { parseHlc } from '../sync/hlc.ts';
import { defineKind, defineMutation } from '../sync/kind.ts';
import type { MutatorContext, MutatorTx } from '../sync/mutator-tx.ts';
import { sameValue } from '../sync/same-value.ts';

/** 矛盾纠纷: a case with a life cycle, handled by one unit (tier) at a time. */
export const DisputeRow = Type.Object({
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
  /** The parties' branch: whose people see it. */
  branchUnitId: Uuid,
  branchPath: Type.Array(Uuid),
  /** The handling unit's path; its kind decides where an escalation goes. */
  unitPath: Type.Array(Uuid),
  /** Who last set the status, and the stamp of that change: the kept side of a transition conflict. */
  statusBy: Type.Union([Uuid, Type.Null()]),
  hlc: Type.String(),
});
export type DisputeRow = Static<typeof DisputeRow>;

export const DisputeOpenArgs = Type.Object(
  {
    id: Uuid,
    householdIds: Type.Array(Uuid, { minItems: 1, maxItems: 10, uniqueItems: true }),
    otherParties: Type.Optional(Type.Array(Line(100, 1), { maxItems: 10 })),
    category: DisputeCategorySchema,
    description: Text(4000, 1),
    riskLevel: Type.Optional(DisputeRiskSchema),
    source: Type.Optional(DisputeSourceSchema),
    openedAt: IsoDateTime,
  },
  { additionalProperties: false },
);
export type DisputeOpenArgs = Static<typeof DisputeOpenArgs>;

export const DisputeTransitionArgs = Type.Object(
  { id: Uuid, from: DisputeStatusSchema, to: DisputeStatusSchema, note: Type.Optional(Text(2000)) },
  { additionalProperties: false },
);
export type DisputeTransitionArgs = Static<typeof DisputeTransitionArgs>;

/** The dispute's households the member holds now, and those held at the mutation's time. */
async function ownParties(tx: MutatorTx, ctx: MutatorContext, householdIds: readonly string[]) {
  const held: string[] = [];
  const late: string[] = [];
  const at = parseHlc(ctx.hlc).wall;
  for (const id of householdIds) {
    const h = await tx.get('households', id);
    if (h && canWriteHousehold(ctx.scope, h)) held.push(id);
    else if (ctx.memberId && (await tx.heldAt(id, ctx.memberId, at))) late.push(id);
  }
  return { held, late };
}

/**
 * May the caller act on the dispute where it now stands? The rule is mayActOnDispute
 * (domain/dispute-actions.ts), which the dispute screen also reads; here the facts it needs
 * are gathered — a supervisor's scope is enough, a member's parties are looked up only then.
 */
export async function assertMayAct(tx: MutatorTx, ctx: MutatorContext, d: DisputeRow): Promise<{ late: boolean }> {
  const supervisesHandler = canReadUnit(ctx.scope, d.unitPath);
  const own = supervisesHandler || !ctx.memberId ? { held: [], late: [] } : await ownParties(tx, ctx, d.householdIds);
  const verdict = mayActOnDispute(d, { supervisesHandler, liaisonOfParty: own.held.length + own.late.length > 0 });
  if (!verdict.may) throw new DomainError(verdict.code);
  return { late: !supervisesHandler && own.held.length === 0 };
}

/**
 * The one home of what a status move does: escalation hands the dispute to the parent of the
 * unit handling it; sending it back down gives it to the next unit below on the parties'
 * branch path. Used by `dispute.transition` and by a supervisor settling a transition conflict.
 */
export async function moveDispute(tx: MutatorTx, ctx: MutatorContext, d: DisputeRow, to: DisputeStatus, note: string): Promise<void> {
  if (!canTransition(d.status, to)) throw new DomainError('TRANSITION_NOT_ALLOWED');
  let unitId = d.unitId;
  if (to === 'escalated') {
    const handler = await tx.get('units', d.unitId);
    if (!handler?.parentId) throw new DomainError('DISPUTE_AT_TOP');
    unitId = handler.parentId;
  } else if (d.status === 'escalated' && to === 'open') {
    const at = d.branchPath.indexOf(d.unitId);
    unitId = (at >= 0 ? d.branchPath[at + 1] : undefined) ?? d.branchUnitId;
  }
  await tx.put('disputes', { ...d, status: to, unitId, updatedAt: ctx.now, statusBy: ctx.userId, hlc: ctx.hlc });
  await tx.addEvent({ table: 'disputes', recordId: d.id, from: d.status, to, unitId, note });
}

/** 矛盾纠纷 opened: handled first by the parties' branch. */
const open = defineMutation({
  args: DisputeOpenArgs,
  label: { zh: '登记纠纷', en: 'New dispute' },
  record: (a) => a.id,
  reads: (a) => a.householdIds.map((id) => ({ table: 'households', id })),
  creates: true,
  correctable: 'description',
  async run(tx, ctx, a) {
    const existing = await tx.get('disputes', a.id);
    if (existing) {
      const same = existing.openedBy === ctx.userId && existing.category === a.category && existing.description === a.description &&
        sameValue([...existing.householdIds].sort(), [...a.householdIds].sort());
      if (same) return { status: 'duplicate' };
      throw new DomainError('RECORD_ID_REUSED');
    }
    // The first party is the caller's own household; neighbours named with it must share its branch.
    const primary = await tx.get('households', a.householdIds[0]!);
    if (!primary) throw new DomainError('NOT_FOUND', '找不到该住户');
    if (!canWriteHousehold(ctx.scope, primary)) throw new DomainError('OUT_OF_SCOPE');
    for (const id of a.householdIds.slice(1)) {
      const h = await tx.get('households', id);
      // A phone only holds its own households; the server, which knows them all, checks the rest.
      if (!h) {
        if (ctx.side === 'server') throw new DomainError('NOT_FOUND', '找不到该住户');
        continue;
      }
      if (h.unitId !== primary.unitId) throw new DomainError('DISPUTE_PARTIES_SPLIT');
    }
    const when = recordTime(a.openedAt, ctx);
    await tx.put('disputes', {
      id: a.id, householdIds: a.householdIds, otherParties: a.otherParties ?? [], category: a.category, description: a.description,
      riskLevel: a.riskLevel ?? 'yellow', source: a.source ?? 'grid_found', status: 'open', unitId: primary.unitId,
      openedAt: when.at, openedBy: ctx.userId, updatedAt: ctx.now, branchUnitId: primary.unitId,
      branchPath: primary.unitPath, unitPath: primary.unitPath, statusBy: ctx.userId, hlc: ctx.hlc,
    });
    await tx.addEvent({ table: 'disputes', recordId: a.id, from: null, to: 'open', unitId: primary.unitId, note: '' });
    return { status: 'applied', ...(when.clamped ? { clamped: true } : {}) };
  },
});

/**
 * A status move along the life cycle. If the dispute is no longer where the phone saw it
 * (another phone moved it meanwhile), nothing moves and a conflict waits for a person.
 */
const transition = defineMutation({
  args: DisputeTransitionArgs,
  label: { zh: '纠纷办理', en: 'Dispute status' },
  record: (a) => a.id,
  reads: (a) => [{ table: 'disputes', id: a.id, lock: true }],
  async run(tx, ctx, a) {
    const d = await tx.get('disputes', a.id, { lock: true });
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
    await moveDispute(tx, ctx, d, a.to, a.note ?? '');
    return { status: 'applied' };
  },
});

/** 矛盾纠纷: seen by the parties' liaison members and the supervisors above their branch. */
export const disputes = defineKind({
  table: 'disputes',
  row: DisputeRow,
  label: { zh: '矛盾纠纷', en: 'Dispute' },
  indexes: '*householdIds, unitId, status',
  columns: { householdIds: 'ids', otherParties: 'json', openedAt: 'time', updatedAt: 'time' },
  lookups: {
    branchPath: { table: 'units', key: 'branchUnitId', column: 'path' },
    unitPath: { table: 'units', key: 'unitId', column: 'path' },
  },
  visibility: [{ by: 'households', field: 'householdIds', unit: 'branchUnitId' }],
  mutations: { 'dispute.open': open, 'dispute.transition': transition },
  fields: {
    status: { zh: '办理状态', en: 'Status' },
    category: { zh: '纠纷类别', en: 'Category' },
    description: { zh: '纠纷情况', en: 'Description' },
    otherParties: { zh: '其他当事人', en: 'Other parties' },
    openedAt: { zh: '登记时间', en: 'Opened at' },
    riskLevel: { zh: '风险等级', en: 'Risk level' },
  },
});

declare module '../sync/registry.ts' {
  interface SyncRows {
    disputes: DisputeRow;
  }
}
