/**
 * The standard lists of grid and people's-mediation work (GLOSSARY.md), as data with Chinese
 * labels and English codes, so a deployment can extend them without touching code.
 */
export interface ListEntry<C extends string = string> {
  code: C;
  zh: string;
  en: string;
}

export const VISIT_METHODS = [
  { code: 'in_person', zh: '入户', en: 'In person' },
  { code: 'phone', zh: '电话', en: 'Phone' },
  { code: 'wechat', zh: '微信', en: 'WeChat' },
  { code: 'video', zh: '视频', en: 'Video' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies readonly ListEntry[];
export type VisitMethod = (typeof VISIT_METHODS)[number]['code'];

/** The five duties of a central-household member, which are also the purposes of a visit. */
export const DUTIES = [
  { code: 'policy', zh: '政策宣讲', en: 'Policy explainer' },
  { code: 'concerns', zh: '民情收集', en: 'Residents\' concerns' },
  { code: 'errand', zh: '为民办事', en: 'Errands' },
  { code: 'mediation', zh: '矛盾调解', en: 'Dispute mediation' },
  { code: 'hardship', zh: '困难帮扶', en: 'Hardship help' },
] as const satisfies readonly ListEntry[];
export type Duty = (typeof DUTIES)[number]['code'];

/** 诉求 categories of the 民生 ledger. */
export const CONCERN_CATEGORIES = [
  { code: 'water', zh: '水利', en: 'Water' },
  { code: 'transport', zh: '交通', en: 'Transport' },
  { code: 'energy', zh: '能源', en: 'Energy' },
  { code: 'education', zh: '教育', en: 'Education' },
  { code: 'culture_sports', zh: '文体', en: 'Culture and sports' },
  { code: 'health', zh: '医疗', en: 'Health care' },
  { code: 'employment', zh: '劳动就业', en: 'Employment' },
  { code: 'environment', zh: '环境', en: 'Environment' },
  { code: 'construction', zh: '城乡建设', en: 'Urban and rural construction' },
  { code: 'agriculture', zh: '农业', en: 'Agriculture' },
  { code: 'social_security', zh: '社会保障', en: 'Social security' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies readonly ListEntry[];
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number]['code'];

/** The 15 dispute categories of mediation statistics. */
export const DISPUTE_CATEGORIES = [
  { code: 'marriage_family', zh: '婚姻家庭', en: 'Marriage and family' },
  { code: 'neighbour', zh: '邻里', en: 'Neighbours' },
  { code: 'housing_land', zh: '房屋宅基地', en: 'Housing and homestead' },
  { code: 'contract', zh: '合同', en: 'Contract' },
  { code: 'business', zh: '生产经营', en: 'Business' },
  { code: 'damages', zh: '损害赔偿', en: 'Damages' },
  { code: 'forest_land', zh: '山林土地', en: 'Forest and land' },
  { code: 'requisition', zh: '征地拆迁', en: 'Land requisition' },
  { code: 'pollution', zh: '环境污染', en: 'Pollution' },
  { code: 'labour', zh: '劳动争议', en: 'Labour' },
  { code: 'consumer', zh: '消费', en: 'Consumer' },
  { code: 'medical', zh: '医疗', en: 'Medical' },
  { code: 'traffic', zh: '道路交通事故', en: 'Traffic accident' },
  { code: 'property_mgmt', zh: '物业', en: 'Property management' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const satisfies readonly ListEntry[];
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number]['code'];

export const DISPUTE_RISK_LEVELS = [
  { code: 'red', zh: '红色（重大）', en: 'Red (major)' },
  { code: 'orange', zh: '橙色（可能激化）', en: 'Orange (may escalate)' },
  { code: 'yellow', zh: '黄色（一般）', en: 'Yellow (ordinary)' },
  { code: 'blue', zh: '蓝色（潜在）', en: 'Blue (latent)' },
] as const satisfies readonly ListEntry[];
export type DisputeRiskLevel = (typeof DISPUTE_RISK_LEVELS)[number]['code'];

export const DISPUTE_SOURCES = [
  { code: 'party_request', zh: '当事人申请', en: 'A party asked' },
  { code: 'grid_found', zh: '主动排查', en: 'Found by the grid' },
  { code: 'handed_over', zh: '部门移交', en: 'Handed over by a department' },
] as const satisfies readonly ListEntry[];

export const codesOf = <T extends readonly ListEntry[]>(list: T) => list.map((e) => e.code) as unknown as { [K in keyof T]: T[K]['code'] };
export const labelOf = (list: readonly ListEntry[], code: string, lang: 'zh' | 'en' = 'zh') => list.find((e) => e.code === code)?.[lang] ?? code;
