import { CARE_TAGS } from '@shared/domain/household.ts';
import type { Role } from '@shared/domain/scope.ts';
import { CreateHousehold } from '@shared/schemas/household.ts';

/**
 * The roster workbook's shape, the one home of its sheet names, column headers and cell
 * texts: export, template and import all read it, so a header renamed here is renamed everywhere.
 */

export const PEOPLE_SHEET = '人员';
export const HOUSEHOLD_SHEET = '户';
export const GUIDE_SHEET = '说明';

export interface RosterColumn<K extends string = string> {
  key: K;
  header: string;
  width: number;
  required?: boolean;
  /** Kept as text in Excel (phones, keys): a typed 13800000000 must not become 1.38E+10. */
  text?: boolean;
  /** A drop-down list Excel offers; `strict` refuses anything else as it is typed. */
  list?: { values: readonly string[]; strict: boolean };
  /** One line of the 说明 sheet. */
  help: string;
}

export const ROLE_LABELS: Record<Role, string> = { member: '联户党员', supervisor: '督导', admin: '管理员' };
export const YES = '是';
export const NO = '否';
/** Several care tags in one cell are joined with 、 on export; 、，,;；and spaces all split on import. */
export const TAG_SEPARATOR = '、';
export const TAG_SPLIT = /[、，,;；\s]+/;
/** Unit paths name the units from the top of the tree down, joined with '/'. */
export const PATH_SEPARATOR = '/';

const SIZE = CreateHousehold.properties.size as unknown as { minimum: number; maximum: number };
export const SIZE_RANGE = { min: SIZE.minimum, max: SIZE.maximum };

export const PEOPLE_COLUMNS = [
  { key: 'name', header: '姓名', width: 14, required: true, help: '1至60个字。同一手机号出现在多行时，姓名须一致。' },
  { key: 'phone', header: '手机号', width: 15, required: true, text: true, help: '11位手机号，即登录账号；按手机号识别已有人员。' },
  { key: 'unit', header: '所属组织', width: 48, required: true, help: '从最上级写到本级，用“/”分隔，如：粤海区/石岭镇/石岭村/石岭村第一村民小组党支部。' },
  { key: 'role', header: '角色', width: 10, required: true, list: { values: Object.values(ROLE_LABELS), strict: true }, help: '联户党员、督导或管理员。一人有多个角色时每个角色写一行。联户党员须在村民小组、小区党支部等联户组织。' },
  { key: 'central', header: '党员中心户', width: 11, list: { values: [YES, NO], strict: true }, help: '是或否，仅联户党员可填“是”；空白视为“否”。' },
] as const satisfies readonly RosterColumn[];

export const HOUSEHOLD_COLUMNS = [
  { key: 'id', header: '户编号', width: 38, text: true, help: '系统生成，请勿修改。新增住户留空；留空时按“所属组织+住址”识别已有住户，找不到才新增。' },
  { key: 'headName', header: '户主姓名', width: 14, required: true, help: '1至60个字。' },
  { key: 'phone', header: '联系电话', width: 15, text: true, help: '户主的11位手机号，可空。' },
  { key: 'unit', header: '所属组织', width: 48, required: true, help: '住户所在的联户组织（村民小组、小区党支部等），写法同“人员”表。' },
  { key: 'houseNumber', header: '门牌号', width: 10, text: true, help: '农村网格填门牌号（不超过20字），城市网格留空。' },
  { key: 'building', header: '楼栋', width: 8, text: true, help: '城市网格填楼栋、单元、房号（各不超过20字），农村网格留空。' },
  { key: 'entrance', header: '单元', width: 8, text: true, help: '见“楼栋”。' },
  { key: 'room', header: '房号', width: 8, text: true, help: '见“楼栋”。' },
  { key: 'size', header: '家庭人数', width: 9, required: true, help: `${SIZE_RANGE.min}至${SIZE_RANGE.max}的整数。` },
  {
    key: 'careTags', header: '帮扶类别', width: 24, list: { values: CARE_TAGS.map((t) => t.zh), strict: false },
    help: `可空；多个类别用“${TAG_SEPARATOR}”分隔。可选：${CARE_TAGS.map((t) => t.zh).join(TAG_SEPARATOR)}。`,
  },
  { key: 'memberPhone', header: '联系党员手机号', width: 15, text: true, help: '负责联系该户的联户党员的手机号，须与住户同一组织；可空（暂无联系党员）。' },
  { key: 'notes', header: '备注', width: 30, help: '可空，不超过2000字。' },
] as const satisfies readonly RosterColumn[];

export type PeopleKey = (typeof PEOPLE_COLUMNS)[number]['key'];
export type HouseholdKey = (typeof HOUSEHOLD_COLUMNS)[number]['key'];

const CARE_TAG_BY_LABEL = new Map<string, string>(CARE_TAGS.flatMap((t) => [[t.zh, t.code], [t.code, t.code]]));
// Labels as the field says them too: 低保 for 低保户, 残疾 for 残疾人 (GLOSSARY.md's list).
for (const t of CARE_TAGS) for (const suffix of ['户', '人']) if (t.zh.endsWith(suffix)) CARE_TAG_BY_LABEL.set(t.zh.slice(0, -1), t.code);
const CARE_TAG_LABEL = new Map<string, string>(CARE_TAGS.map((t) => [t.code, t.zh]));
const CARE_TAG_ORDER = new Map<string, number>(CARE_TAGS.map((t, i) => [t.code, i]));

/** Care-tag codes as one cell's text. */
export const careTagsText = (codes: readonly string[]) => codes.map((c) => CARE_TAG_LABEL.get(c) ?? c).join(TAG_SEPARATOR);

/** A cell's care tags as codes in the list's order, and the words that are no tag. */
export function parseCareTags(text: string): { codes: string[]; unknown: string[] } {
  const codes = new Set<string>();
  const unknown: string[] = [];
  for (const word of text.split(TAG_SPLIT).filter(Boolean)) {
    const code = CARE_TAG_BY_LABEL.get(word);
    if (code) codes.add(code);
    else unknown.push(word);
  }
  return { codes: [...codes].sort((a, b) => CARE_TAG_ORDER.get(a)! - CARE_TAG_ORDER.get(b)!), unknown };
}

const ROLE_BY_LABEL = new Map<string, Role>(Object.entries(ROLE_LABELS).map(([role, label]) => [label, role as Role]));
// Longer names offices use for the same roles.
ROLE_BY_LABEL.set('督导员', 'supervisor').set('党员', 'member').set('党员户', 'member').set('党员楼长', 'member').set('党员中心户', 'member');
export const parseRole = (text: string): Role | null => ROLE_BY_LABEL.get(text) ?? null;

/** 是/否 (and Excel's TRUE/FALSE) as a flag; null when it is neither. Blank is 否. */
export function parseFlag(text: string): boolean | null {
  if (text === '' || text === NO || text.toUpperCase() === 'FALSE' || text === '0') return false;
  if (text === YES || text.toUpperCase() === 'TRUE' || text === '1') return true;
  return null;
}
