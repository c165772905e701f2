import { AFTER_SALE_STATUSES, type AdminAfterSaleList, type AfterSaleView } from '@shop/contract';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { adminPage } from '../../components/layout';
import { Empty, Money, PageHeader, StatusTag } from '../../components/ui';
import { api } from '../../lib/api';
import { formatShortDateTime } from '../../lib/format';
import { AFTER_SALE_KIND_LABELS, AFTER_SALE_STATUS_LABELS } from '../../lib/labels';
import { openPage } from '../../lib/nav';
import { pageUrl } from '../../lib/paths';
import { useApi } from '../../lib/use-api';

const column = createColumnHelper<AdminTableFeatures, AfterSaleView>();
const COLUMNS = column.columns([
  column.accessor('createdAt', {
    header: '申请时间',
    cell: (info) => <span className="num">{formatShortDateTime(info.getValue())}</span>,
  }),
  column.accessor('orderNo', {
    header: '订单号',
    cell: (info) => <span className="mono">{info.getValue()}</span>,
  }),
  column.accessor('kind', { header: '类型', cell: (info) => AFTER_SALE_KIND_LABELS[info.getValue()] }),
  column.accessor('amountFen', { header: '退款金额', cell: (info) => <Money fen={info.getValue()} /> }),
  column.accessor('reason', { header: '原因' }),
  column.accessor('status', {
    header: '状态',
    cell: (info) => (
      <StatusTag entry={AFTER_SALE_STATUS_LABELS[info.getValue()]} testId="after-sale-status" />
    ),
  }),
  column.display({
    id: 'actions',
    header: '操作',
    cell: (info) => (
      <button
        type="button"
        className="btn btn--link"
        data-testid="after-sale-open"
        onClick={() => openPage(pageUrl('afterSaleDetail', { id: info.row.original.id }))}
      >
        处理
      </button>
    ),
  }),
]);

const FILTERS: { key: string; label: string }[] = [
  { key: 'OPEN', label: '进行中' },
  { key: '', label: '全部' },
  ...AFTER_SALE_STATUSES.map((status) => ({ key: status, label: AFTER_SALE_STATUS_LABELS[status].label })),
];

/** After-sale requests, newest first: the ones still open by default, or one status, or all. */
function AfterSales() {
  const [status, setStatus] = useState('OPEN');
  const [page, setPage] = useState(1);
  const list = useApi(`after-sales:${status}:${page}`, (signal) =>
    api.get<AdminAfterSaleList>('/api/admin/after-sales', {
      query: { ...(status ? { status } : {}), page },
      signal,
    }),
  );
  return (
    <>
      <PageHeader
        title="售后"
        description={`买家的退款和退货申请。待处理 ${list.data?.openCount ?? 0} 个：同意后退款会原路退回买家的支付宝。`}
      />
      <div
        className="row"
        style={{ gap: 8, marginBottom: 16, flexWrap: 'wrap' }}
        data-testid="after-sale-filters"
      >
        {FILTERS.map((filter) => (
          <button
            key={filter.key || 'all'}
            type="button"
            className={`btn btn--small ${filter.key === status ? 'btn--primary' : ''}`}
            onClick={() => {
              setStatus(filter.key);
              setPage(1);
            }}
          >
            {filter.label}
          </button>
        ))}
      </div>
      <ListTable
        list={list}
        columns={COLUMNS}
        getRowId={(row) => row.id}
        testId="after-sale-table"
        empty={<Empty title="暂无售后申请" />}
        pagination={{
          pagination: { pageIndex: page - 1, pageSize: 20 },
          onPaginationChange: (next) => setPage(next.pageIndex + 1),
        }}
      />
    </>
  );
}

export default adminPage(AfterSales, { section: 'afterSales', title: '售后', permission: 'orders.read' });
