import {
  ActionSheet,
  Button,
  Cell,
  CellGroup,
  Empty,
  Field,
  Icon,
  Loading,
  NavBar,
  Popup,
  PullRefresh,
  Switch,
  Tabbar,
  TabbarItem,
  Tag,
} from 'vant';
import type { UserModule } from './types.ts';

// Only the components the screens use, each with its own CSS, so the member bundle stays small.
import 'vant/es/action-sheet/style';
import 'vant/es/button/style';
import 'vant/es/cell/style';
import 'vant/es/cell-group/style';
import 'vant/es/empty/style';
import 'vant/es/field/style';
import 'vant/es/icon/style';
import 'vant/es/loading/style';
import 'vant/es/nav-bar/style';
import 'vant/es/popup/style';
import 'vant/es/pull-refresh/style';
import 'vant/es/switch/style';
import 'vant/es/tabbar/style';
import 'vant/es/tabbar-item/style';
import 'vant/es/tag/style';
// Function components (showToast, showDialog) are called from code; their styles load here.
import 'vant/es/toast/style';
import 'vant/es/dialog/style';

const components = [ActionSheet, Button, Cell, CellGroup, Empty, Field, Icon, Loading, NavBar, Popup, PullRefresh, Switch, Tabbar, TabbarItem, Tag];

export const install: UserModule = (app) => {
  for (const c of components) app.use(c);
};
