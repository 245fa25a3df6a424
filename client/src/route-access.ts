import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';

/** What the guard needs to know about who is logged in (the session store, or a test's stand-in). */
export interface Access {
  isAuthenticated: boolean;
  isMember: boolean;
  isSupervisor: boolean;
  isAdmin: boolean;
  mustChangePassword: boolean;
  homePath: string;
}

/** The screen every user may open to change their own password; the only one while a change is forced. */
export const PASSWORD_PATH = '/password';

/**
 * Where a navigation may go: `true`, or where to send the user instead. A forced password change
 * (an admin reset the password) comes before everything else: no screen but the change-password
 * one, and logging out, until it is done.
 */
export function routeAccess(to: Pick<RouteLocationNormalized, 'path' | 'fullPath' | 'meta'>, s: Access): true | RouteLocationRaw {
  if (to.meta.public) return s.isAuthenticated && to.path === '/login' ? s.homePath : true;
  if (!s.isAuthenticated) return { path: '/login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  if (s.mustChangePassword) return to.path === PASSWORD_PATH ? true : PASSWORD_PATH;
  if ((to.meta.supervisor && !s.isSupervisor) || (to.meta.admin && !s.isAdmin) || (to.meta.member && !s.isMember)) {
    return to.path === s.homePath ? '/me' : s.homePath;
  }
  return true;
}
