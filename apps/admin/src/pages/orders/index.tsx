import {
  type AdminOrderList,
  type AdminOrderSort,
  type AdminOrderSummary,
  ORDER_STATUSES,
  type OrderStatus,
} from '@shop/contract';
import { createColumnHelper, type PaginationState, type SortingState } from '@tanstack/react-table';
import { type FormEvent, useMemo, useState } from 'react';

import { type AdminTableFeatures, DataTable } from '../../components/data-table';
import { adminPage } from '../../components/layout';
import { OrderLink } from '../../components/links';
import {
  Card,
  Empty,
  ErrorBanner,
  ErrorState,
  Loading,
  Money,
  PageHeader,
  StatusTag,
} from '../../components/ui';
import { api } from '../../lib/api';
import { saveBlob } from '../../lib/download';
import {
  DEFAULT_ORDER_FILTERS,
  orderFilterParams,
  orderFiltersProblem,
  type OrderFilters,
  orderListParams,
} from '../../lib/filters';
import { chinaToday, formatShortDateTime } from '../../lib/format';
import { buyerName, ORDER_STATUS_LABELS } from '../../lib/labels';
import { openPage, routeParam } from '../../lib/nav';
import { pageUrl } from '../../lib/paths';
import { usePageState } from '../../lib/page-state';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';
import './index.css';

const column = createColumnHelper<AdminTableFeatures, AdminOrderSummary>();
const COLUMNS = column.columns([
  column.accessor('orderNo', {
    header: '订单号',
    cell: (info) => (
      <div className="stack">
        <OrderLink id={info.row.original.id} orderNo={info.getValue()} testId="order-link" />
        {info.row.original.tradeNo === null ? null : (
          <span className="muted mono orders__trade" title="支付宝交易号">
            {info.row.original.tradeNo}
          </span>
        )}
      </div>
    ),
  }),
  column.accessor('status', {
    header: '状态',
    cell: (info) => <StatusTag entry={ORDER_STATUS_LABELS[info.getValue()]} testId="order-status" />,
  }),
  column.accessor('subject', {
    header: '商品',
    cell: (info) => (
      <div className="stack orders__subject">
        <span title={info.getValue()}>{info.getValue()}</span>
        <span className="muted">共 {info.row.original.itemCount} 件</span>
      </div>
    ),
  }),
  column.accessor('buyer', {
    header: '买家',
    cell: (info) => (
      <div className="stack">
        <span>{buyerName(info.getValue())}</span>
        <span className="muted">收货人 {info.row.original.shipName}</span>
      </div>
    ),
  }),
  column.accessor('totalFen', {
    id: 'totalFen',
    header: '订单金额',
    enableSorting: true,
    sortDescFirst: true,
    cell: (info) => (
      <div className="stack">
        <Money fen={info.getValue()} />
        {info.row.original.refundedFen > 0 ? (
          <span className="orders__refunded">
            已退 <Money fen={info.row.original.refundedFen} />
          </span>
        ) : null}
      </div>
    ),
  }),
  column.accessor('createdAt', {
    id: 'createdAt',
    header: '下单时间',
    enableSorting: true,
    sortDescFirst: true,
    cell: (info) => <span className="num">{formatShortDateTime(info.getValue())}</span>,
  }),
  column.accessor('paidAt', {
    id: 'paidAt',
    header: '支付时间',
    enableSorting: true,
    sortDescFirst: true,
    cell: (info) => <span className="num">{formatShortDateTime(info.getValue())}</span>,
  }),
]);

const SORT_COLUMNS: readonly string[] = ['createdAt', 'totalFen', 'paidAt'] satisfies AdminOrderSort[];

