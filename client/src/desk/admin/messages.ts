import zhCN from './locale/zh-CN.ts';
import en from './locale/en.ts';

/**
 * The admin console's texts (keys under `desk.admin.`, and its pages' side-navigation labels
 * under `desk.nav.`), merged into the app's messages when the desk opens (DeskLayout), so a
 * member's phone never downloads them.
 */
export const deskAdminMessages = {
  'zh-CN': {
    desk: {
      nav: { orgTree: '组织架构', people: '人员', households: '住户', assignment: '联系分配', audit: '操作日志' },
      admin: zhCN,
    },
  },
  en: {
    desk: {
      nav: { orgTree: 'Org tree', people: 'People', households: 'Households', assignment: 'Assignments', audit: 'Audit log' },
      admin: en,
    },
  },
};
