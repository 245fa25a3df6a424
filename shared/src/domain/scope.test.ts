import { describe, expect, it } from 'vitest';
import { canAdminUnit, canReadHousehold, canReadUnit, rolesOf, scopeOf } from './scope.ts';

const town = { unitId: 't', unitPath: ['d', 't'] };
const village = { unitId: 'v', unitPath: ['d', 't', 'v'] };
const community = { unitId: 'c', unitPath: ['d', 's', 'c'] };

describe('scope of a caller', () => {
  it('keeps only the outermost of nested grants', () => {
    const scope = scopeOf({ userId: 'u', memberId: null, grants: [{ role: 'supervisor', ...village }, { role: 'supervisor', ...town }] });
    expect(scope.readRoots.map((r) => r.unitId)).toEqual(['t']);
  });
  it('reads a subtree but nothing beside it', () => {
    const scope = scopeOf({ userId: 'u', memberId: null, grants: [{ role: 'supervisor', ...village }] });
    expect(canReadUnit(scope, ['d', 't', 'v', 'g'])).toBe(true);
    expect(canReadUnit(scope, ['d', 't'])).toBe(false);
    expect(canReadUnit(scope, ['d', 's', 'c'])).toBe(false);
    expect(canAdminUnit(scope, ['d', 't', 'v'])).toBe(false);
  });
  it('lets admins manage only under their admin grants', () => {
    const scope = scopeOf({ userId: 'u', memberId: null, grants: [{ role: 'admin', ...community }, { role: 'supervisor', ...town }] });
    expect(canAdminUnit(scope, ['d', 's', 'c', 'k'])).toBe(true);
    expect(canAdminUnit(scope, ['d', 't', 'v'])).toBe(false);
    expect(canReadUnit(scope, ['d', 't', 'v'])).toBe(true);
  });
  it('gives a member their own households only', () => {
    const scope = scopeOf({ userId: 'u', memberId: 'm1', grants: [] });
    expect(canReadHousehold(scope, { memberId: 'm1', unitPath: ['d', 't', 'v', 'g'] })).toBe(true);
    expect(canReadHousehold(scope, { memberId: 'm2', unitPath: ['d', 't', 'v', 'g'] })).toBe(false);
    expect(canReadHousehold(scope, { memberId: null, unitPath: ['d', 't', 'v', 'g'] })).toBe(false);
  });
  it('names the roles held', () => {
    expect(rolesOf({ userId: 'u', memberId: 'm', grants: [{ role: 'supervisor', ...village }] })).toEqual(['member', 'supervisor']);
    expect(rolesOf({ userId: 'u', memberId: null, grants: [{ role: 'admin', ...town }] })).toEqual(['admin']);
  });
});
