import {
  type AdminNotificationList,
  type AdminNotificationUnread,
  type AdminNotificationView,
} from '@shop/contract';
import { createColumnHelper, type PaginationState } from '@tanstack/react-table';
import { useEffect } from 'react';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { adminPage } from '../../components/layout';
import { PageLink } from '../../components/links';
import { Empty, ErrorBanner, PageHeader, Tag } from '../../components/ui';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { usePageState } from '../../lib/page-state';
import { pageUrl } from '../../lib/paths';
import { unreadStore } from '../../lib/unread';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';
import { eventTitle } from '../../lib/webhooks';
import './index.css';

const column = createColumnHelper<AdminTableFeatures, AdminNotificationView>();
const COLUMNS = column.columns([
  column.accessor('createdAt', {
    header: '时间',
    cell: (info) => <span className="num nowrap">{formatDateTime(info.getValue())}</span>,
  }),
  column.accessor('type', {
    header: '类型',
    cell: (info) => (
      <span className="row nowrap">
        {info.row.original.unread ? (
          <Tag tone="danger" testId="notification-unread">
            未读
          </Tag>
        ) : null}
        <span className="notification__title" data-testid="notification-title">
          {eventTitle(info.getValue())}
        </span>
      </span>
    ),
  }),
  column.accessor('text', {
    header: '内容',
    cell: (info) => <span data-testid="notification-text">{info.getValue()}</span>,
  }),
  column.accessor('orderId', {
    header: '订单',
    cell: (info) => {
      const orderId = info.getValue();
      return orderId === null ? (
        <span className="muted">—</span>
      ) : (
        <PageLink
          href={pageUrl('orderDetail', { id: orderId })}
          className="nowrap"
          testId="notification-order"
        >
          查看订单
        </PageLink>
      );
    },
  }),
]);

const FIRST_PAGE: PaginationState = { pageIndex: 0, pageSize: 20 };

/**
 * The notification centre (every admin): what happened in the shop, newest first, the ones after the admin last
 * marked all read shown as 未读; each links to its order when it has one. 全部已读 moves the admin's read mark to
 * now, which clears the bell's badge.
 */
function Notifications() {
  const [pagination, setPagination] = usePageState<PaginationState>('pagination', FIRST_PAGE);
  const query = { page: pagination.pageIndex + 1, pageSize: pagination.pageSize };
  const list = useApi(`notifications:${query.page}:${query.pageSize}`, (signal) =>
    api.get<AdminNotificationList>('/api/admin/notifications', { query, signal }),
  );
  const readAll = useSubmit();
  const unread = list.data?.unreadCount ?? 0;

  useEffect(() => {
    if (list.data !== undefined) unreadStore.set(list.data.unreadCount);
  }, [list.data]);

  const markAllRead = () => {
    void readAll.run(async () => {
      const answer = await api.post<AdminNotificationUnread>('/api/admin/notifications/read', {});
      unreadStore.set(answer.unreadCount);
      list.reload();
    });
  };

  return (
    <>
      <PageHeader
        title="通知"
        description={
          <>
            订单支付、发货、退款、售后和对账差异，最新的在前。
            <span data-testid="notifications-unread-count">
              {list.data === undefined ? '' : unread === 0 ? '没有未读通知。' : `${unread} 条未读。`}
            </span>
          </>
        }
        actions={
          <button
            type="button"
            className="btn"
            onClick={markAllRead}
            disabled={readAll.busy || unread === 0}
            data-testid="notifications-read-all"
          >
            {readAll.busy ? '处理中…' : '全部已读'}
          </button>
        }
      />
      <ErrorBanner error={readAll.error} prefix="标记已读失败" testId="notifications-error" />
      <ListTable
        list={list}
        columns={COLUMNS}
        getRowId={(row) => row.id}
        rowTestId="notification-item"
        rowClassName={(row) => (row.unread ? 'notification--unread' : undefined)}
        testId="notifications-table"
        pagination={{ pagination, onPaginationChange: setPagination }}
        empty={<Empty title="还没有通知">订单支付、发货、退款、售后和对账差异会出现在这里。</Empty>}
      />
    </>
  );
}

export default adminPage(Notifications, {
  section: 'notifications',
  title: '通知',
  permission: 'notifications.read',
});
