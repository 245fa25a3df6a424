import type { RouteRecordRaw } from 'vue-router';
import { adminRoutes } from './admin/routes.ts';
import { reportRoutes } from './reports/routes.ts';

/**
 * The desk (管理后台 and supervisors' reports at 1280 px and up). Only lazy imports here: the
 * router pulls this file into the phone's bundle, and Element Plus and ECharts must stay in the
 * desk's own chunks, loaded when a desk route opens. The side navigation is built from the
 * children's `meta.nav`, so a page adds itself by adding its route.
 */
export const deskRoutes: RouteRecordRaw[] = [
  {
    path: '/desk',
    component: () => import('./DeskLayout.vue'),
    meta: { desk: true, supervisor: true },
    children: [{ path: '', redirect: '/desk/reports' }, ...reportRoutes, ...adminRoutes],
  },
];
