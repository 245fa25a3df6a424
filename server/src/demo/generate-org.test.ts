import { describe, expect, it } from 'vitest';
import { isAllowedParent } from '@shared/domain/org-tree.ts';
import { DEMO_SIZE, LARGE_SIZE, generateOrg } from './generate-org.ts';

describe('the demo organisation', () => {
  const org = generateOrg(DEMO_SIZE);

  it('is a valid tree of both grids', () => {
    const byId = new Map(org.units.map((u) => [u.id, u]));
    for (const u of org.units) {
      const parent = u.parentId ? byId.get(u.parentId)! : null;
      expect(isAllowedParent(u.kind, parent?.kind ?? null), `${u.name}`).toBe(true);
      expect(u.path.at(-1)).toBe(u.id);
    }
    for (const kind of ['district', 'town', 'village', 'villager_group', 'subdistrict', 'community', 'compound'] as const) {
      expect(org.units.some((u) => u.kind === kind), kind).toBe(true);
    }
  });

  it('has about 40 members and 150 households, each member with 2 to 5', () => {
    expect(org.members.length).toBe(40);
    expect(org.households.length).toBeGreaterThanOrEqual(140);
    expect(org.households.length).toBeLessThanOrEqual(160);
    for (const m of org.members) {
      const n = org.households.filter((h) => h.memberId === m.id).length;
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
    }
    expect(org.households.some((h) => h.memberId === null)).toBe(true);
  });

  it('uses unique phones in the reserved 1380000xxxx range', () => {
    const phones = [...org.users.map((u) => u.phone), ...org.households.map((h) => h.phone)];
    expect(new Set(phones).size).toBe(phones.length);
    for (const p of phones) expect(p).toMatch(/^1380000\d{4}$/);
  });

  it('prints a login for a liaison member of each grid, a supervisor at every tier and an admin', () => {
    const roles = org.logins.map((l) => l.role);
    for (const r of ['管理员（区委）', '区委', '镇党委', '村党委', '村民小组党支部', '街道党工委', '社区党委', '小区党支部']) {
      expect(roles).toContain(r);
    }
    expect(roles.filter((r) => r.includes('党员户') || r.includes('楼长')).length).toBe(2);
  });

  it('is the same organisation for the same seed', () => {
    const again = generateOrg(DEMO_SIZE);
    expect(again.users.map((u) => u.name)).toEqual(org.users.map((u) => u.name));
  });
});

describe('the benchmark organisation', () => {
  it('has about 5,000 members and 20,000 households with unique phones', () => {
    const org = generateOrg(LARGE_SIZE, 1, '139');
    expect(org.members.length).toBe(5000);
    expect(org.households.length).toBeGreaterThan(18_000);
    expect(org.households.length).toBeLessThan(21_000);
    const phones = new Set(org.users.map((u) => u.phone));
    expect(phones.size).toBe(org.users.length);
    for (const p of phones) expect(p).toMatch(/^139\d{8}$/);
  });
});
