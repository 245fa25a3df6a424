import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from '../stores/session.ts';
import LoginView from '../views/LoginView.vue';
import HouseholdListView from '../views/HouseholdListView.vue';
import { deskRoutes } from '../desk/routes.ts';
import { PASSWORD_PATH, routeAccess } from '../route-access.ts';
import type { UserModule } from './types.ts';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean;
    /** Needs a liaison member (the member's own households). */
    member?: boolean;
    /** Needs supervisor or admin rights on some unit. */
    supervisor?: boolean;
    /** A desk screen (1280 px and up): no phone header or tab bar. */
    desk?: boolean;
    /** Needs admin rights on some unit. */
    admin?: boolean;
    /** A desk page's entry in the side navigation: its locale key and its group. */
    nav?: { label: string; group: 'reports' | 'admin'; order: number };
    /** Which bottom tab is lit; routes without one hide the tab bar. */
    tab?: 'households' | 'supervise' | 'me';
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', component: LoginView, meta: { public: true } },
  // Not a redirect: those run before the guard, and would send a logged-out user to /login?next=/me.
  { path: '/', component: { render: () => null }, beforeEnter: () => useSessionStore().homePath },
  { path: '/households', component: HouseholdListView, meta: { tab: 'households', member: true } },
  { path: '/households/:id', component: () => import('../views/HouseholdDetailView.vue'), props: true },
  { path: '/households/:id/visit', component: () => import('../views/VisitFormView.vue'), props: true },
  { path: '/households/:id/dispute', component: () => import('../views/DisputeFormView.vue'), props: true },
  { path: '/disputes/:id', component: () => import('../views/DisputeView.vue'), props: true },
  { path: '/sync', component: () => import('../views/SyncIssuesView.vue') },
  // Supervisor screens are for a desk: loaded only when opened, so members never download them.
  { path: '/supervise', component: () => import('../views/SuperviseView.vue'), meta: { tab: 'supervise', supervisor: true } },
  { path: '/reports', component: () => import('../views/ReportsView.vue'), meta: { supervisor: true } },
  { path: '/me', component: () => import('../views/MeView.vue'), meta: { tab: 'me' } },
  { path: PASSWORD_PATH, component: () => import('../views/ChangePasswordView.vue') },
  ...deskRoutes,
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  const session = useSessionStore();
  await session.hydrate();
  return routeAccess(to, session);
});

export const install: UserModule = (app) => {
  app.use(router);
};
