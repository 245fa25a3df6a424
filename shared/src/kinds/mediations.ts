import { Type, type Static } from 'typebox';
import { recordTime } from '../domain/record-time.ts';
import { DomainError } from '../errors.ts';
import { IsoDateTime, Text, Uuid } from '../schemas/common.ts';
import { defineKind, defineMutation } from '../sync/kind.ts';
import type { MutatorContext, MutatorTx } from '../sync/mutator-tx.ts';
import { sameInstant, sameValue } from '../sync/same-value.ts';
import { assertMayAct, type DisputeRow } from './disputes.ts';

/** 调解: one mediation session of a dispute. Append-only. */
export const MediationRow = Type.Object({
  id: Uuid,
  disputeId: Uuid,
  mediatedAt: IsoDateTime,
  /** Member ids of liaison members, user ids of supervisors. */
  mediatorIds: Type.Array(Uuid),
  summary: Type.String(),
  agreementReached: Type.Boolean(),
  agreementKind: Type.Union([Type.Literal('written'), Type.Literal('oral'), Type.Null()]),
  createdBy: Uuid,
  late: Type.Boolean(),
  createdAt: IsoDateTime,
  hlc: Type.String(),
});
export type MediationRow = Static<typeof MediationRow>;

export const MediationAddArgs = Type.Object(
  {
    id: Uuid,
    disputeId: Uuid,
    mediatedAt: IsoDateTime,
    mediatorIds: Type.Array(Uuid, { minItems: 1, maxItems: 10, uniqueItems: true }),
    summary: Text(4000, 1),
    agreementReached: Type.Boolean(),
    agreementKind: Type.Optional(Type.Union([Type.Literal('written'), Type.Literal('oral'), Type.Null()])),
  },
  { additionalProperties: false },
);
export type MediationAddArgs = Static<typeof MediationAddArgs>;

function sameMediation(a: MediationRow, b: MediationRow): boolean {
  return a.disputeId === b.disputeId && a.summary === b.summary &&
    a.agreementReached === b.agreementReached && (a.agreementKind ?? null) === (b.agreementKind ?? null) &&
    sameValue([...a.mediatorIds].sort(), [...b.mediatorIds].sort()) && a.createdBy === b.createdBy;
}

/**
 * Mediators are the caller, members of the unit handling the dispute (or below it, down to the
 * parties' branch), or supervisors at that tier or above. A phone knows only the people of its
 * own scope: one it does not know is left to the server, which knows everyone.
 */
async function assertMediators(tx: MutatorTx, ctx: MutatorContext, d: DisputeRow, ids: readonly string[]) {
  for (const id of ids) {
    if (id === ctx.userId || id === ctx.memberId) continue;
    const person = await tx.person(id);
    if (!person) {
      if (ctx.side === 'server') throw new DomainError('MEDIATOR_NOT_ALLOWED');
      continue;
    }
    const positions = [...(person.unitPath ? [person.unitPath] : []), ...person.grantPaths];
    const related = positions.some((p) => p.includes(d.unitId) || d.unitPath.includes(p[p.length - 1]!));
    if (!related) throw new DomainError('MEDIATOR_NOT_ALLOWED');
  }
}

/** 调解 logged: append-only, stored whatever the dispute's status has become meanwhile. */
const add = defineMutation({
  args: MediationAddArgs,
  label: { zh: '调解', en: 'Mediation' },
  record: (a) => a.id,
  reads: (a) => [{ table: 'disputes', id: a.disputeId }],
  creates: true,
  correctable: 'summary',
  async run(tx, ctx, a) {
    const d = await tx.get('disputes', a.disputeId);
    if (!d) throw new DomainError('NOT_FOUND');
    const when = recordTime(a.mediatedAt, ctx);
    const mediation: MediationRow = {
      id: a.id, disputeId: a.disputeId, mediatedAt: when.at, mediatorIds: a.mediatorIds, summary: a.summary,
      agreementReached: a.agreementReached, agreementKind: a.agreementKind ?? null, createdBy: ctx.userId,
      late: false, createdAt: ctx.now, hlc: ctx.hlc,
    };
    const existing = await tx.get('mediations', a.id);
    if (existing) {
      if (sameMediation(existing, mediation) && (when.clamped || sameInstant(existing.mediatedAt, mediation.mediatedAt))) return { status: 'duplicate' };
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
    await assertMediators(tx, ctx, d, a.mediatorIds);
    await tx.put('mediations', { ...mediation, late });
    return { status: 'applied', late, ...(when.clamped ? { clamped: true } : {}) };
  },
});

/** 调解: seen with its dispute. */
export const mediations = defineKind({
  table: 'mediations',
  row: MediationRow,
  label: { zh: '调解', en: 'Mediation' },
  indexes: 'disputeId',
  columns: { mediatedAt: 'time', createdAt: 'time', mediatorIds: 'json' },
  visibility: [{ by: 'parent', table: 'disputes', field: 'disputeId' }],
  mutations: { 'mediation.add': add },
  fields: {
    mediatedAt: { zh: '调解时间', en: 'Time of mediation' },
    mediatorIds: { zh: '调解人', en: 'Mediators' },
    summary: { zh: '调解情况', en: 'What happened' },
    agreementReached: { zh: '达成协议', en: 'Agreement reached' },
  },
});

declare module '../sync/registry.ts' {
  interface SyncRows {
    mediations: MediationRow;
  }
}
