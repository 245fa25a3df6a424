import { ALLOWED_PARENTS, UNIT_KINDS, type UnitKind } from '@shared/domain/org-tree.ts';
import type { UnitTreeNode } from '@shared/schemas/unit.ts';

/** A unit as the org-tree page shows it: its listing, its children, and the names above it. */
export interface TreeItem extends UnitTreeNode {
  children: TreeItem[];
  /** Names from the top of the admin's tree down to this unit, itself included. */
  pathNames: string[];
  /** Ids from the top of the admin's tree down to this unit, itself included. */
  pathIds: string[];
}

/**
 * Nests the flat subtree listings (one per unit the admin administers) into one forest. A
 * subtree that lies inside another the admin also holds is shown once, where it sits.
 */
export function buildForest(listings: readonly (readonly UnitTreeNode[])[]): TreeItem[] {
  const items = new Map<string, TreeItem>();
  for (const listing of listings) {
    for (const node of listing) if (!items.has(node.id)) items.set(node.id, { ...node, children: [], pathNames: [], pathIds: [] });
  }
  const roots: TreeItem[] = [];
  for (const item of items.values()) {
    const parent = item.parentId ? items.get(item.parentId) : undefined;
    if (parent) parent.children.push(item);
    else roots.push(item);
  }
  const byName = (a: TreeItem, b: TreeItem) => a.name.localeCompare(b.name, 'zh-CN');
  const walk = (item: TreeItem, names: string[], ids: string[]) => {
    item.pathNames = [...names, item.name];
    item.pathIds = [...ids, item.id];
    item.children.sort(byName);
    for (const c of item.children) walk(c, item.pathNames, item.pathIds);
  };
  roots.sort(byName);
  for (const r of roots) walk(r, [], []);
  return roots;
}

/** Every item of a forest, parents before children. */
export function flatten(forest: readonly TreeItem[]): TreeItem[] {
  const out: TreeItem[] = [];
  const walk = (i: TreeItem) => {
    out.push(i);
    i.children.forEach(walk);
  };
  forest.forEach(walk);
  return out;
}

/** The kinds a new unit under `parent` may have, by the shared tree rules. */
export function childKinds(parent: UnitKind): UnitKind[] {
  return UNIT_KINDS.filter((k) => ALLOWED_PARENTS[k].includes(parent));
}

/**
 * Units `unit` could move under: the shared kind rule allows the pair, and the candidate is
 * neither the unit nor inside it (a cycle). The server checks both again.
 */
export function moveTargets(unit: TreeItem, all: readonly TreeItem[]): TreeItem[] {
  return all.filter((c) => c.id !== unit.parentId && !c.pathIds.includes(unit.id) && ALLOWED_PARENTS[unit.kind].includes(c.kind));
}
