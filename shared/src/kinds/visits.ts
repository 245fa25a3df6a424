import { Type, type Static } from 'typebox';
import { recordTime } from '../domain/record-time.ts';
import { canWriteHousehold } from '../domain/scope.ts';
import { DomainError } from '../errors.ts';
import { IsoDateTime, Text, Uuid } from '../schemas/common.ts';
import { ConcernCategorySchema, DutySchema, VisitMethodSchema } from '../schemas/records.ts';
import { parseHlc } from '../sync/hlc.ts';
import { defineKind, defineMutation } from '../sync/kind.ts';
import { sameInstant, sameValue } from '../sync/same-value.ts';

/** 走访: a member's contact with a household. A fact: append-only, amendable by its author for a while. */
export const VisitRow = Type.Object({
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
  hlc: Type.String(),
});
export type VisitRow = Static<typeof VisitRow>;

/** How long the author may amend a visit after logging it. */
export const VISIT_AMEND_WINDOW_MS = 7 * 24 * 3600 * 1000;

const Summary = Text(4000);
const Concerns = Text(4000);
const Categories = Type.Array(ConcernCategorySchema, { uniqueItems: true, maxItems: 12 });

export const VisitCreateArgs = Type.Object(
  {
    id: Uuid,
    householdId: Uuid,
    visitedAt: IsoDateTime,
    method: VisitMethodSchema,
    duty: DutySchema,
    summary: Summary,
    concerns: Type.Optional(Concerns),
    concernCategories: Type.Optional(Categories),
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
        concerns: Type.Optional(Concerns),
        concernCategories: Type.Optional(Categories),
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

/** The content a visit was created with: a repeated id must carry exactly this. */
function sameVisit(a: VisitRow, b: VisitRow): boolean {
  return (
    a.householdId === b.householdId && sameInstant(a.visitedAt, b.visitedAt) && a.method === b.method && a.duty === b.duty &&
    a.summary === b.summary && a.concerns === b.concerns && sameValue([...a.concernCategories].sort(), [...b.concernCategories].sort()) &&
    a.followUp === b.followUp && a.memberId === b.memberId
  );
}

/** 走访 logged: append-only; a visit made while the household was still the member's is accepted late. */
const create = defineMutation({
  args: VisitCreateArgs,
  label: { zh: '走访', en: 'Visit' },
  record: (a) => a.id,
  reads: (a) => [{ table: 'households', id: a.householdId }],
  creates: true,
  correctable: 'summary',
  async run(tx, ctx, a) {
    if (!ctx.memberId) throw new DomainError('FORBIDDEN', '只有联户党员可以记录走访');
    const household = await tx.get('households', a.householdId);
    if (!household) throw new DomainError('NOT_FOUND', '找不到该住户');
    let late = false;
    if (!canWriteHousehold(ctx.scope, household)) {
      if (!(await tx.heldAt(household.id, ctx.memberId, parseHlc(ctx.hlc).wall))) throw new DomainError('OUT_OF_SCOPE');
      late = true;
    }
    const existing = await tx.get('visits', a.id);
    const when = recordTime(a.visitedAt, ctx);
    const visit: VisitRow = {
      id: a.id, householdId: a.householdId, memberId: ctx.memberId, visitedAt: when.at, method: a.method, duty: a.duty,
      summary: a.summary, concerns: a.concerns ?? '', concernCategories: a.concernCategories ?? [], followUp: a.followUp,
      late, createdAt: ctx.now, amendedAt: null, hlc: ctx.hlc,
    };
    if (existing) {
      // A retry of the same visit (its time as first stored) is nothing new; other content under its id is refused.
      if (sameVisit(existing, { ...visit, visitedAt: when.clamped ? existing.visitedAt : visit.visitedAt })) return { status: 'duplicate' };
      throw new DomainError('RECORD_ID_REUSED');
    }
    await tx.put('visits', visit);
    return { status: 'applied', late, ...(when.clamped ? { clamped: true } : {}) };
  },
});

/** The author corrects a visit within the amendment window; the record keeps its id. */
const amend = defineMutation({
  args: VisitAmendArgs,
  label: { zh: '修改走访', en: 'Visit correction' },
  record: (a) => a.id,
  reads: (a) => [{ table: 'visits', id: a.id, lock: true }],
  correctable: 'changes.summary',
  async run(tx, ctx, a) {
    const visit = await tx.get('visits', a.id, { lock: true });
    if (!visit) throw new DomainError('NOT_FOUND');
    if (!ctx.memberId || visit.memberId !== ctx.memberId) throw new DomainError('VISIT_AMEND_FORBIDDEN');
    if (Date.parse(ctx.now) - Date.parse(visit.createdAt) > VISIT_AMEND_WINDOW_MS) throw new DomainError('VISIT_AMEND_WINDOW_CLOSED');
    const changes = Object.fromEntries(Object.entries(a.changes).filter(([, v]) => v !== undefined));
    const amended: VisitRow = { ...visit, ...changes, amendedAt: ctx.now };
    if (sameVisit(amended, visit)) return { status: 'applied' };
    await tx.put('visits', amended);
    return { status: 'applied' };
  },
});

/** 走访 */
export const visits = defineKind({
  table: 'visits',
  row: VisitRow,
  label: { zh: '走访', en: 'Visit' },
  indexes: 'householdId, memberId, visitedAt',
  columns: { visitedAt: 'time', createdAt: 'time', amendedAt: 'time', concernCategories: 'json' },
  visibility: [{ by: 'household', field: 'householdId' }],
  mutations: { 'visit.create': create, 'visit.amend': amend },
  fields: {
    visitedAt: { zh: '走访时间', en: 'Time of visit' },
    method: { zh: '走访方式', en: 'Method' },
    duty: { zh: '走访事项', en: 'Purpose' },
    summary: { zh: '走访情况', en: 'What was said' },
    concerns: { zh: '群众诉求', en: 'Concerns raised' },
    concernCategories: { zh: '诉求类别', en: 'Concern categories' },
    followUp: { zh: '需要跟进', en: 'Needs follow-up' },
  },
});

declare module '../sync/registry.ts' {
  interface SyncRows {
    visits: VisitRow;
  }
}
