import type { Address } from '@shared/schemas/household.ts';
import { CARE_TAGS } from '@shared/domain/household.ts';
import { UNIT_KIND_LABELS, type UnitKind } from '@shared/domain/org-tree.ts';
import { DISPUTE_STATUS_LABELS, type DisputeStatus } from '@shared/domain/dispute.ts';
import { isSyncTable, kindOf, mutationDef } from '@shared/sync/registry.ts';
import type { MutationStatus } from '@shared/sync/protocol.ts';

/** The two language codes the shared lists carry. */
export type Lang = 'zh' | 'en';

// Address parts arrive either bare ("3") or already suffixed ("3栋"); accept both.
const withSuffix = (part: string, suffixes: string[]) =>
  suffixes.some((s) => part.endsWith(s)) ? part : `${part}${suffixes[0]}`;
const bare = (part: string, suffixes: string[]) => {
  const hit = suffixes.find((s) => part.endsWith(s) && part.length > s.length);
  return hit ? part.slice(0, -hit.length) : part;
};

const BUILDING = ['栋', '幢', '座', '号楼'];
const ENTRANCE = ['单元'];
const HOUSE = ['号'];
const ROOM = ['室', '房'];

/** An address as the grid says it: village "12号", urban "3栋2单元502". */
export function formatAddress(address: Address, lang: Lang = 'zh'): string {
  if (address.kind === 'village') {
    return lang === 'zh' ? withSuffix(address.houseNumber, HOUSE) : `No. ${bare(address.houseNumber, HOUSE)}`;
  }
  if (lang === 'zh') {
    return `${withSuffix(address.building, BUILDING)}${withSuffix(address.entrance, ENTRANCE)}${address.room}`;
  }
  return `Bldg ${bare(address.building, BUILDING)}, Unit ${bare(address.entrance, ENTRANCE)}, Rm ${bare(address.room, ROOM)}`;
}

const TAGS = new Map<string, (typeof CARE_TAGS)[number]>(CARE_TAGS.map((t) => [t.code, t]));

/** A care tag's label; an unknown code (a deployment's own tag) shows as it is. */
export function careTagLabel(code: string, lang: Lang = 'zh'): string {
  return TAGS.get(code)?.[lang] ?? code;
}

/** Sensitive tags (PIPL art. 28) are shown differently and never on lists meant for others. */
export function isSensitiveTag(code: string): boolean {
  return TAGS.get(code)?.sensitive ?? false;
}

export function unitKindLabel(kind: UnitKind, lang: Lang = 'zh'): string {
  return UNIT_KIND_LABELS[kind][lang];
}

/** The i18n locale mapped to the shared lists' language code. */
export function langOf(locale: string): Lang {
  return locale.startsWith('en') ? 'en' : 'zh';
}

/** A record's field as people call it (from its kind's labels), never its code. */
export function fieldLabel(table: string, field: string, lang: Lang = 'zh'): string {
  return (isSyncTable(table) ? kindOf(table).fields?.[field]?.[lang] : undefined) ?? (lang === 'zh' ? '其他内容' : 'Other detail');
}

/** A field's value as people read it: statuses, care tags and addresses by their names. */
export function fieldValue(table: string, field: string, value: unknown, lang: Lang = 'zh'): string {
  if (value === null || value === undefined || value === '') return '—';
  if (table === 'disputes' && field === 'status' && typeof value === 'string') return DISPUTE_STATUS_LABELS[value as DisputeStatus]?.[lang] ?? value;
  if (field === 'careTags' && Array.isArray(value)) return value.map((c) => careTagLabel(String(c), lang)).join('、') || '—';
  if (field === 'address' && typeof value === 'object') return formatAddress(value as Address, lang);
  if (Array.isArray(value)) return value.join('、');
  if (typeof value === 'boolean') return lang === 'zh' ? (value ? '是' : '否') : value ? 'Yes' : 'No';
  return typeof value === 'object' ? Object.values(value).join(' ') : String(value);
}

/** How an uploaded change ended, in words (a device's upload log on the phone and the desk). */
const STATUS: Record<MutationStatus, { zh: string; en: string }> = {
  applied: { zh: '已生效', en: 'Applied' },
  duplicate: { zh: '重复上传', en: 'Duplicate' },
  conflict: { zh: '有冲突', en: 'Conflict' },
  rejected: { zh: '被退回', en: 'Refused' },
};
export const mutationStatusLabel = (status: MutationStatus, lang: Lang) => STATUS[status]?.[lang] ?? status;

/** What a logged or held change was ("记走访"), from its declaration. */
export const mutationLabel = (name: string, lang: Lang) => mutationDef(name)?.def.label[lang] ?? (lang === 'zh' ? '其他修改' : 'Other change');
