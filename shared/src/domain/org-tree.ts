import { DomainError } from '../errors.ts';

/** Unit kinds of both grids, from the top of the tree down (GLOSSARY.md). */
export const UNIT_KINDS = [
  'district',
  'town',
  'subdistrict',
  'village',
  'villager_group',
  'community',
  'compound',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Which kinds may sit directly under which; `null` is the root of the tree. */
export const ALLOWED_PARENTS: Record<UnitKind, readonly (UnitKind | null)[]> = {
  district: [null],
  town: ['district'],
  subdistrict: ['district'],
  village: ['town', 'subdistrict'],
  villager_group: ['village'],
  community: ['town', 'subdistrict'],
  compound: ['community'],
};

/** Units whose people are liaison members (农村党员户 / 党员楼长). */
export const LIAISON_UNIT_KINDS: readonly UnitKind[] = ['villager_group', 'compound'];

/** Units that are a "space": the partition a record belongs to (DESIGN.md, Storage). */
export const SPACE_UNIT_KINDS: readonly UnitKind[] = ['town', 'subdistrict'];

export const UNIT_KIND_LABELS: Record<UnitKind, { zh: string; en: string }> = {
  district: { zh: '区委', en: 'District' },
  town: { zh: '镇党委', en: 'Town' },
  subdistrict: { zh: '街道党工委', en: 'Sub-district' },
  village: { zh: '村党委', en: 'Village' },
  villager_group: { zh: '村民小组党支部', en: 'Villager group' },
  community: { zh: '社区党委', en: 'Community' },
  compound: { zh: '小区党支部', en: 'Compound' },
};

/** The grid a liaison unit belongs to decides the shape of its households' addresses. */
export type GridKind = 'village' | 'urban';
export function gridOf(kind: UnitKind): GridKind | null {
  if (kind === 'villager_group') return 'village';
  if (kind === 'compound') return 'urban';
  return null;
}

export function isAllowedParent(kind: UnitKind, parentKind: UnitKind | null): boolean {
  return ALLOWED_PARENTS[kind].includes(parentKind);
}

/** Refuses a unit of `kind` under a parent of `parentKind` (null: the root). */
export function assertAllowedParent(kind: UnitKind, parentKind: UnitKind | null): void {
  if (!isAllowedParent(kind, parentKind)) {
    throw new DomainError('UNIT_PARENT_INVALID', undefined, { kind, parentKind });
  }
}

/** A unit's place in the tree, as the rules below need it. */
export interface TreeNode {
  id: string;
  kind: UnitKind;
  /** Ids from the root down to this unit, itself included. */
  path: readonly string[];
}

/**
 * Refuses moving `unit` under `newParent`: the kind pair must be allowed, and the new
 * parent must not be the unit itself or lie in its subtree (that would make a cycle).
 */
export function assertMoveAllowed(unit: TreeNode, newParent: TreeNode | null): void {
  if (newParent && newParent.path.includes(unit.id)) {
    throw new DomainError('UNIT_CYCLE', undefined, { unitId: unit.id, parentId: newParent.id });
  }
  assertAllowedParent(unit.kind, newParent?.kind ?? null);
}

/** The space (town or sub-district) of a unit, given the kinds along its path. */
export function spaceOf(pathKinds: readonly { id: string; kind: UnitKind }[]): string | null {
  return pathKinds.find((n) => SPACE_UNIT_KINDS.includes(n.kind))?.id ?? null;
}
