import { Type, type Static } from 'typebox';
import { UNIT_KINDS } from '../domain/org-tree.ts';
import { IsoDateTime, literals, Name, Uuid } from './common.ts';

export const UnitKindSchema = literals(UNIT_KINDS);

export const Unit = Type.Object({
  id: Uuid,
  kind: UnitKindSchema,
  name: Type.String(),
  parentId: Type.Union([Uuid, Type.Null()]),
  spaceId: Type.Union([Uuid, Type.Null()]),
  retiredAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type Unit = Static<typeof Unit>;

export const CreateUnit = Type.Object(
  { id: Type.Optional(Uuid), kind: UnitKindSchema, name: Name, parentId: Type.Union([Uuid, Type.Null()]) },
  { additionalProperties: false },
);
export type CreateUnit = Static<typeof CreateUnit>;

export const RenameUnit = Type.Object({ name: Name }, { additionalProperties: false });
export const MoveUnit = Type.Object({ parentId: Uuid }, { additionalProperties: false });

/** A unit in a subtree listing, with what it holds (its own subtree included). */
export const UnitTreeNode = Type.Object({
  id: Uuid,
  kind: UnitKindSchema,
  name: Type.String(),
  parentId: Type.Union([Uuid, Type.Null()]),
  depth: Type.Integer(),
  counts: Type.Object({
    units: Type.Integer(),
    members: Type.Integer(),
    households: Type.Integer(),
    unassignedHouseholds: Type.Integer(),
  }),
});
export type UnitTreeNode = Static<typeof UnitTreeNode>;
