import type { FieldLabels } from '../sync/kind.ts';

/**
 * What people call the fields of requests that are not records (logging in, the admin's forms,
 * report filters), so a refused request names the field as the screen does. Record fields are
 * named by their kinds (shared/src/kinds/).
 */
export const REQUEST_FIELDS: { fields: FieldLabels } = {
  fields: {
    phone: { zh: '手机号', en: 'Phone', format: { zh: '11位手机号', en: 'an 11-digit mobile number' } },
    password: { zh: '密码', en: 'Password' },
    clientId: { zh: '设备编号', en: 'Device id' },
    name: { zh: '名称', en: 'Name' },
    unitId: { zh: '组织', en: 'Unit' },
    parentId: { zh: '上级组织', en: 'Parent unit' },
    memberId: { zh: '联系党员', en: 'Liaison member' },
    userId: { zh: '人员', en: 'Person' },
    role: { zh: '角色', en: 'Role' },
    days: { zh: '统计天数', en: 'Days' },
    staleDays: { zh: '未同步天数', en: 'Days without sync' },
    cursor: { zh: '同步位置', en: 'Sync position' },
    telemetry: { zh: '设备状态', en: 'Device report' },
    decision: { zh: '处理决定', en: 'Decision' },
    headName: { zh: '户主姓名', en: 'Head of household' },
    size: { zh: '家庭人数', en: 'Household size' },
    address: { zh: '住址', en: 'Address' },
    careTags: { zh: '帮扶类别', en: 'Care tags' },
    notes: { zh: '备注', en: 'Notes' },
    householdIds: { zh: '住户', en: 'Households' },
    q: { zh: '搜索内容', en: 'Search text' },
    liaison: { zh: '联系情况', en: 'Liaison' },
    archived: { zh: '归档状态', en: 'Archived' },
    page: { zh: '页码', en: 'Page' },
    pageSize: { zh: '每页条数', en: 'Page size' },
    changes: { zh: '修改内容', en: 'Changes' },
    action: { zh: '操作类型', en: 'Action' },
    actor: { zh: '操作人', en: 'Actor' },
    target: { zh: '操作对象', en: 'Target' },
    from: { zh: '开始日期', en: 'From' },
    to: { zh: '结束日期', en: 'To' },
  },
};
