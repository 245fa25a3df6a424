import { Type, type Static } from 'typebox';
import { canWriteHousehold } from '../domain/scope.ts';
import { DomainError } from '../errors.ts';
import { Line, Phone, Text, Uuid } from '../schemas/common.ts';
import { Address, CareTagSchema, Household } from '../schemas/household.ts';
import { mergeFieldEdits, type FieldPolicy } from '../sync/field-merge.ts';
import { defineKind, defineMutation } from '../sync/kind.ts';

const FieldMetaSchema = Type.Object({ v: Type.Integer(), hlc: Type.Optional(Type.String()), by: Type.Optional(Type.String()), c: Type.Optional(Type.String()) });

/** A household with its per-field versions (the `baseVersion` of the next edit) and its unit's path. */
export const HouseholdRow = Type.Object({
  ...Household.properties,
  fieldMeta: Type.Record(Type.String(), FieldMetaSchema),
  unitPath: Type.Array(Uuid),
});
export type HouseholdRow = Static<typeof HouseholdRow>;

/**
 * How a concurrent edit of each field is settled: identity, address and household size need a
 * person (`review`); a phone number or a note takes the later edit (`lww`).
 */
export const HOUSEHOLD_FIELD_POLICIES = {
  headName: 'review',
  address: 'review',
  size: 'review',
  careTags: 'review',
  phone: 'lww',
  notes: 'lww',
} as const satisfies Record<string, FieldPolicy>;
export type HouseholdField = keyof typeof HOUSEHOLD_FIELD_POLICIES;

const change = <T extends import('typebox').TSchema>(value: T) =>
  Type.Optional(Type.Object({ value, baseVersion: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }) }, { additionalProperties: false }));

export const HouseholdUpdateArgs = Type.Object(
  {
    id: Uuid,
    changes: Type.Object(
      {
        headName: change(Line(60, 1)),
        phone: change(Type.Union([Phone, Type.Null()])),
        size: change(Type.Integer({ minimum: 1, maximum: 30 })),
        address: change(Address),
        careTags: change(Type.Array(CareTagSchema, { uniqueItems: true, maxItems: 20 })),
        notes: change(Text(2000)),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);
export type HouseholdUpdateArgs = Static<typeof HouseholdUpdateArgs>;
// The schema's fields and the policy table stay in step: a field without a policy cannot merge.
const _covered: Record<keyof HouseholdUpdateArgs['changes'], HouseholdField> = { headName: 'headName', phone: 'phone', size: 'size', address: 'address', careTags: 'careTags', notes: 'notes' };
void _covered;

/** A profile edit, field by field (DESIGN.md, merge rules; see mergeFieldEdits). */
const update = defineMutation({
  args: HouseholdUpdateArgs,
  label: { zh: '修改住户信息', en: 'Household edit' },
  record: (a) => a.id,
  reads: (a) => [{ table: 'households', id: a.id, lock: true }],
  async run(tx, ctx, a) {
    const h = await tx.get('households', a.id, { lock: true });
    if (!h) throw new DomainError('NOT_FOUND', '找不到该住户');
    if (!canWriteHousehold(ctx.scope, h)) throw new DomainError('OUT_OF_SCOPE');
    if (a.changes.address && a.changes.address.value.kind !== h.address.kind) throw new DomainError('ADDRESS_KIND_MISMATCH');
    const { patch, fieldMeta, conflicted } = await mergeFieldEdits(tx, ctx, 'households', h, a.changes, HOUSEHOLD_FIELD_POLICIES);
    if (Object.keys(patch).length > 0) await tx.put('households', { ...h, ...patch, fieldMeta, updatedAt: ctx.now });
    return { status: conflicted ? 'conflict' : 'applied' };
  },
});

/** 住户: kept by administrators, edited field by field by its liaison member and supervisors. */
export const households = defineKind({
  table: 'households',
  row: HouseholdRow,
  label: { zh: '住户', en: 'Household' },
  indexes: 'unitId, memberId',
  columns: { address: 'json', careTags: 'json', fieldMeta: 'json', updatedAt: 'time' },
  lookups: { unitPath: { table: 'units', key: 'unitId', column: 'path' } },
  visibility: [{ by: 'household', field: 'id' }],
  // An archived household leaves every device, and with it what is seen only through it.
  hiddenWhen: 'archived_at',
  mutations: { 'household.update': update },
  fields: {
    headName: { zh: '户主姓名', en: 'Head of household' },
    phone: { zh: '联系电话', en: 'Phone', format: { zh: '11位手机号', en: 'an 11-digit mobile number' } },
    size: { zh: '家庭人数', en: 'Household size' },
    address: { zh: '住址', en: 'Address' },
    careTags: { zh: '帮扶类别', en: 'Care tags' },
    notes: { zh: '备注', en: 'Notes' },
  },
});

declare module '../sync/registry.ts' {
  interface SyncRows {
    households: HouseholdRow;
  }
}
