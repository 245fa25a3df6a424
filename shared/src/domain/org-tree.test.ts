import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import {
  assertAddressShapeKept, assertAllowedParent, assertMoveAllowed, gridOf, isAllowedParent, LIAISON_UNIT_KINDS, spaceOf, UNIT_KIND_LABELS, UNIT_KINDS, type UnitKind,
} from './org-tree.ts';

// The glossary's two hierarchies, written out by hand so the table in org-tree.ts is checked, not echoed.
const EXPECTED: [UnitKind, UnitKind | null][] = [
  // Province and city tiers above the district; each of the three may be the root.
  ['province', null],
  ['city', null],
  ['city', 'province'],
  ['district', null],
  ['district', 'city'],
  ['town', 'district'],
  ['subdistrict', 'district'],
  ['village', 'town'],
  ['village', 'subdistrict'],
  ['community', 'town'],
  ['community', 'subdistrict'],
  ['villager_group', 'village'],
  ['compound', 'community'],
  // 网格 under a village or a community.
  ['grid', 'village'],
  ['grid', 'community'],
];

describe('unit parent rules', () => {
  const parents: (UnitKind | null)[] = [null, ...UNIT_KINDS];
  for (const kind of UNIT_KINDS) {
    for (const parent of parents) {
      const allowed = EXPECTED.some(([k, p]) => k === kind && p === parent);
      it(`${kind} under ${parent ?? 'the root'} is ${allowed ? 'allowed' : 'refused'}`, () => {
        expect(isAllowedParent(kind, parent)).toBe(allowed);
        if (allowed) expect(() => assertAllowedParent(kind, parent)).not.toThrow();
        else expect(() => assertAllowedParent(kind, parent)).toThrow(expect.objectContaining({ code: 'UNIT_PARENT_INVALID' }));
      });
    }
  }
});

describe('moving a unit', () => {
  const village = { id: 'v', kind: 'village' as const, path: ['d', 't', 'v'] };
  it('refuses a move under its own subtree (a cycle)', () => {
    const group = { id: 'g', kind: 'villager_group' as const, path: ['d', 't', 'v', 'g'] };
    expect(() => assertMoveAllowed(village, group)).toThrow(DomainError);
    expect(() => assertMoveAllowed(village, group)).toThrow(expect.objectContaining({ code: 'UNIT_CYCLE' }));
  });
  it('refuses a move under itself', () => {
    expect(() => assertMoveAllowed(village, village)).toThrow(expect.objectContaining({ code: 'UNIT_CYCLE' }));
  });
  it('refuses a move under a parent of the wrong kind', () => {
    const compound = { id: 'c', kind: 'compound' as const, path: ['d', 's', 'm', 'c'] };
    expect(() => assertMoveAllowed(village, compound)).toThrow(expect.objectContaining({ code: 'UNIT_PARENT_INVALID' }));
  });
  it('allows a village to move from a town to a sub-district', () => {
    expect(() => assertMoveAllowed(village, { id: 's', kind: 'subdistrict', path: ['d', 's'] })).not.toThrow();
  });
});

describe('space of a unit', () => {
  it('is the town or sub-district on its path', () => {
    expect(spaceOf([{ id: 'd', kind: 'district' }, { id: 't', kind: 'town' }, { id: 'v', kind: 'village' }])).toBe('t');
    expect(spaceOf([{ id: 'd', kind: 'district' }])).toBeNull();
  });
});

describe('liaison units and address shapes', () => {
  it('members and households sit in branches, in a village directly (Yangjiang), and in grids', () => {
    expect([...LIAISON_UNIT_KINDS].sort()).toEqual(['compound', 'grid', 'village', 'villager_group']);
  });

  it('every unit that holds households has an address shape, and no other does', () => {
    for (const kind of UNIT_KINDS) {
      const parents = EXPECTED.filter(([k]) => k === kind).map(([, p]) => p);
      for (const parent of parents) expect(gridOf(kind, parent) !== null, `${kind} under ${parent}`).toBe(LIAISON_UNIT_KINDS.includes(kind));
    }
  });

  it('a grid takes its parent’s shape: village addresses under a village, urban under a community', () => {
    expect(gridOf('grid', 'village')).toBe('village');
    expect(gridOf('grid', 'community')).toBe('urban');
    expect(gridOf('grid', null)).toBeNull();
    expect(gridOf('village', 'town')).toBe('village');
    expect(gridOf('villager_group', 'village')).toBe('village');
    expect(gridOf('compound', 'community')).toBe('urban');
  });

  it('refuses moving a grid with households to a parent of the other shape, and allows it when empty or same-shaped', () => {
    expect(() => assertAddressShapeKept('grid', 'village', 'community', true)).toThrow(expect.objectContaining({ code: 'UNIT_MOVE_CHANGES_ADDRESS' }));
    expect(() => assertAddressShapeKept('grid', 'village', 'community', false)).not.toThrow();
    expect(() => assertAddressShapeKept('grid', 'village', 'village', true)).not.toThrow();
    expect(() => assertAddressShapeKept('village', 'town', 'subdistrict', true)).not.toThrow();
  });

  it('every kind has a Chinese label without Latin letters', () => {
    for (const kind of UNIT_KINDS) expect(UNIT_KIND_LABELS[kind].zh).toMatch(/^[^A-Za-z]+$/);
    expect(UNIT_KIND_LABELS.grid.zh).toBe('网格');
  });
});
