import { Type, type Static } from 'typebox';
import { Uuid } from '../schemas/common.ts';
import { Unit } from '../schemas/unit.ts';
import { defineKind } from '../sync/kind.ts';

/** A unit of the grid as devices hold it: with its path (root … itself), which scope rules read. */
export const UnitRow = Type.Object({ ...Unit.properties, path: Type.Array(Uuid) });
export type UnitRow = Static<typeof UnitRow>;

/** 组织: written by administrators; every device whose scope covers a unit holds it. */
export const units = defineKind({
  table: 'units',
  row: UnitRow,
  label: { zh: '组织', en: 'Unit' },
  indexes: 'parentId',
  columns: { path: 'path', retiredAt: 'time' },
  visibility: [{ by: 'unit', field: 'id' }],
  fields: { name: { zh: '名称', en: 'Name' } },
});

declare module '../sync/registry.ts' {
  interface SyncRows {
    units: UnitRow;
  }
}
