import { Type, type Static } from 'typebox';
import { DISPUTE_STATUSES, type DisputeStatus } from '../domain/dispute.ts';
import { canReadUnit } from '../domain/scope.ts';
import { DomainError } from '../errors.ts';
import { IsoDateTime, Text, Uuid } from '../schemas/common.ts';
import { stampField } from '../sync/field-merge.ts';
import { defineKind, defineMutation } from '../sync/kind.ts';
import type { FieldMetaMap } from '../sync/mutator-tx.ts';
import { moveDispute } from './disputes.ts';

/** A concurrent edit settled by policy (logged) or waiting for a supervisor (open). */
export const ConflictRow = Type.Object({
  id: Uuid,
  /** The kind (its table) of the record the edits were about. */
  tableName: Type.String(),
  recordId: Uuid,
  householdIds: Type.Array(Uuid),
  /** The unit whose supervisors review it: the record's branch. */
  unitId: Uuid,
  field: Type.String(),
  policy: Type.Union([Type.Literal('lww'), Type.Literal('review'), Type.Literal('transition')]),
  keptValue: Type.Unknown(),
  lostValue: Type.Unknown(),
  keptBy: Type.Union([Uuid, Type.Null()]),
  lostBy: Type.Union([Uuid, Type.Null()]),
  keptHlc: Type.Union([Type.String(), Type.Null()]),
  lostHlc: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('logged'), Type.Literal('resolved')]),
  createdAt: IsoDateTime,
  resolvedAt: Type.Union([IsoDateTime, Type.Null()]),
  resolvedBy: Type.Union([Uuid, Type.Null()]),
  /** Which value the supervisor kept: the one that stood, or the other one. */
  resolution: Type.Union([Type.Literal('current'), Type.Literal('other'), Type.Null()]),
  resolutionNote: Type.Union([Type.String(), Type.Null()]),
});
export type ConflictRow = Static<typeof ConflictRow>;

export const ConflictResolveArgs = Type.Object(
  { id: Uuid, keep: Type.Union([Type.Literal('current'), Type.Literal('other')]), comment: Type.Optional(Text(1000)) },
  { additionalProperties: false },
);
export type ConflictResolveArgs = Static<typeof ConflictResolveArgs>;

/**
 * A supervisor settles a conflict in their subtree: the current value stands, or the other one
 * replaces it — as a new edit (so every device learns it by version), or, for a dispute's
 * status, as the same move `dispute.transition` makes. Logged, scoped and synced like any change.
 */
const resolve = defineMutation({
  args: ConflictResolveArgs,
  label: { zh: '处理冲突', en: 'Conflict review' },
  record: (a) => a.id,
  reads: (a) => [{ table: 'conflicts', id: a.id, lock: true }],
  correctable: 'comment',
  async run(tx, ctx, a) {
    const c = await tx.get('conflicts', a.id, { lock: true });
    if (!c) throw new DomainError('NOT_FOUND');
    const unit = await tx.get('units', c.unitId);
    if (!unit || !canReadUnit(ctx.scope, unit.path)) throw new DomainError('FORBIDDEN');
    if (c.status === 'resolved') throw new DomainError('CONFLICT_SETTLED');
    if (a.keep === 'other') {
      if (c.tableName === 'disputes' && c.field === 'status') {
        const d = await tx.get('disputes', c.recordId, { lock: true });
        if (!d) throw new DomainError('NOT_FOUND');
        if (!DISPUTE_STATUSES.includes(c.lostValue as DisputeStatus)) throw new DomainError('TRANSITION_NOT_ALLOWED');
        await moveDispute(tx, ctx, d, c.lostValue as DisputeStatus, a.comment ?? '');
      } else {
        // A field of a record that keeps per-field versions (a household's phone, say).
        const table = c.tableName as 'households';
        const row = await tx.get(table, c.recordId, { lock: true });
        if (!row) throw new DomainError('NOT_FOUND');
        const meta: FieldMetaMap = row.fieldMeta;
        await tx.put(table, { ...row, [c.field]: c.lostValue, fieldMeta: { ...meta, [c.field]: stampField(ctx, meta[c.field] ?? { v: 0 }) }, updatedAt: ctx.now });
      }
    }
    await tx.put('conflicts', { ...c, status: 'resolved', resolvedAt: ctx.now, resolvedBy: ctx.userId, resolution: a.keep, resolutionNote: a.comment ?? '' });
    return { status: 'applied' };
  },
});

/** 冲突: seen by the liaison members of its households and the supervisors above its branch. */
export const conflicts = defineKind({
  table: 'conflicts',
  row: ConflictRow,
  label: { zh: '冲突', en: 'Conflict' },
  indexes: 'recordId, status, *householdIds',
  columns: { householdIds: 'ids', keptValue: 'json', lostValue: 'json', createdAt: 'time', resolvedAt: 'time' },
  visibility: [{ by: 'households', field: 'householdIds', unit: 'unitId' }],
  mutations: { 'conflict.resolve': resolve },
  fields: { resolutionNote: { zh: '处理意见', en: 'Comment' } },
});

declare module '../sync/registry.ts' {
  interface SyncRows {
    conflicts: ConflictRow;
  }
}
