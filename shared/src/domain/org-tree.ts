import { DomainError } from '../errors.ts';

/**
 * Unit kinds of both grids, from the top of the tree down (GLOSSARY.md). Province and city tiers
 * sit above the district for deployments that start higher; a district may still be a root.
 */
export const UNIT_KINDS = [
  'province',
  'city',
  'district',
  'town',
  'subdistrict',
  'village',
  'villager_group',
  'community',
  'compound',
  'grid',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Which kinds may sit directly under which; `null` is the root of the tree. */
export const ALLOWED_PARENTS: Record<UnitKind, readonly (UnitKind | null)[]> = {
  province: [null],
  city: [null, 'province'],
  district: [null, 'city'],
  town: ['district'],
  subdistrict: ['district'],
  village: ['town', 'subdistrict'],
  villager_group: ['village'],
  community: ['town', 'subdistrict'],
  compound: ['community'],
  // 网格: groups households and people under a village or a community (Daojiao: 53 grids).
  grid: ['village', 'community'],
};

/**
 * Units whose people are liaison members and which hold households directly: the branches
 * (农村党员户 / 党员楼长), a village whose central-household members sit directly under the
 * village Party branch (Yangjiang: no villager-group tier), and grids.
 */
export const LIAISON_UNIT_KINDS: readonly UnitKind[] = ['villager_group', 'compound', 'village', 'grid'];

/** Units that are a "space": the partition a record belongs to (DESIGN.md, Storage). */
export const SPACE_UNIT_KINDS: readonly UnitKind[] = ['town', 'subdistrict'];

export const UNIT_KIND_LABELS: Record<UnitKind, { zh: string; en: string }> = {
  province: { zh: '省委', en: 'Province' },
  city: { zh: '市委', en: 'City' },
  district: { zh: '区委', en: 'District' },
  town: { zh: '镇党委', en: 'Town' },
  subdistrict: { zh: '街道党工委', en: 'Sub-district' },
  village: { zh: '村党委', en: 'Village' },
  villager_group: { zh: '村民小组党支部', en: 'Villager group' },
  community: { zh: '社区党委', en: 'Community' },
  compound: { zh: '小区党支部', en: 'Compound' },
  grid: { zh: '网格', en: 'Grid' },
};

/**
 * The grid (village or urban) a liaison unit belongs to, which decides the shape of its
 * households' addresses; null for units that hold no households. A grid (网格) takes its
 * parent's: under a village, village addresses; under a community, urban ones — so a grid's
 * answer needs its parent's kind.
 */
export type GridKind = 'village' | 'urban';
export function gridOf(kind: UnitKind, parentKind: UnitKind | null = null): GridKind | null {
  switch (kind) {
    case 'villager_group':
    case 'village':
      return 'village';
    case 'compound':
      return 'urban';
    case 'grid':
      return parentKind === 'village' ? 'village' : parentKind === 'community' ? 'urban' : null;
    default:
      return null;
  }
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

/**
 * Refuses moving a unit that holds households under a parent that would change their address
 * shape (a grid moved from a village to a community): stored addresses would no longer fit.
 */
export function assertAddressShapeKept(kind: UnitKind, oldParentKind: UnitKind | null, newParentKind: UnitKind | null, holdsHouseholds: boolean): void {
  if (holdsHouseholds && gridOf(kind, oldParentKind) !== gridOf(kind, newParentKind)) {
    throw new DomainError('UNIT_MOVE_CHANGES_ADDRESS');
  }
}

/** The space (town or sub-district) of a unit, given the kinds along its path. */
export function spaceOf(pathKinds: readonly { id: string; kind: UnitKind }[]): string | null {
  return pathKinds.find((n) => SPACE_UNIT_KINDS.includes(n.kind))?.id ?? null;
}
