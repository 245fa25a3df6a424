/**
 * Who may see and change what. The server filters every query by the scope computed here;
 * the client uses the same rules to decide what to offer.
 */
export type Role = 'member' | 'supervisor' | 'admin';
export type GrantRole = Exclude<Role, 'member'>;

/** A supervisor or admin grant on a unit, with the unit's path (root … unit). */
export interface Grant {
  role: GrantRole;
  unitId: string;
  unitPath: readonly string[];
}

/** What the server knows of a caller before computing their scope. */
export interface Caller {
  userId: string;
  /** Set when the caller is a liaison member (农村党员户 / 党员楼长). */
  memberId: string | null;
  grants: readonly Grant[];
}

/** The root of a subtree in scope: its id and its path (root … unit). */
export interface ScopeRoot {
  unitId: string;
  unitPath: readonly string[];
}

export interface Scope {
  userId: string;
  memberId: string | null;
  /** Roots of the subtrees the caller may read (supervisor or admin grants), none nested. */
  readRoots: ScopeRoot[];
  /** Roots of the subtrees the caller may manage (admin grants), none nested. */
  adminRoots: ScopeRoot[];
}

/** Keeps only the grants not already inside another grant's subtree, one per unit. */
function outermost(grants: readonly Grant[]): ScopeRoot[] {
  const ids = new Set(grants.map((g) => g.unitId));
  const roots = new Map<string, ScopeRoot>();
  for (const g of grants) {
    if (g.unitPath.slice(0, -1).some((ancestor) => ids.has(ancestor))) continue;
    roots.set(g.unitId, { unitId: g.unitId, unitPath: g.unitPath });
  }
  return [...roots.values()];
}

/** The caller's scope: a member's own households; a supervisor's or admin's whole subtree. */
export function scopeOf(caller: Caller): Scope {
  return {
    userId: caller.userId,
    memberId: caller.memberId,
    readRoots: outermost(caller.grants),
    adminRoots: outermost(caller.grants.filter((g) => g.role === 'admin')),
  };
}

export function rolesOf(caller: Caller): Role[] {
  const roles: Role[] = [];
  if (caller.memberId) roles.push('member');
  if (caller.grants.some((g) => g.role === 'supervisor')) roles.push('supervisor');
  if (caller.grants.some((g) => g.role === 'admin')) roles.push('admin');
  return roles;
}

/** May the caller read the unit whose path (root … unit) is given? */
export function canReadUnit(scope: Scope, unitPath: readonly string[]): boolean {
  return scope.readRoots.some((root) => unitPath.includes(root.unitId));
}

/** May the caller manage (create under, rename, move, retire, assign in) that unit? */
export function canAdminUnit(scope: Scope, unitPath: readonly string[]): boolean {
  return scope.adminRoots.some((root) => unitPath.includes(root.unitId));
}

/** A household is readable by its liaison member and by supervisors above its unit. */
export function canReadHousehold(
  scope: Scope,
  household: { memberId: string | null; unitPath: readonly string[] },
): boolean {
  return (scope.memberId !== null && household.memberId === scope.memberId) || canReadUnit(scope, household.unitPath);
}

/** Records of a household are written by its liaison member and by supervisors above its unit. */
export function canWriteHousehold(
  scope: Scope,
  household: { memberId: string | null; unitPath: readonly string[] },
): boolean {
  return canReadHousehold(scope, household);
}
