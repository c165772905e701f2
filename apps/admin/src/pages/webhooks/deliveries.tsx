import {
  DELIVERY_STATUSES,
  type WebhookDeliveryList,
  type WebhookDeliveryView,
  type WebhookEndpointList,
} from '@shop/contract';
import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useMemo, useRef, useState } from 'react';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { FilterBar, FilterSelect, useListFilters } from '../../components/filter-bar';
import { adminPage } from '../../components/layout';
import { BackLink } from '../../components/links';
import { Banner, Empty, ErrorBanner, NotLoaded, PageHeader, StatusTag, Tag } from '../../components/ui';
import '../../components/webhook/webhook.css';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { DELIVERY_STATUS_LABELS } from '../../lib/labels';
import { routeParam } from '../../lib/nav';
import { PAGES } from '../../lib/paths';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';
import { attemptWords, canResend, deliveryTimeText, eventTitle, lastAttempt } from '../../lib/webhooks';

/** While a delivery on screen is still being tried, the log reads itself again this often. */
const PENDING_REFRESH_MS = 3_000;

const STATUS_OPTIONS = DELIVERY_STATUSES.map((status) => ({
  value: status,
  label: DELIVERY_STATUS_LABELS[status].label,
}));

const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${value} ms`;

/** Every try of one delivery, in order: when, the receiver's status code, how long, and what came of it. */
function Attempts({ delivery }: { delivery: WebhookDeliveryView }) {
  if (delivery.attempts.length === 0) return <span className="muted">还没有尝试</span>;
  return (
    <table className="delivery-attempts" data-testid="delivery-attempts">
      <thead>
        <tr>
          <th>次数</th>
          <th>开始时间</th>
          <th>状态码</th>
          <th>耗时</th>
          <th>结果</th>
        </tr>
      </thead>
      <tbody>
        {delivery.attempts.map((attempt) => {
          const words = attemptWords(attempt);
          return (
            <tr key={attempt.number} data-testid="delivery-attempt">
              <td className="num" data-testid="attempt-number">
                第 {attempt.number} 次
              </td>
              <td className="num">{formatDateTime(attempt.startedAt)}</td>
              <td className="num" data-testid="attempt-status-code">
                {attempt.statusCode ?? '—'}
              </td>
              <td className="num" data-testid="attempt-duration">
                {ms(attempt.durationMs)}
              </td>
              <td>
                <span className="row" data-testid="attempt-outcome">
                  <Tag tone={words.tone}>{words.label}</Tag>
                  {words.detail === null ? null : <span className="muted">{words.detail}</span>}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const column = createColumnHelper<AdminTableFeatures, WebhookDeliveryView>();

/** One endpoint's delivery log (`/webhooks/deliveries?id=`), newest first, each delivery with its tries. */
function Deliveries() {
  const [id] = useState(() => routeParam('id'));
  const filters = useListFilters({ status: '' });
  const { pagination } = filters;
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const resend = useSubmit();

  const endpoints = useApi(id === undefined ? null : 'webhooks', (signal) =>
    api.get<WebhookEndpointList>('/api/admin/webhooks', { signal }),
  );
  const endpoint = endpoints.data?.items.find((item) => item.id === id);
  const query = {
    status: filters.applied.status,
    page: pagination.pageIndex + 1,
    pageSize: pagination.pageSize,
  };
  const list = useApi(id === undefined ? null : `${id}:${JSON.stringify(query)}`, (signal) =>
    api.get<WebhookDeliveryList>(`/api/admin/webhooks/${encodeURIComponent(id ?? '')}/deliveries`, {
      query,
      signal,
    }),
  );
  const { reload } = list;

  // A delivery still being tried changes on its own: read the log again until none on screen is.
  const pending = list.data?.items.some((delivery) => delivery.status === 'PENDING') ?? false;
  useEffect(() => {
    if (!pending || list.loading) return;
    const timer = window.setTimeout(reload, PENDING_REFRESH_MS);
    return () => window.clearTimeout(timer);
  }, [pending, list.loading, list.data, reload]);

  const sendAgain = (delivery: WebhookDeliveryView) => {
    setNotice(null);
    void resend.run(async () => {
      await api.post(`/api/admin/webhook-deliveries/${encodeURIComponent(delivery.id)}/resend`, {});
      setNotice(`已重新发送 ${eventTitle(delivery.eventType)}（${delivery.eventId}），稍后刷新查看结果`);
      reload();
    });
  };
  // The columns stay the same between renders (DataTable's rule); the resend they call is this render's.
  const sendAgainRef = useRef(sendAgain);
  useEffect(() => {
    sendAgainRef.current = sendAgain;
  });

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('createdAt', {
          header: '产生时间',
          cell: (info) => <span className="num nowrap">{formatDateTime(info.getValue())}</span>,
        }),
        column.accessor('eventType', {
          header: '事件',
          cell: (info) => (
            <span className="stack" data-testid="delivery-event">
              <span>{eventTitle(info.getValue())}</span>
              <span className="mono muted">{info.getValue()}</span>
            </span>
          ),
        }),
        column.accessor('eventId', {
          header: '事件 ID',
          cell: (info) => (
            <span className="mono" data-testid="delivery-event-id">
              {info.getValue()}
            </span>
          ),
        }),
        column.accessor('status', {
          header: '状态',
          cell: (info) => (
            <StatusTag entry={DELIVERY_STATUS_LABELS[info.getValue()]} testId="delivery-status" />
          ),
        }),
        column.display({
          id: 'tries',
          header: '尝试',
          cell: (info) => {
            const delivery = info.row.original;
            const expanded = open.has(delivery.id);
            return (
              <button
                type="button"
                className="btn btn--link delivery-expand nowrap"
                aria-expanded={expanded}
                aria-label={`${expanded ? '收起' : '展开'}全部 ${delivery.attempts.length} 次尝试`}
                onClick={() =>
                  setOpen((current) => {
                    const next = new Set(current);
                    if (expanded) next.delete(delivery.id);
                    else next.add(delivery.id);
                    return next;
                  })
                }
                data-testid="delivery-expand"
              >
                <span data-testid="delivery-tries">{delivery.attempts.length} 次</span>
                <span className="delivery-expand__arrow" aria-hidden="true">
                  ▾
                </span>
              </button>
            );
          },
        }),
        column.display({
          id: 'lastCode',
          header: '最近状态码',
          cell: (info) => (
            <span className="num" data-testid="delivery-last-code">
              {lastAttempt(info.row.original)?.statusCode ?? '—'}
            </span>
          ),
        }),
        column.display({
          id: 'lastDuration',
          header: '最近耗时',
          cell: (info) => (
            <span className="num nowrap" data-testid="delivery-last-duration">
              {ms(lastAttempt(info.row.original)?.durationMs)}
            </span>
          ),
        }),
        column.display({
          id: 'time',
          header: '送达 / 下次尝试',
          cell: (info) => (
            <span className="num nowrap" data-testid="delivery-time">
              {deliveryTimeText(info.row.original)}
            </span>
          ),
        }),
        column.display({
          id: 'actions',
          header: '操作',
          cell: (info) =>
            canResend(info.row.original) ? (
              <button
                type="button"
                className="btn btn--link nowrap"
                onClick={() => sendAgainRef.current(info.row.original)}
                data-testid="delivery-resend"
              >
                重新发送
              </button>
            ) : (
              <span className="muted">—</span>
            ),
        }),
      ]),
    [open, setOpen],
  );

  const back = <BackLink href={PAGES.webhooks}>消息推送</BackLink>;
  const head = (
    <>
      {back}
      <PageHeader
        title="推送记录"
        description={
          endpoint === undefined ? undefined : (
            <span className="row">
              <span className="mono webhook-url" data-testid="deliveries-endpoint">
                {endpoint.url}
              </span>
              {endpoint.active ? <Tag tone="success">启用</Tag> : <Tag tone="neutral">停用</Tag>}
            </span>
          )
        }
        actions={
          <button type="button" className="btn" onClick={reload} data-testid="deliveries-refresh">
            刷新
          </button>
        }
      />
    </>
  );
  if (id === undefined)
    return (
      <NotLoaded
        head={back}
        missing={{ title: '没有指定推送地址', hint: '请从消息推送列表打开推送记录。' }}
        error={undefined}
        onRetry={reload}
      />
    );
  if (endpoints.data !== undefined && endpoint === undefined)
    return (
      <NotLoaded
        head={back}
        missing={{ title: '找不到该推送地址', hint: '它可能已被删除，请回到消息推送列表。' }}
        error={undefined}
        onRetry={endpoints.reload}
      />
    );

  return (
    <>
      {head}
      {notice === null ? null : (
        <Banner tone="success" testId="delivery-notice" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      )}
      <ErrorBanner
        error={resend.error}
        prefix="重新发送失败"
        testId="delivery-error"
        words={{ CONFLICT: '这条推送正在投递中，结束后才能重新发送' }}
      />
      <FilterBar label="筛选推送记录" filters={filters}>
        <FilterSelect
          filters={filters}
          field="status"
          label="状态"
          all="全部状态"
          options={STATUS_OPTIONS}
          testId="delivery-status-filter"
        />
      </FilterBar>
      <ListTable
        list={list}
        columns={columns}
        getRowId={(row) => row.id}
        rowTestId="delivery-row"
        expanded={(row) => (open.has(row.id) ? <Attempts delivery={row} /> : null)}
        testId="deliveries-table"
        pagination={{ pagination, onPaginationChange: filters.setPagination }}
        empty={<Empty title={filters.filtered ? '没有该状态的推送' : '还没有推送'} />}
      />
    </>
  );
}

export default adminPage(Deliveries, {
  section: 'webhooks',
  title: '推送记录',
  permission: 'webhooks.manage',
});
