import type { Label } from '../sync/kind.ts';

/**
 * What each audit action code means, in the desk's two languages: the audit log screen and its
 * export show these, never the code. One entry per line, `<target>.<verb>`.
 */
export const AUDIT_ACTIONS = {
  'household.create': { zh: '新增住户', en: 'Household added' },
  'household.edit': { zh: '修改住户信息', en: 'Household edited' },
  'household.assign': { zh: '分配联系党员', en: 'Liaison assigned' },
  'household.archive': { zh: '归档住户', en: 'Household archived' },
  'household.unarchive': { zh: '恢复住户', en: 'Household restored' },
} as const satisfies Record<string, Label>;

/** The label of an action code, or the code itself for one this build does not know. */
export function auditActionLabel(code: string, lang: 'zh' | 'en' = 'zh'): string {
  return (AUDIT_ACTIONS as Record<string, Label>)[code]?.[lang] ?? code;
}
