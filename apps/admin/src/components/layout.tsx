import { type AdminAfterSaleList, type AdminNotificationUnread, type AdminPermission } from '@shop/contract';
import { useDidHide, useDidShow } from '@tarojs/taro';
import {
  createContext,
  type ComponentType,
  type ReactNode,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';

import { api, sessionStore } from '../lib/api';
import { can, resetSessionCheck, useSession } from '../lib/auth';
import { ROLE_LABELS } from '../lib/labels';
import { openSection, redirectToLogin } from '../lib/nav';
import { PAGES } from '../lib/paths';
import { type StoredSession } from '../lib/session';
import { badgeText, UNREAD_REFRESH_MS, unreadStore } from '../lib/unread';
import { Icon, type IconName } from './icons';
import './layout.css';

type Section =
  | 'dashboard'
  | 'orders'
  | 'afterSales'
  | 'products'
  | 'reconciliation'
  | 'audit'
  | 'staff'
  | 'settings'
  | 'webhooks'
  /** The notification centre, opened from the bell in the top bar rather than the sidebar. */
  | 'notifications';

const NAV: { section: Section; label: string; url: string; icon: IconName; permission: AdminPermission }[] = [
  {
    section: 'dashboard',
    label: '仪表盘',
    url: PAGES.dashboard,
    icon: 'dashboard',
    permission: 'dashboard.read',
  },
  { section: 'orders', label: '订单', url: PAGES.orders, icon: 'orders', permission: 'orders.read' },
  {
    section: 'afterSales',
    label: '售后',
    url: PAGES.afterSales,
    icon: 'afterSales',
    permission: 'orders.read',
  },
  { section: 'products', label: '商品', url: PAGES.products, icon: 'products', permission: 'products.read' },
  {
    section: 'reconciliation',
    label: '对账',
    url: PAGES.reconciliation,
    icon: 'reconciliation',
    permission: 'reconciliation.read',
  },
  { section: 'audit', label: '审计日志', url: PAGES.audit, icon: 'audit', permission: 'audit.read' },
  { section: 'staff', label: '员工', url: PAGES.staff, icon: 'staff', permission: 'staff.manage' },
  { section: 'settings', label: '设置', url: PAGES.settings, icon: 'settings', permission: 'settings.read' },
  {
    section: 'webhooks',
    label: '消息推送',
    url: PAGES.webhooks,
    icon: 'webhooks',
    permission: 'webhooks.manage',
  },
];

const SessionContext = createContext<StoredSession | null>(null);

/** The signed-in admin, inside a page wrapped by `adminPage`. */
export function useAdmin(): { session: StoredSession; can: (permission: AdminPermission) => boolean } {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useAdmin outside an admin page');
  return { session, can: (permission) => can(session, permission) };
}

/** How many after-sale requests wait for the merchant (the API's `openCount`), beside 售后 in the sidebar. */
function AfterSaleBadge() {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<AdminAfterSaleList>('/api/admin/after-sales', {
        query: { status: 'OPEN' },
        signal: controller.signal,
      })
      .then((list) => setCount(list.openCount))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);
  if (count === 0) return null;
  return (
    <span className="sidebar__badge" data-testid="after-sale-badge" aria-label={`${count} 个售后待处理`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}

/**
 * The bell in the top bar, for every admin: the unread notifications' count (the API's `unreadCount`) when the page
 * loads and every 30 seconds while it is open; the notification centre updates the same count (lib/unread.ts).
 */
function NotificationBell() {
  const count = useSyncExternalStore(unreadStore.subscribe, unreadStore.get);
  useEffect(() => {
    let controller = new AbortController();
    const refresh = () => {
      controller.abort();
      controller = new AbortController();
      api
        .get<AdminNotificationUnread>('/api/admin/notifications/unread', { signal: controller.signal })
        .then((answer) => unreadStore.set(answer.unreadCount))
        .catch(() => undefined);
    };
    refresh();
    const timer = window.setInterval(refresh, UNREAD_REFRESH_MS);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, []);
  const unread = count ?? 0;
  return (
    <a
      href={PAGES.notifications}
      className="topbar__bell"
      aria-label={unread === 0 ? '通知' : `通知，${unread} 条未读`}
      data-testid="notification-bell"
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        openSection(PAGES.notifications);
      }}
    >
      <Icon name="bell" />
      {unread === 0 ? null : (
        <span className="topbar__badge" data-testid="notification-badge" aria-hidden="true">
          {badgeText(unread)}
        </span>
      )}
    </a>
  );
}

function Sidebar({ active, session }: { active: Section; session: StoredSession }) {
  return (
    <aside className="sidebar">
      <div className="sidebar__brand">
        <span className="sidebar__logo" aria-hidden="true">
          商
        </span>
        <span>商家后台</span>
      </div>
      <nav aria-label="主导航" className="sidebar__nav">
        {NAV.filter((item) => can(session, item.permission)).map((item) => (
          <a
            key={item.section}
            href={item.url}
            className={`sidebar__link ${item.section === active ? 'sidebar__link--active' : ''}`}
            aria-current={item.section === active ? 'page' : undefined}
            data-testid={`nav-${item.section}`}
            onClick={(event) => {
              // Keep modified clicks (new tab, new window) to the browser.
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              openSection(item.url);
            }}
          >
            <Icon name={item.icon} />
            <span>{item.label}</span>
            {item.section === 'afterSales' ? <AfterSaleBadge /> : null}
          </a>
        ))}
      </nav>
      <div className="sidebar__foot">支付宝小程序商城</div>
    </aside>
  );
}

function TopBar({ title, session }: { title: ReactNode; session: StoredSession }) {
  const [signingOut, setSigningOut] = useState(false);
  const signOut = async () => {
    setSigningOut(true);
    try {
      // Ends the session on the server too; a failure (already expired, offline) still signs out here.
      await api.delete('/api/admin/session').catch(() => undefined);
    } finally {
      sessionStore.clear();
      resetSessionCheck();
      openSection(PAGES.login);
    }
  };
  return (
    <header className="topbar">
      <div className="topbar__title">{title}</div>
      <div className="topbar__right">
        <NotificationBell />
        <div className="topbar__user" data-testid="current-admin">
          <span className="topbar__avatar" aria-hidden="true">
            {session.admin.displayName.slice(0, 1)}
          </span>
          <span className="topbar__name">{session.admin.displayName}</span>
          <span
            className={`tag ${session.admin.role === 'owner' ? 'tag--info' : 'tag--neutral'}`}
            data-testid="current-role"
          >
            {ROLE_LABELS[session.admin.role]}
          </span>
          <button
            type="button"
            className="btn btn--small"
            onClick={() => void signOut()}
            disabled={signingOut}
            data-testid="sign-out"
          >
            退出登录
          </button>
        </div>
      </div>
    </header>
  );
}

/**
 * Wraps a page: without a session it goes to sign-in (remembering the page) and renders nothing, so the page's own
 * requests never run unauthenticated; with one it renders the sidebar, the top bar and the page. A page whose
 * permission the role lacks shows a notice instead (the sidebar hides it, but a URL can still be typed).
 */
export function adminPage(
  Page: ComponentType,
  options: { section: Section; title: string; permission: AdminPermission },
): ComponentType {
  function AdminPage() {
    const session = useSession();
    // A page under another one (list under detail) renders nothing: only the visible page is in the document, so
    // its accessible names and test ids are unique, and it loads fresh data when shown again. Lists keep their
    // filters through usePageState.
    const [visible, setVisible] = useState(true);
    useDidHide(() => setVisible(false));
    useDidShow(() => setVisible(true));
    useEffect(() => {
      if (session === null) redirectToLogin();
    }, [session]);
    useEffect(() => {
      if (visible) document.title = `${options.title} · 商家后台`;
    }, [visible]);
    if (session === null || !visible) return null;
    return (
      <SessionContext.Provider value={session}>
        <div className="shell">
          <Sidebar active={options.section} session={session} />
          <div className="shell__main">
            <TopBar title={options.title} session={session} />
            <main className="content">
              {can(session, options.permission) ? (
                <Page />
              ) : (
                <div className="banner banner--warning" role="alert" data-testid="forbidden">
                  <div className="banner__body">
                    <div className="banner__title">没有权限</div>
                    {ROLE_LABELS[session.admin.role]}账号不能查看此页面。
                  </div>
                </div>
              )}
            </main>
          </div>
        </div>
      </SessionContext.Provider>
    );
  }
  AdminPage.displayName = `AdminPage(${options.section})`;
  return AdminPage;
}
