/** Household rules: care tags, the per-member load, the address shape of each grid. */

/**
 * Special-care tags (帮扶). Those about health, disability, welfare status, minors or
 * criminal records are sensitive personal information (PIPL art. 28): never printed on lists
 * meant for others. Kept as data so a deployment can extend it.
 */
export const CARE_TAGS = [
  { code: 'dibao', zh: '低保户', en: 'Minimum-living allowance', sensitive: true },
  { code: 'dibao_edge', zh: '低保边缘户', en: 'Near minimum allowance', sensitive: true },
  { code: 'tekun', zh: '特困供养', en: 'Extreme-poverty support', sensitive: true },
  { code: 'disabled', zh: '残疾人', en: 'Person with disability', sensitive: true },
  { code: 'serious_illness', zh: '重病患者', en: 'Serious illness', sensitive: true },
  { code: 'empty_nest', zh: '空巢老人', en: 'Empty-nest elderly', sensitive: false },
  { code: 'living_alone', zh: '独居老人', en: 'Elderly living alone', sensitive: false },
  { code: 'widowed_childless', zh: '孤寡老人', en: 'Childless widowed elderly', sensitive: false },
  { code: 'left_behind_child', zh: '留守儿童', en: 'Left-behind child', sensitive: true },
  { code: 'left_behind_elderly', zh: '留守老人', en: 'Left-behind elderly', sensitive: false },
  { code: 'needy_worker', zh: '困难职工', en: 'Worker in hardship', sensitive: true },
  { code: 'veteran', zh: '退役军人', en: 'Veteran', sensitive: false },
  { code: 'entitled_group', zh: '优抚对象', en: 'Entitled to special care', sensitive: false },
  { code: 'migrant', zh: '流动人口', en: 'Migrant resident', sensitive: false },
  { code: 'poverty_watch', zh: '防返贫监测户', en: 'Poverty-relapse watch', sensitive: true },
] as const;
export type CareTag = (typeof CARE_TAGS)[number]['code'];
export const CARE_TAG_CODES = CARE_TAGS.map((t) => t.code) as readonly CareTag[];

/** 每名队员联系3-5户群众: defaults; a deployment may change them in its configuration. */
export const DEFAULT_HOUSEHOLD_LIMITS = { min: 3, max: 5 } as const;
export interface HouseholdLimits {
  min: number;
  max: number;
}

/** Days without a visit after which a household is highlighted. */
export const VISIT_OVERDUE_DAYS = 30;

/** Keeps sensitive tags off lists meant for others. */
function publicTags(tags: readonly string[]): string[] {
  const sensitive = new Set<string>(CARE_TAGS.filter((t) => t.sensitive).map((t) => t.code));
  return tags.filter((t) => !sensitive.has(t));
}

/** Shows a phone as 138****1234 on lists meant for others. */
function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/**
 * A household as a list shows it to `viewerMemberId`: its own liaison sees everything; anyone
 * else (a supervisor scanning a branch) sees the phone masked and no sensitive care tags —
 * they open the household itself when they need more.
 */
export function shownOnList<H extends { memberId: string | null; phone: string | null; careTags: string[] }>(h: H, viewerMemberId: string | null): H {
  if (viewerMemberId !== null && h.memberId === viewerMemberId) return h;
  return { ...h, phone: maskPhone(h.phone), careTags: publicTags(h.careTags) };
}

/** Does an address have the shape its grid needs (village: house number; urban: building, entrance, room)? */
export function addressFitsGrid(grid: 'village' | 'urban', address: { kind: string }): boolean {
  return address.kind === grid;
}
