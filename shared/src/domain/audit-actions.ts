import type { Label } from '../sync/kind.ts';

/**
 * The one home of audit-log action codes and their labels (`<target>.<verb>`), in the desk's two
 * languages: the audit log screen and its export show these, never the code. Every
 * `recordAudit` action is listed; each feature appends its own lines.
 */
export const AUDIT_ACTIONS = {
  'unit.create': { zh: '新建组织', en: 'Unit created' },
  'unit.rename': { zh: '组织改名', en: 'Unit renamed' },
  'unit.move': { zh: '移动组织', en: 'Unit moved' },
  'unit.retire': { zh: '撤销组织', en: 'Unit retired' },
  'member.create': { zh: '新增党员', en: 'Member added' },
  'member.update': { zh: '修改党员信息', en: 'Member edited' },
  'member.move': { zh: '调动党员', en: 'Member moved' },
  'staff.create': { zh: '新增管理人员', en: 'Staff account created' },
  'grant.add': { zh: '授予职务', en: 'Role granted' },
  'grant.revoke': { zh: '收回职务', en: 'Role taken back' },
  'user.disable': { zh: '停用账号', en: 'Account disabled' },
  'user.enable': { zh: '恢复账号', en: 'Account re-enabled' },
  'user.reset_password': { zh: '重置密码', en: 'Password reset' },
  'user.unlock': { zh: '解除登录锁定', en: 'Login lock cleared' },
  'household.create': { zh: '新增住户', en: 'Household added' },
  'household.edit': { zh: '修改住户信息', en: 'Household edited' },
  'household.assign': { zh: '分配联系党员', en: 'Liaison assigned' },
  'household.archive': { zh: '归档住户', en: 'Household archived' },
  'household.unarchive': { zh: '恢复住户', en: 'Household restored' },
  'member.import': { zh: '花名册导入：党员', en: 'Roster import: member' },
  'grant.import': { zh: '花名册导入：授权', en: 'Roster import: role granted' },
  'user.import': { zh: '花名册导入：改名', en: 'Roster import: name changed' },
  'household.import': { zh: '花名册导入：住户', en: 'Roster import: household' },
} as const satisfies Record<string, Label>;

/** The label of an action code in the reader's language; an unknown code reads as a generic action, never raw. */
export function auditActionLabel(code: string, lang: 'zh' | 'en' = 'zh'): string {
  return (AUDIT_ACTIONS as Record<string, Label>)[code]?.[lang] ?? (lang === 'zh' ? '管理操作' : 'Admin action');
}
