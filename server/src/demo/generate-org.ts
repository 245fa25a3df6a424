import { CARE_TAG_CODES } from '@shared/domain/household.ts';
import type { GrantRole } from '@shared/domain/scope.ts';
import type { UnitKind } from '@shared/domain/org-tree.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Address } from '@shared/schemas/household.ts';
import { ordinal, personName, seededRandom } from './names.ts';

/** How big an organisation to make. `demo` is the README's; benchmarks scale it up. */
export interface OrgSize {
  towns: number;
  villagesPerTown: number;
  groupsPerVillage: number;
  subdistricts: number;
  communitiesPerSubdistrict: number;
  compoundsPerCommunity: number;
  membersPerBranch: number;
  /** Extra households per branch left without a liaison (a coverage gap to show). */
  unassignedPerBranch: number;
}

export const DEMO_SIZE: OrgSize = {
  towns: 1, villagesPerTown: 2, groupsPerVillage: 2,
  subdistricts: 1, communitiesPerSubdistrict: 2, compoundsPerCommunity: 2,
  membersPerBranch: 5, unassignedPerBranch: 1,
};

/** About 5,000 members and 20,000 households, for benchmarks. */
export const LARGE_SIZE: OrgSize = {
  towns: 5, villagesPerTown: 10, groupsPerVillage: 5,
  subdistricts: 5, communitiesPerSubdistrict: 10, compoundsPerCommunity: 5,
  membersPerBranch: 10, unassignedPerBranch: 0,
};

export interface GenUnit { id: string; kind: UnitKind; name: string; parentId: string | null; path: string[]; spaceId: string | null }
export interface GenUser { id: string; phone: string; name: string }
export interface GenMember { id: string; userId: string; unitId: string; centralHousehold: boolean }
export interface GenGrant { userId: string; role: GrantRole; unitId: string }
export interface GenHousehold {
  id: string; unitId: string; memberId: string | null; spaceId: string | null; headName: string; phone: string;
  size: number; address: Address; careTags: string[]; notes: string;
}
/** A demo login for the README and the start-up banner. */
export interface DemoLogin { phone: string; role: string; unit: string }

export interface GeneratedOrg {
  units: GenUnit[]; users: GenUser[]; members: GenMember[]; grants: GenGrant[]; households: GenHousehold[];
  logins: DemoLogin[];
}

const TOWN_NAMES = ['石岭镇', '龙湾镇', '白沙镇', '沙坪镇', '合山镇', '青云镇', '平冈镇', '塘坪镇'];
const VILLAGE_NAMES = ['石岭村', '龙塘村', '新围村', '大岗村', '上洞村', '下洋村', '东坑村', '西岸村', '南山村', '北埔村'];
const SUBDISTRICT_NAMES = ['东湖街道', '南桥街道', '西城街道', '北门街道', '中山街道', '江滨街道', '新港街道', '城南街道'];
const COMMUNITY_NAMES = ['东湖社区', '西苑社区', '南华社区', '北星社区', '锦绣社区', '碧桂社区', '滨江社区', '金沙社区', '青年社区', '幸福社区'];
const COMPOUND_NAMES = ['丽景花园', '阳光小区', '翠湖苑', '金色家园', '和谐雅居', '江南豪庭', '碧水湾', '新城小区'];
const NOTES = ['', '', '', '子女在外务工，老人独自在家', '家中有慢性病人，需定期关心', '对自来水改造有意见', '希望了解医保报销政策', '务工人员，白天不在家'];

const nth = <T>(xs: T[], i: number, suffix = '') => (i < xs.length ? xs[i]! : `${xs[i % xs.length]!}${Math.floor(i / xs.length) + 1}`) + suffix;

/**
 * Makes a whole organisation in memory — district, both grids, supervisors at every tier,
 * liaison members and their households — deterministically from the size and seed.
 * Phones are `prefix + category + number` filling 11 digits — category 0 staff, 1 village
 * members, 2 urban members, 7 households — so demo (1380000xxxx) and benchmark (139…) never meet.
 */
