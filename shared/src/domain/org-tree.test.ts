import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { assertAllowedParent, assertMoveAllowed, isAllowedParent, spaceOf, UNIT_KINDS, type UnitKind } from './org-tree.ts';

// The glossary's two hierarchies, written out by hand so the table in org-tree.ts is checked, not echoed.
const EXPECTED: [UnitKind, UnitKind | null][] = [
  ['district', null],
  ['town', 'district'],
  ['subdistrict', 'district'],
  ['village', 'town'],
  ['village', 'subdistrict'],
  ['community', 'town'],
  ['community', 'subdistrict'],
  ['villager_group', 'village'],
  ['compound', 'community'],
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
