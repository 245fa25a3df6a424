import type { RouteComponent, RouteRecordRaw } from 'vue-router';

type LazyPage = () => Promise<RouteComponent | { default: RouteComponent }>;

/** An admin page with its entry in the side navigation (`desk.nav.<label>`, admin group). */
const page = (path: string, component: LazyPage, label: string, order: number): RouteRecordRaw => ({
  path,
  component,
  meta: { admin: true, nav: { label: `desk.nav.${label}`, group: 'admin', order } },
});

/** 管理后台 pages (admins only), children of /desk. Lazy imports only (see ../routes.ts). */
export const adminRoutes: RouteRecordRaw[] = [
  page('admin/units', () => import('./OrgTreeView.vue'), 'orgTree', 10),
  page('admin/people', () => import('./PeopleView.vue'), 'people', 20),
  page('admin/households', () => import('./HouseholdsView.vue'), 'households', 30),
  page('admin/assignment', () => import('./AssignmentView.vue'), 'assignment', 40),
  page('admin/audit', () => import('./AuditLogView.vue'), 'audit', 60),
  // Every desk user's own password (the account menu), not an admin page.
  { path: 'password', component: () => import('./DeskPasswordView.vue') },
  { path: 'admin/roster', component: () => import('./RosterView.vue'), meta: { admin: true, nav: { label: 'desk.nav.roster', group: 'admin', order: 50 } } },
];
