import { Type, type Static } from 'typebox';
import { Uuid } from '../schemas/common.ts';
import { defineKind } from '../sync/kind.ts';

/** A liaison member as devices hold it; the name is the person's (their login's). */
export const MemberRow = Type.Object({
  id: Uuid,
  userId: Uuid,
  unitId: Uuid,
  name: Type.String(),
  centralHousehold: Type.Boolean(),
});
export type MemberRow = Static<typeof MemberRow>;

/** 联户党员: written by administrators; seen by their branch and the supervisors above it. */
export const members = defineKind({
  table: 'members',
  row: MemberRow,
  label: { zh: '党员', en: 'Member' },
  indexes: 'unitId, userId',
  lookups: { name: { table: 'users', key: 'userId', column: 'name' } },
  visibility: [{ by: 'unit', field: 'unitId' }],
  hiddenWhen: 'retired_at',
  fields: { name: { zh: '姓名', en: 'Name' }, centralHousehold: { zh: '党员中心户', en: 'Central household' } },
});

declare module '../sync/registry.ts' {
  interface SyncRows {
    members: MemberRow;
  }
}
