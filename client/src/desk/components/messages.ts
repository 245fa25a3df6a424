/**
 * The desk shell's texts (keys under `desk.`), merged into the app's messages when the desk opens
 * (DeskLayout): they load with the desk, so a member's phone never downloads them.
 */
export const deskShellMessages = {
  'zh-CN': {
    desk: {
      title: '连心 · 管理后台',
      nav: { reports: '督导报表', admin: '管理后台' },
      units: '所辖组织',
      phone: '手机版',
      logout: '退出登录',
      logoutConfirm: '确定退出登录吗？',
      pending: '待上传 {n} 条',
      synced: '已同步 {time}',
      neverSynced: '尚未同步',
      syncNow: '立即同步',
      search: '搜索',
      all: '全部',
      export: '导出',
      refresh: '刷新',
      empty: '暂无数据',
      rows: '共 {n} 条',
      actions: '操作',
      yes: '是',
      no: '否',
    },
  },
  en: {
    desk: {
      title: 'Lianxin · Desk',
      nav: { reports: 'Reports', admin: 'Administration' },
      units: 'Units',
      phone: 'Phone view',
      logout: 'Log out',
      logoutConfirm: 'Log out now?',
      pending: '{n} to upload',
      synced: 'Synced {time}',
      neverSynced: 'Not synced yet',
      syncNow: 'Sync now',
      search: 'Search',
      all: 'All',
      export: 'Export',
      refresh: 'Refresh',
      empty: 'Nothing here',
      rows: '{n} rows',
      actions: 'Actions',
      yes: 'Yes',
      no: 'No',
    },
  },
};
