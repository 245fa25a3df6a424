import type { RouteRecordRaw } from 'vue-router';

const nav = (label: string, order: number) => ({ nav: { label: `desk.reports.${label}.title`, group: 'reports' as const, order } });

/** Supervisors' desk pages, children of /desk. Lazy imports only (see ../routes.ts). */
export const reportRoutes: RouteRecordRaw[] = [
  { path: 'reports', component: () => import('./OverviewPage.vue'), meta: nav('overview', 10) },
  { path: 'reports/conflicts', component: () => import('./ConflictsPage.vue'), meta: nav('conflicts', 20) },
  { path: 'reports/sync', component: () => import('./SyncPage.vue'), meta: nav('sync', 30) },
  { path: 'reports/disputes', component: () => import('./DisputesPage.vue'), meta: nav('disputes', 40) },
  { path: 'reports/coverage', component: () => import('./CoveragePage.vue'), meta: nav('coverage', 50) },
  { path: 'reports/held', component: () => import('./HeldPage.vue'), meta: nav('held', 60) },
];
