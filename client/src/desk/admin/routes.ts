import type { RouteRecordRaw } from 'vue-router';

/** 管理后台 pages (admins only), children of /desk. Lazy imports only (see ../routes.ts). */
export const adminRoutes: RouteRecordRaw[] = [
  { path: 'admin/roster', component: () => import('./RosterView.vue'), meta: { admin: true, nav: { label: 'desk.nav.roster', group: 'admin', order: 50 } } },
];
