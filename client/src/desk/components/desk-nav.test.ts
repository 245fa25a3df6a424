import { describe, expect, it } from 'vitest';
import { deskNav } from './desk-nav.ts';

const routes = [
  { path: '/desk/reports/sync', meta: { nav: { label: 'desk.reports.sync.title', group: 'reports' as const, order: 30 } } },
  { path: '/desk/reports', meta: { nav: { label: 'desk.reports.overview.title', group: 'reports' as const, order: 10 } } },
  { path: '/desk/admin/people', meta: { admin: true, nav: { label: 'desk.admin.people', group: 'admin' as const, order: 20 } } },
  { path: '/desk', meta: {} },
  { path: '/households', meta: { tab: 'households' as const } },
];

describe('the desk side navigation', () => {
  it('lists the pages with a nav entry, grouped and in their order', () => {
    expect(deskNav(routes, true)).toEqual([
      { group: 'reports', items: [{ path: '/desk/reports', label: 'desk.reports.overview.title' }, { path: '/desk/reports/sync', label: 'desk.reports.sync.title' }] },
      { group: 'admin', items: [{ path: '/desk/admin/people', label: 'desk.admin.people' }] },
    ]);
  });

  it('shows the admin group to admins only', () => {
    expect(deskNav(routes, false).map((g) => g.group)).toEqual(['reports']);
  });
});
