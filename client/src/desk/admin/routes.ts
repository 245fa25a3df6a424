import type { RouteRecordRaw } from 'vue-router';

/** 管理后台 pages (admins only), children of /desk. Lazy imports only (see ../routes.ts). */
export const adminRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/units',
    component: () => import('./OrgTreeView.vue'),
    meta: { admin: true, nav: { label: 'desk.nav.orgTree', group: 'admin', order: 10 } },
  },
  {
    path: 'admin/people',
    component: () => import('./PeopleView.vue'),
    meta: { admin: true, nav: { label: 'desk.nav.people', group: 'admin', order: 20 } },
  },
  // Every desk user's own password (the account menu), not an admin page.
  { path: 'password', component: () => import('./DeskPasswordView.vue') },
];
