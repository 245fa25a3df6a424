import type { RouteRecordNormalized } from 'vue-router';

type Group = 'reports' | 'admin';
export interface NavGroup {
  group: Group;
  items: { path: string; label: string }[];
}

const GROUPS: Group[] = ['reports', 'admin'];

/**
 * The desk's side navigation from the routes' `meta.nav` (a page adds itself by adding its
 * route): grouped, each group in its `order`, the admin group only for admins — the router's
 * guard refuses those pages to others anyway; this keeps them out of sight.
 */
export function deskNav(routes: readonly Pick<RouteRecordNormalized, 'path' | 'meta'>[], isAdmin: boolean): NavGroup[] {
  return GROUPS.filter((g) => g !== 'admin' || isAdmin)
    .map((group) => ({
      group,
      items: routes
        .filter((r) => r.meta.nav?.group === group && r.path.startsWith('/desk'))
        .sort((a, b) => a.meta.nav!.order - b.meta.nav!.order)
        .map((r) => ({ path: r.path, label: r.meta.nav!.label })),
    }))
    .filter((g) => g.items.length > 0);
}
