import type { RouteRecordRaw } from 'vue-router';

/** Supervisors' desk pages, children of /desk. Lazy imports only (see ../routes.ts). */
export const reportRoutes: RouteRecordRaw[] = [];
