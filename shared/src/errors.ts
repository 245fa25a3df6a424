/**
 * The one error-code union. The server maps each code to an HTTP status in one place,
 * the client explains each code to the member in Chinese — offline too — so both read it here.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, zh: '提交的内容不完整或格式不对', en: 'The request is incomplete or malformed' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in' },
  BAD_CREDENTIALS: { status: 401, zh: '手机号或密码不正确', en: 'Wrong phone number or password' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please log in again' },
  FORBIDDEN: { status: 403, zh: '您没有权限进行此操作', en: 'You are not allowed to do this' },
  OUT_OF_SCOPE: { status: 403, zh: '该记录不在您的管辖范围内', en: 'That record is outside your scope' },
  NOT_FOUND: { status: 404, zh: '找不到该记录', en: 'Not found' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已被注册', en: 'That phone number is already registered' },
  ID_TAKEN: { status: 409, zh: '该编号已存在', en: 'That id already exists' },
  UNIT_PARENT_INVALID: { status: 422, zh: '该组织不能设在所选上级组织之下', en: 'A unit of this kind cannot sit under that parent' },
  UNIT_CYCLE: { status: 422, zh: '不能把组织移到它自己或其下级之下', en: 'A unit cannot be moved under itself or its own subtree' },
  UNIT_RETIRED: { status: 422, zh: '该组织已撤销', en: 'That unit has been retired' },
  UNIT_NOT_EMPTY: { status: 422, zh: '该组织下仍有下级组织、党员或住户，不能撤销', en: 'The unit still holds units, members or households' },
  UNIT_NOT_LIAISON: { status: 422, zh: '联户党员和住户只能设在村民小组党支部、小区党支部、村党委或网格', en: 'Liaison members and households belong to a villager-group or compound branch, a village or a grid' },
  ADDRESS_KIND_MISMATCH: { status: 422, zh: '住址格式与所属网格不符（农村填门牌号，城市填楼栋、单元、房号）', en: 'The address does not fit the grid (village: house number; urban: building, entrance, room)' },
  MEMBER_UNIT_MISMATCH: { status: 422, zh: '只能分配给本网格的联户党员', en: 'A household can only be assigned to a member of its own unit' },
  MEMBER_AT_CAPACITY: { status: 422, zh: '该党员联系的住户已满', en: 'That member already looks after the maximum number of households' },
  HOUSEHOLD_ARCHIVED: { status: 422, zh: '该住户已归档，请先恢复', en: 'That household is archived; restore it first' },
  EXPORT_TOO_LARGE: { status: 422, zh: '要导出的记录超过5万条，请缩小日期或组织范围', en: 'More than 50,000 entries to export; narrow the dates or the unit' },
  RECORD_ID_REUSED: { status: 409, zh: '该记录编号已被另一条内容不同的记录使用，未保存', en: 'That record id is already used by a record with different content' },
  CONFLICT_SETTLED: { status: 409, zh: '该冲突已处理', en: 'This conflict has already been settled' },
  TRANSITION_NOT_ALLOWED: { status: 422, zh: '纠纷不能从当前状态转到所选状态', en: 'The dispute cannot move to that status from its current one' },
  DISPUTE_AT_TOP: { status: 422, zh: '已是最高一级，不能再上报', en: 'Already at the top tier; cannot escalate further' },
  DISPUTE_NOT_AT_YOUR_TIER: { status: 403, zh: '该纠纷已上报，由上级处理', en: 'The dispute has been escalated and is handled by a higher tier' },
  DISPUTE_PARTIES_SPLIT: { status: 422, zh: '纠纷当事住户须属于同一网格', en: 'The households of a dispute must belong to one branch' },
  TIME_IN_FUTURE: { status: 422, zh: '时间不能晚于现在', en: 'The time cannot be in the future' },
  MEDIATOR_NOT_ALLOWED: { status: 422, zh: '调解人须为本网格党员或处理该纠纷的负责人', en: 'Mediators must be members of the branch or supervisors handling the dispute' },
  MUTATION_FAILED: { status: 422, zh: '这条记录无法保存，已退回，请修改后重新提交', en: 'This record could not be stored; it was returned for correction' },
  VISIT_AMEND_FORBIDDEN: { status: 403, zh: '只能修改自己记录的走访', en: 'Only the author may amend a visit' },
  VISIT_AMEND_WINDOW_CLOSED: { status: 422, zh: '走访记录超过修改期限（7天），不能再修改', en: 'The visit can no longer be amended (7-day window)' },
  MUTATION_UNKNOWN: { status: 400, zh: '应用版本不支持该操作，请升级', en: 'Unknown kind of change; please update the app' },
  SCHEMA_VERSION_UNSUPPORTED: { status: 400, zh: '应用版本过新或过旧，请升级', en: 'Unsupported app data version; please update' },
  MUTATION_GAP: { status: 409, zh: '同步顺序不连续，正在重试', en: 'Changes arrived out of order; retrying' },
  CLIENT_NOT_YOURS: { status: 403, zh: '该设备属于另一位用户', en: 'This device belongs to another user' },
  HELD_FOR_REVIEW: { status: 409, zh: '设备已停用，这条记录已交上级审核', en: 'The device was retired; this record awaits a supervisor' },
  DEVICE_NOT_RETIRED: { status: 409, zh: '该设备未停用', en: 'This device has not been retired' },
  CLIENT_REVOKED: { status: 410, zh: '该设备已被停用，本机数据将被清除', en: 'This device has been revoked; its local data will be erased' },
  TOO_MANY_ATTEMPTS: { status: 429, zh: '密码错误次数过多，请{minutes}分钟后再试', en: 'Too many wrong passwords; try again in {minutes} minutes' },
  TOO_MANY_REQUESTS: { status: 429, zh: '此网络登录尝试过于频繁，请{minutes}分钟后再试', en: 'Too many login attempts from this network; try again in {minutes} minutes' },
  // The admin console: people, grants and accounts (issue 10).
  PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '管理员已重置您的密码，请先设置新密码', en: 'Your password was reset; please choose a new one first' },
  CURRENT_PASSWORD_WRONG: { status: 422, zh: '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_WEAK: { status: 422, zh: '新密码至少8位，须同时包含字母和数字，且不能包含手机号', en: 'The new password needs at least 8 characters with letters and digits, and must not contain the phone number' },
  PASSWORD_UNCHANGED: { status: 422, zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  ACCOUNT_DISABLED: { status: 403, zh: '该账号已停用，请联系管理员', en: 'This account has been disabled; please contact an administrator' },
  NOT_ON_SELF: { status: 422, zh: '不能对自己的账号进行此操作', en: 'You cannot do this to your own account' },
  PERSON_BEYOND_SCOPE: { status: 403, zh: '此人在您管辖范围之外另有职务，请由上级管理员操作', en: 'This person also holds a role outside your scope; ask a higher administrator' },
  LAST_ADMIN_GRANT: { status: 422, zh: '不能收回您自己仅有的管理员职务', en: 'You cannot take back your own last admin role' },
  MEMBER_HOLDS_HOUSEHOLDS: { status: 422, zh: '该党员仍联系着原支部的住户，请先改派这些住户，或选择调动时释放住户', en: 'The member still looks after households of their unit; reassign them first or release them with the move' },
  UNIT_MOVE_CHANGES_ADDRESS: { status: 422, zh: '该网格下已有住户，移到另一类上级后住址格式将不符，不能移动', en: 'The grid holds households whose address shape would no longer fit the new parent' },
  // Roster import (issue 10): the file as a whole, then one cell of it (reported per cell, status unused).
  ROSTER_FILE_INVALID: { status: 400, zh: '无法读取该文件，请上传 .xlsx 格式的花名册（可先下载模板）', en: 'The file could not be read; upload an .xlsx roster (download the template first)' },
  ROSTER_TOO_LARGE: { status: 413, zh: '文件过大，请分批导入', en: 'The file is too large; import it in parts' },
  ROSTER_SHEET_MISSING: { status: 422, zh: '缺少工作表', en: 'A sheet is missing' },
  ROSTER_COLUMN_MISSING: { status: 422, zh: '缺少列，请勿修改或删除表头', en: 'A column is missing; keep the header row as it is' },
  ROSTER_TOO_MANY_ROWS: { status: 422, zh: '行数超过上限，请分批导入', en: 'Too many rows; import them in parts' },
  ROSTER_REQUIRED: { status: 422, zh: '此项必填', en: 'This cell is required' },
  ROSTER_PHONE_INVALID: { status: 422, zh: '手机号应为以1开头的11位数字', en: 'A phone number is 11 digits starting with 1' },
  ROSTER_NAME_INVALID: { status: 422, zh: '姓名应为1至60个字，且不含换行等特殊字符', en: 'A name is 1 to 60 characters without line breaks or control characters' },
  ROSTER_TEXT_INVALID: { status: 422, zh: '内容过长或含换行等特殊字符', en: 'Too long, or contains line breaks or control characters' },
  ROSTER_DUPLICATE: { status: 422, zh: '与本文件中另一行重复', en: 'Duplicates another row of this file' },
  ROSTER_NAME_MISMATCH: { status: 422, zh: '同一手机号在本文件中的姓名不一致', en: 'The same phone number has different names in this file' },
  ROSTER_ROLE_INVALID: { status: 422, zh: '角色只能填：联户党员、督导、管理员', en: 'The role must be 联户党员, 督导 or 管理员' },
  ROSTER_FLAG_INVALID: { status: 422, zh: '只能填“是”或“否”', en: 'Must be 是 (yes) or 否 (no)' },
  ROSTER_FLAG_NOT_MEMBER: { status: 422, zh: '只有联户党员可以标为党员中心户', en: 'Only a liaison member can be a central household' },
  ROSTER_UNIT_UNKNOWN: { status: 422, zh: '找不到该组织，请按“区/镇/村/村民小组”的格式填写完整路径', en: 'No such unit; write the full path, names separated by /' },
  ROSTER_UNIT_AMBIGUOUS: { status: 422, zh: '组织路径有重名，无法确定是哪一个，请写出完整路径', en: 'The unit path is ambiguous (units share a name); write the full path' },
  ROSTER_UNIT_OUT_OF_SCOPE: { status: 422, zh: '该组织不在您的管辖范围内', en: 'That unit is outside your scope' },
  ROSTER_PERSON_OUT_OF_SCOPE: { status: 422, zh: '该手机号属于您管辖范围以外的人员，不能修改', en: 'That phone number belongs to someone outside your scope' },
  ROSTER_PERSON_DISABLED: { status: 422, zh: '该人员已停用，请先在“人员”页面恢复', en: 'That person is disabled; re-enable them first' },
  ROSTER_MEMBER_MOVE_BLOCKED: { status: 422, zh: '该党员仍联系原组织的住户，请在“户”表中一并调整这些住户或先改派', en: 'The member still looks after households of their old unit; move or reassign them in the same file' },
  ROSTER_HOUSEHOLD_UNKNOWN: { status: 422, zh: '户编号不存在、已归档或不在您的管辖范围内；新增住户请留空', en: 'No such household in your scope (or it is archived); leave the key blank for a new household' },
  ROSTER_MEMBER_PHONE_UNKNOWN: { status: 422, zh: '找不到该手机号的联户党员（须在“人员”表中或系统中已有）', en: 'No liaison member has that phone number (in the 人员 sheet or already in the system)' },
  ROSTER_SIZE_INVALID: { status: 422, zh: '家庭人数应为1至30之间的整数', en: 'Household size is a whole number from 1 to 30' },
  ROSTER_CARE_TAG_UNKNOWN: { status: 422, zh: '帮扶类别不在可选列表中，多个类别用顿号“、”分隔', en: 'Unknown care tag; separate several with 、' },
  INTERNAL: { status: 500, zh: '服务器出错，请稍后重试', en: 'Server error; please retry later' },
  SERVER_BUSY: { status: 503, zh: '服务器繁忙，请{seconds}秒后重试', en: 'The server is busy; retry in {seconds} seconds' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A domain rule was broken; carries a stable code the server maps to HTTP and the client explains. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? errorText(code, 'zh', details));
    this.name = 'DomainError';
  }
}

/** How long to wait, from an error body's `retryAfterSeconds`, for texts that say so. */
function waitWords(details: Record<string, unknown> | undefined, lang: 'zh' | 'en'): Record<string, string> {
  const s = Number(details?.retryAfterSeconds);
  if (!Number.isFinite(s) || s <= 0) return lang === 'zh' ? { minutes: '几', seconds: '几' } : { minutes: 'a few', seconds: 'a few' };
  return { minutes: String(Math.max(1, Math.ceil(s / 60))), seconds: String(Math.ceil(s)) };
}

/**
 * The user-facing text for a code, in the user's language; `{minutes}` and `{seconds}` say how
 * long to wait when the error body carries `retryAfterSeconds` (a lockout, a busy server).
 */
export function errorText(code: string, lang: 'zh' | 'en' = 'zh', details?: Record<string, unknown>): string {
  const entry = (ERROR_CODES as Record<string, { zh: string; en: string }>)[code];
  const text = entry ? entry[lang] : ERROR_CODES.INTERNAL[lang];
  if (!text.includes('{')) return text;
  const words = waitWords(details, lang);
  return text.replace(/\{(minutes|seconds)\}/g, (_, k: 'minutes' | 'seconds') => words[k]!);
}
