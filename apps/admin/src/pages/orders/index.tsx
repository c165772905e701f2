import {
  type AdminOrderList,
  type AdminOrderSort,
  type AdminOrderSummary,
  ORDER_STATUSES,
} from '@shop/contract';
import { createColumnHelper, type SortingState } from '@tanstack/react-table';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { FilterBar, FilterInput, FilterSelect, useListFilters } from '../../components/filter-bar';
import { adminPage } from '../../components/layout';
import { OrderLink } from '../../components/links';
import { Empty, ErrorBanner, Money, PageHeader, StatusTag } from '../../components/ui';
import { api } from '../../lib/api';
import { saveBlob } from '../../lib/download';
import {
  DEFAULT_ORDER_FILTERS,
  orderFilterParams,
  orderFiltersProblem,
  orderListParams,
} from '../../lib/filters';
import { chinaToday, formatShortDateTime } from '../../lib/format';
import { buyerName, ORDER_STATUS_LABELS } from '../../lib/labels';
import { openPage, routeParam } from '../../lib/nav';
import { pageUrl } from '../../lib/paths';
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

const STATUS_OPTIONS = ORDER_STATUSES.map((status) => ({
  value: status,
  label: ORDER_STATUS_LABELS[status].label,
}));

function Orders() {
  const filters = useListFilters(DEFAULT_ORDER_FILTERS, {
    // `?q=` opens the list already searched (links from reconciliation lines and elsewhere).
    initial: () => ({ ...DEFAULT_ORDER_FILTERS, q: routeParam('q') ?? '' }),
    problemOf: orderFiltersProblem,
    sortKeys: ['sort', 'order'],
  });
  const { applied, apply, pagination } = filters;
  const { busy: exporting, error: exportError, run: runExport } = useSubmit();

  const query = orderListParams(applied, pagination.pageIndex + 1, pagination.pageSize);
  const list = useApi(query.toString(), (signal) =>
    api.get<AdminOrderList>('/api/admin/orders', { query, signal }),
  );

  const sorting: SortingState = [{ id: applied.sort, desc: applied.order === 'desc' }];
  const onSortingChange = (next: SortingState) => {
    const first = next[0];
    if (first === undefined || !SORT_COLUMNS.includes(first.id)) return;
    apply({ ...applied, sort: first.id as AdminOrderSort, order: first.desc ? 'desc' : 'asc' });
  };

  const exportCsv = () =>
    void runExport(async () => {
      const file = await api.download('/api/admin/orders.csv', { query: orderFilterParams(applied) });
      saveBlob(file.blob, file.filename ?? `orders-${chinaToday()}.csv`);
    });

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
      <FilterBar
        label="筛选订单"
        filters={filters}
        searchTestId="orders-search"
        problemClassName="orders__problem"
      >
        <FilterInput
          filters={filters}
          field="q"
          label="关键词"
          className="orders__q"
          placeholder="订单号 / 支付宝交易号 / 买家"
          maxLength={64}
          testId="orders-keyword"
        />
        <FilterSelect
          filters={filters}
          field="status"
          label="状态"
          all="全部状态"
          options={STATUS_OPTIONS}
          testId="orders-status"
        />
        <FilterInput
          filters={filters}
          field="from"
          label="下单日期从"
          type="date"
          max={filters.draft.to || undefined}
        />
        <FilterInput
          filters={filters}
          field="to"
          label="至"
          type="date"
          min={filters.draft.from || undefined}
        />
      </FilterBar>
      <ErrorBanner error={exportError} prefix="导出失败" />
      <ListTable
        list={list}
        columns={COLUMNS}
        getRowId={(row) => row.id}
        onRowClick={(row) => openPage(pageUrl('orderDetail', { id: row.id }))}
        testId="orders-table"
        sorting={{ sorting, onSortingChange }}
        pagination={{ pagination, onPaginationChange: filters.setPagination }}
        empty={
          <Empty title={filters.filtered ? '没有符合条件的订单' : '还没有订单'}>
            {filters.filtered ? '换个关键词或放宽筛选条件再试' : '顾客下单后会出现在这里'}
          </Empty>
        }
      />
    </>
  );
}

export default adminPage(Orders, { section: 'orders', title: '订单', permission: 'orders.read' });