export function generateOrg(size: OrgSize, seed = 1, phonePrefix = '1380000'): GeneratedOrg {
  const rand = seededRandom(seed);
  const org: GeneratedOrg = { units: [], users: [], members: [], grants: [], households: [], logins: [] };
  const counters = [0, 0, 0, 0, 0, 0, 0, 0];
  const phone = (category: number) => {
    const n = String(++counters[category]!);
    return `${phonePrefix}${category}${n.padStart(10 - phonePrefix.length, '0')}`;
  };

  const unit = (kind: UnitKind, name: string, parent: GenUnit | null): GenUnit => {
    const id = uuidv7();
    // A town or sub-district is a space; the district above them versions as a space of its own.
    const spaceId = kind === 'town' || kind === 'subdistrict' || !parent ? id : parent.spaceId;
    const u: GenUnit = { id, kind, name, parentId: parent?.id ?? null, path: [...(parent?.path ?? []), id], spaceId };
    org.units.push(u);
    return u;
  };
  const staff = (role: GrantRole, u: GenUnit, title: string, printed: boolean) => {
    const user = { id: uuidv7(), phone: phone(0), name: personName(rand) };
    org.users.push(user);
    org.grants.push({ userId: user.id, role, unitId: u.id });
    if (printed) org.logins.push({ phone: user.phone, role: title, unit: u.name });
  };
  const branch = (u: GenUnit, grid: 'village' | 'urban', printed: boolean) => {
    let houseNo = 1;
    const household = (memberId: string | null): GenHousehold => {
      const n = houseNo++;
      const address =
        grid === 'village'
          ? { kind: 'village' as const, houseNumber: `${n}号` }
          : { kind: 'urban' as const, building: `${1 + Math.floor(n / 24)}栋`, entrance: `${1 + (Math.floor(n / 8) % 3)}单元`, room: `${1 + (n % 8)}0${1 + (n % 2)}` };
      const tags = CARE_TAG_CODES.filter(() => rand() < 0.07);
      return {
        id: uuidv7(), unitId: u.id, memberId, spaceId: u.spaceId, headName: personName(rand),
        phone: phone(7),
        size: 1 + Math.floor(rand() * 6), address, careTags: tags, notes: NOTES[Math.floor(rand() * NOTES.length)]!,
      };
    };
    for (let m = 0; m < size.membersPerBranch; m++) {
      const user = { id: uuidv7(), phone: phone(grid === 'village' ? 1 : 2), name: personName(rand) };
      const member = { id: uuidv7(), userId: user.id, unitId: u.id, centralHousehold: m === 0 || rand() < 0.2 };
      org.users.push(user);
      org.members.push(member);
      if (printed && m === 0) {
        org.logins.push({ phone: user.phone, role: grid === 'village' ? '农村党员户（党员中心户）' : '党员楼长（党员中心户）', unit: u.name });
      }
      // 3–5 households each; in every branch the last member holds only two, a gap to show.
      const count = m === size.membersPerBranch - 1 ? 2 : 3 + Math.floor(rand() * 3);
      for (let h = 0; h < count; h++) org.households.push(household(member.id));
    }
    for (let h = 0; h < size.unassignedPerBranch; h++) org.households.push(household(null));
  };

  const district = unit('district', '粤海区', null);
  staff('admin', district, '管理员（区委）', true);
  staff('supervisor', district, '区委', true);

  for (let t = 0; t < size.towns; t++) {
    const town = unit('town', nth(TOWN_NAMES, t), district);
    staff('supervisor', town, '镇党委', t === 0);
    for (let v = 0; v < size.villagesPerTown; v++) {
      const village = unit('village', nth(VILLAGE_NAMES, v), town);
      staff('supervisor', village, '村党委', t === 0 && v === 0);
      for (let g = 0; g < size.groupsPerVillage; g++) {
        const group = unit('villager_group', `${village.name}${ordinal(g)}村民小组党支部`, village);
        const first = t === 0 && v === 0 && g === 0;
        staff('supervisor', group, '村民小组党支部', first);
        branch(group, 'village', first);
      }
    }
  }
  for (let s = 0; s < size.subdistricts; s++) {
    const sub = unit('subdistrict', nth(SUBDISTRICT_NAMES, s), district);
    staff('supervisor', sub, '街道党工委', s === 0);
    for (let c = 0; c < size.communitiesPerSubdistrict; c++) {
      const community = unit('community', nth(COMMUNITY_NAMES, c), sub);
      staff('supervisor', community, '社区党委', s === 0 && c === 0);
      for (let k = 0; k < size.compoundsPerCommunity; k++) {
        const compound = unit('compound', `${community.name}${nth(COMPOUND_NAMES, k)}党支部`, community);
        const first = s === 0 && c === 0 && k === 0;
        staff('supervisor', compound, '小区党支部', first);
        branch(compound, 'urban', first);
      }
    }
  }
  return org;
}
