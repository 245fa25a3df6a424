/** What each audit-log action code means, in the desk's languages (one entry per line). */
export const AUDIT_ACTIONS: Record<string, { zh: string; en: string }> = {
  'member.import': { zh: '花名册导入：党员', en: 'Roster import: member' },
  'grant.import': { zh: '花名册导入：授权', en: 'Roster import: role granted' },
  'user.import': { zh: '花名册导入：改名', en: 'Roster import: name changed' },
  'household.import': { zh: '花名册导入：住户', en: 'Roster import: household' },
};
