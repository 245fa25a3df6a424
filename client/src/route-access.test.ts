import { describe, expect, it } from 'vitest';
import { routeAccess, type Access } from './route-access.ts';

const member: Access = { isAuthenticated: true, isMember: true, isSupervisor: false, isAdmin: false, mustChangePassword: false, homePath: '/households' };
const forced: Access = { ...member, mustChangePassword: true, homePath: '/password' };
const to = (path: string, meta: Record<string, unknown> = {}) => ({ path, fullPath: path, meta });

describe('route access', () => {
  it('a forced password change opens nothing but the change-password screen', () => {
    for (const [path, meta] of [['/households', { member: true }], ['/me', {}], ['/sync', {}], ['/desk/admin/people', { admin: true }]] as const) {
      expect(routeAccess(to(path, meta), forced)).toBe('/password');
    }
    expect(routeAccess(to('/password'), forced)).toBe(true);
  });

  it('the login screen sends a forced user on to the change-password screen, not home', () => {
    expect(routeAccess(to('/login', { public: true }), forced)).toBe('/password');
  });

  it('once changed, the same user reaches their screens and may still open the password screen', () => {
    expect(routeAccess(to('/households', { member: true }), member)).toBe(true);
    expect(routeAccess(to('/password'), member)).toBe(true);
  });

  it('a logged-out user is sent to log in first, with where they were going', () => {
    const out = { ...member, isAuthenticated: false };
    expect(routeAccess(to('/password'), out)).toEqual({ path: '/login', query: { next: '/password' } });
  });

  it('admin screens stay closed to a member', () => {
    expect(routeAccess(to('/desk/admin/people', { admin: true }), member)).toBe('/households');
  });
});