function Orders() {
  // `?q=` opens the list already searched (links from reconciliation lines and elsewhere).
  const [initial] = useState<OrderFilters>(() => ({ ...DEFAULT_ORDER_FILTERS, q: routeParam('q') ?? '' }));
  const [draft, setDraft] = usePageState<OrderFilters>('draft', initial);
  const [filters, setFilters] = usePageState<OrderFilters>('filters', initial);
  const [pagination, setPagination] = usePageState<PaginationState>('pagination', {
    pageIndex: 0,
    pageSize: 20,
  });
  const { busy: exporting, error: exportError, run: runExport } = useSubmit();
  const problem = orderFiltersProblem(draft);

  const query = orderListParams(filters, pagination.pageIndex + 1, pagination.pageSize);
  const { data, error, loading, reload } = useApi(query.toString(), (signal) =>
    api.get<AdminOrderList>('/api/admin/orders', { query, signal }),
  );
  const rows = useMemo(() => data?.items ?? [], [data]);

  const apply = (next: OrderFilters) => {
    setDraft(next);
    if (orderFiltersProblem(next) !== null) return;
    setFilters(next);
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const sorting: SortingState = [{ id: filters.sort, desc: filters.order === 'desc' }];
  const onSortingChange = (next: SortingState) => {
    const first = next[0];
    if (first === undefined || !SORT_COLUMNS.includes(first.id)) return;
    apply({ ...filters, sort: first.id as AdminOrderSort, order: first.desc ? 'desc' : 'asc' });
  };

  const exportCsv = () =>
    void runExport(async () => {
      const file = await api.download('/api/admin/orders.csv', { query: orderFilterParams(filters) });
      saveBlob(file.blob, file.filename ?? `orders-${chinaToday()}.csv`);
    });

  const filtered =
    JSON.stringify({ ...filters, sort: '', order: '' }) !==
    JSON.stringify({ ...DEFAULT_ORDER_FILTERS, sort: '', order: '' });

  return (
    <>
      <PageHeader
        title="订单"
        description="按状态、下单日期（北京时间）或关键词查找订单；点击订单查看支付时间线。"
        actions={
          <button
            type="button"
            className="btn"
            onClick={exportCsv}
            disabled={exporting}
            data-testid="orders-export"
          >
            {exporting ? '导出中…' : '导出 CSV'}
          </button>
        }
      />
      <Card>
        <form className="filters" onSubmit={submit} role="search" aria-label="筛选订单">
          <div className="field">
            <label className="field__label" htmlFor="orders-q">
              关键词
            </label>
            <input
              id="orders-q"
              className="input orders__q"
              placeholder="订单号 / 支付宝交易号 / 买家"
              value={draft.q}
              maxLength={64}
              onChange={(e) => setDraft({ ...draft, q: e.target.value })}
              data-testid="orders-keyword"
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="orders-status">
              状态
            </label>
            <select
              id="orders-status"
              className="select"
              value={draft.status}
              onChange={(e) => apply({ ...draft, status: e.target.value as OrderStatus | '' })}
              data-testid="orders-status"
            >
              <option value="">全部状态</option>
              {ORDER_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {ORDER_STATUS_LABELS[status].label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="orders-from">
              下单日期从
            </label>
            <input
              id="orders-from"
              type="date"
              className="input"
              value={draft.from}
              max={draft.to || undefined}
              onChange={(e) => apply({ ...draft, from: e.target.value })}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="orders-to">
              至
            </label>
            <input
              id="orders-to"
              type="date"
              className="input"
              value={draft.to}
              min={draft.from || undefined}
              onChange={(e) => apply({ ...draft, to: e.target.value })}
            />
          </div>
          <div className="filters__actions">
            <button type="submit" className="btn btn--primary" data-testid="orders-search">
              查询
            </button>
            <button type="button" className="btn" onClick={() => apply(DEFAULT_ORDER_FILTERS)}>
              重置
            </button>
          </div>
        </form>
        {problem === null ? null : (
          <p className="field__error orders__problem" role="alert">
            {problem}
          </p>
        )}
      </Card>
      <ErrorBanner error={exportError} prefix="导出失败" />
      {error === undefined ? null : <ErrorState error={error} onRetry={reload} />}
      <Card flush>
        {data === undefined && error === undefined ? (
          <Loading />
        ) : (
          <DataTable
            columns={COLUMNS}
            data={rows}
            getRowId={(row) => row.id}
            onRowClick={(row) => openPage(pageUrl('orderDetail', { id: row.id }))}
            busy={loading}
            testId="orders-table"
            sorting={{ sorting, onSortingChange }}
            pagination={{ pagination, rowCount: data?.total ?? 0, onPaginationChange: setPagination }}
            empty={
              <Empty title={filtered ? '没有符合条件的订单' : '还没有订单'}>
                {filtered ? '换个关键词或放宽筛选条件再试' : '顾客下单后会出现在这里'}
              </Empty>
            }
          />
        )}
      </Card>
    </>
  );
}

export default adminPage(Orders, { section: 'orders', title: '订单', permission: 'orders.read' });
