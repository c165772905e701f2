import { AUDIT_ACTIONS, type AuditLogEntry, type AuditLogList } from '@shop/contract';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { Dialog } from '../../components/dialog';
import { FilterBar, FilterInput, FilterSelect, useListFilters } from '../../components/filter-bar';
import { adminPage } from '../../components/layout';
import { PageLink } from '../../components/links';
import { Empty, PageHeader, Tag } from '../../components/ui';
import { api } from '../../lib/api';
import { auditFiltersProblem, auditListParams, DEFAULT_AUDIT_FILTERS } from '../../lib/filters';
import { formatDateTime } from '../../lib/format';
import { AUDIT_ACTION_LABELS, labelOf } from '../../lib/labels';
import { pageUrl } from '../../lib/paths';
import { useApi } from '../../lib/use-api';
import './index.css';

const TARGET_TYPES: Record<string, string> = {
  Order: '订单',
  Product: '商品',
  Sku: 'SKU',
  Admin: '账号',
  ReconciliationRun: '对账',
  ReconciliationLine: '对账明细',
  AfterSale: '售后',
  WebhookEndpoint: '推送地址',
  OutboxDelivery: '推送记录',
  /** A refused request (access.denied): the method and path the admin tried. */
  Route: '接口',
};

function Target({ entry }: { entry: AuditLogEntry }) {
  const label = labelOf(TARGET_TYPES, entry.targetType);
  const href =
    entry.targetType === 'Order'
      ? pageUrl('orderDetail', { id: entry.targetId })
      : entry.targetType === 'Product'
        ? pageUrl('productEdit', { id: entry.targetId })
        : entry.targetType === 'AfterSale'
          ? pageUrl('afterSaleDetail', { id: entry.targetId })
          : null;
  return (
    <span className="row">
      <Tag tone="neutral">{label}</Tag>
      {href === null ? (
        <span className="mono muted">{entry.targetId}</span>
      ) : (
        <PageLink href={href} className="mono">
          {entry.targetId}
        </PageLink>
      )}
    </span>
  );
}

const ACTION_OPTIONS = AUDIT_ACTIONS.map((action) => ({
  value: action,
  label: labelOf(AUDIT_ACTION_LABELS, action),
}));
const TARGET_TYPE_OPTIONS = Object.entries(TARGET_TYPES).map(([value, label]) => ({ value, label }));

const pretty = (value: unknown) =>
  value === null || value === undefined ? '（无）' : JSON.stringify(value, null, 2);

function ChangeDialog({ entry, onClose }: { entry: AuditLogEntry | null; onClose: () => void }) {
  return (
    <Dialog open={entry !== null} title="变更详情" onClose={onClose} width={820} testId="audit-change-dialog">
      {entry === null ? null : (
        <>
          <p className="muted" style={{ marginTop: 0 }}>
            {entry.actorName} 于 {formatDateTime(entry.createdAt)}{' '}
            {labelOf(AUDIT_ACTION_LABELS, entry.action)}
          </p>
          <div className="audit-diff">
            <div>
              <h3>变更前</h3>
              <pre className="mono">{pretty(entry.before)}</pre>
            </div>
            <div>
              <h3>变更后</h3>
              <pre className="mono">{pretty(entry.after)}</pre>
            </div>
          </div>
        </>
      )}
    </Dialog>
  );
}

const column = createColumnHelper<AdminTableFeatures, AuditLogEntry>();

function Audit() {
  const filters = useListFilters(DEFAULT_AUDIT_FILTERS, { problemOf: auditFiltersProblem });
  const { pagination } = filters;
  const [viewing, setViewing] = useState<AuditLogEntry | null>(null);
  const query = auditListParams(filters.applied, pagination.pageIndex + 1, pagination.pageSize);
  const list = useApi(query.toString(), (signal) =>
    api.get<AuditLogList>('/api/admin/audit-logs', { query, signal }),
  );

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('createdAt', {
          header: '时间',
          cell: (info) => <span className="num">{formatDateTime(info.getValue())}</span>,
        }),
        column.accessor('actorName', { header: '操作人' }),
        column.accessor('action', {
          header: '操作',
          cell: (info) => (
            <span className="stack">
              <span>{labelOf(AUDIT_ACTION_LABELS, info.getValue())}</span>
              <span className="muted mono audit-action">{info.getValue()}</span>
            </span>
          ),
        }),
        column.display({
          id: 'target',
          header: '对象',
          cell: (info) => <Target entry={info.row.original} />,
        }),
        column.accessor('ip', {
          header: 'IP',
          cell: (info) => <span className="mono muted">{info.getValue() ?? '—'}</span>,
        }),
        column.display({
          id: 'change',
          header: '变更',
          cell: (info) =>
            info.row.original.before === null && info.row.original.after === null ? (
              <span className="muted">—</span>
            ) : (
              <button type="button" className="btn btn--link" onClick={() => setViewing(info.row.original)}>
                查看
              </button>
            ),
        }),
      ]),
    [setViewing],
  );

  return (
    <>
      <PageHeader title="审计日志" description="后台的每一次操作：谁、在何时、做了什么、改动前后的内容。" />
      <FilterBar label="筛选审计日志" filters={filters}>
        <FilterSelect filters={filters} field="action" label="操作" all="全部操作" options={ACTION_OPTIONS} />
        <FilterSelect
          filters={filters}
          field="targetType"
          label="对象类型"
          all="全部"
          options={TARGET_TYPE_OPTIONS}
        />
        <FilterInput filters={filters} field="targetId" label="对象 ID" maxLength={64} />
        <FilterInput filters={filters} field="from" label="日期从" type="date" />
        <FilterInput filters={filters} field="to" label="至" type="date" />
      </FilterBar>
      <ListTable
        list={list}
        columns={columns}
        getRowId={(row) => row.id}
        testId="audit-table"
        pagination={{ pagination, onPaginationChange: filters.setPagination }}
        empty={<Empty title={filters.filtered ? '没有符合条件的记录' : '还没有操作记录'} />}
      />
      <ChangeDialog entry={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

export default adminPage(Audit, { section: 'audit', title: '审计日志', permission: 'audit.read' });
