import { REQUEST_FIELDS } from '../schemas/request-fields.ts';
import type { Label } from '../sync/kind.ts';
import { isSyncTable, kindOf } from '../sync/registry.ts';
import { CARE_TAGS } from './household.ts';
import { UNIT_KIND_LABELS } from './org-tree.ts';

/**
 * An audit entry's before and after as people read them: one line per field that differs,
 * named as the screens name it, values in words ("户主姓名：张三 → 李四"). The desk's audit
 * screen and its export both use it, so they never disagree.
 */

/** Fields an audit entry carries that no record kind names. */
const AUDIT_FIELDS: Record<string, Label> = {
  memberName: { zh: '联系党员', en: 'Liaison member' },
  archivedAt: { zh: '归档时间', en: 'Archived at' },
  // The people side of the admin console (units, members, accounts).
  kind: { zh: '组织类型', en: 'Unit kind' },
  unitName: { zh: '所在组织', en: 'Unit' },
  parentName: { zh: '上级组织', en: 'Parent unit' },
  retiredAt: { zh: '撤销时间', en: 'Retired at' },
  households: { zh: '联系住户数', en: 'Households' },
  disabledAt: { zh: '停用时间', en: 'Disabled at' },
  devicesRetired: { zh: '停用的设备数', en: 'Devices retired' },
  devicesRestored: { zh: '恢复的设备数', en: 'Devices restored' },
  releasedHouseholds: { zh: '释放的住户数', en: 'Households released' },
  mustChangePassword: { zh: '须修改密码', en: 'Must change password' },
  failures: { zh: '登录失败次数', en: 'Failed logins' },
  name: { zh: '姓名', en: 'Name' },
  phone: { zh: '手机号', en: 'Phone' },
  role: { zh: '职务', en: 'Role' },
  centralHousehold: { zh: '党员中心户', en: 'Central household' },
  disabled: { zh: '已停用', en: 'Disabled' },
  retired: { zh: '已撤销', en: 'Retired' },
};
/** Coded values shown by their names (the role names are the member app's, client/src/locales). */
const AUDIT_CODES: Record<string, Record<string, Label>> = {
  kind: UNIT_KIND_LABELS,
  role: { member: { zh: '联户党员', en: 'Member' }, supervisor: { zh: '督导', en: 'Supervisor' }, admin: { zh: '管理员', en: 'Administrator' } },
};
/** Ids kept for the record, shown through the names beside them. */
const HIDDEN = new Set(['id', 'memberId', 'unitId', 'userId', 'fieldMeta', 'updatedAt', 'parentId']);

function fieldLabel(targetKind: string, field: string, lang: 'zh' | 'en'): string {
  const kindFields = isSyncTable(targetKind) ? kindOf(targetKind).fields : undefined;
  const label = kindFields?.[field] ?? AUDIT_FIELDS[field] ?? REQUEST_FIELDS.fields[field];
  return label ? label[lang] : field;
}

const EMPTY = { zh: '（空）', en: '(none)' };
const tagLabels = new Map<string, Label>(CARE_TAGS.map((t) => [t.code, t]));

/** A stored value in words: an address as written on a door, tags by their names, times in China time. */
export function auditValue(v: unknown, lang: 'zh' | 'en' = 'zh'): string {
  if (v === null || v === undefined || v === '') return EMPTY[lang];
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? (tagLabels.get(x)?.[lang] ?? x) : auditValue(x, lang))).join('、') : EMPTY[lang];
  if (typeof v === 'object') {
    const a = v as Record<string, unknown>;
    if (a.kind === 'village') return String(a.houseNumber ?? '');
    if (a.kind === 'urban') return `${String(a.building ?? '')}${String(a.entrance ?? '')}${String(a.room ?? '')}`;
    return JSON.stringify(v);
  }
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) {
    return new Date(v).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false });
  }
  return String(v);
}

/** Lists of ids (devices retired, households released) read as how many there were, as on the desk. */
const isIdList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && /^[0-9a-zA-Z_-]{16,}$/.test(x));

/** A value in words, by its field's code list where it has one (a unit kind, a role). */
function fieldValue(field: string, v: unknown, lang: 'zh' | 'en'): string {
  if (isIdList(v)) return String((v as unknown[]).length);
  const coded = typeof v === 'string' ? AUDIT_CODES[field]?.[v] : undefined;
  return coded ? coded[lang] : auditValue(v, lang);
}

/** The fields that differ between before and after (a creation: every field after), in words. */
export function auditChanges(targetKind: string, before: unknown, after: unknown, lang: 'zh' | 'en' = 'zh'): { label: string; before: string; after: string }[] {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => !HIDDEN.has(f));
  return fields
    .filter((f) => JSON.stringify(b[f] ?? null) !== JSON.stringify(a[f] ?? null))
    .map((f) => ({ label: fieldLabel(targetKind, f, lang), before: fieldValue(f, b[f], lang), after: fieldValue(f, a[f], lang) }));
}

/** The whole change on one line: "户主姓名：张三 → 李四；家庭人数：3 → 4". */
export function auditChangeText(targetKind: string, before: unknown, after: unknown, lang: 'zh' | 'en' = 'zh'): string {
  const sep = lang === 'zh' ? '：' : ': ';
  return auditChanges(targetKind, before, after, lang)
    .map((c) => `${c.label}${sep}${c.before} → ${c.after}`)
    .join(lang === 'zh' ? '；' : '; ');
}
