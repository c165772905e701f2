import { AUDIT_ACTIONS, type AuditLogEntry, type AuditLogList } from '@shop/contract';
import { createColumnHelper, type PaginationState } from '@tanstack/react-table';
import { type FormEvent, useMemo, useState } from 'react';

import { type AdminTableFeatures, DataTable } from '../../components/data-table';
import { Dialog } from '../../components/dialog';
import { adminPage } from '../../components/layout';
import { PageLink } from '../../components/links';
import { Card, Empty, ErrorState, Loading, PageHeader, Tag } from '../../components/ui';
import { api } from '../../lib/api';
import {
  type AuditFilters,
  auditFiltersProblem,
  auditListParams,
  DEFAULT_AUDIT_FILTERS,
} from '../../lib/filters';
import { formatDateTime } from '../../lib/format';
import { AUDIT_ACTION_LABELS, labelOf } from '../../lib/labels';
import { pageUrl } from '../../lib/paths';
import { usePageState } from '../../lib/page-state';
import { useApi } from '../../lib/use-api';
import './index.css';

const TARGET_TYPES: Record<string, string> = {
  Order: '订单',
  Product: '商品',
  Sku: 'SKU',
  Admin: '账号',
  ReconciliationRun: '对账',
  ReconciliationLine: '对账明细',
};

function Target({ entry }: { entry: AuditLogEntry }) {
  const label = labelOf(TARGET_TYPES, entry.targetType);
  const href =
    entry.targetType === 'Order'
      ? pageUrl('orderDetail', { id: entry.targetId })
      : entry.targetType === 'Product'
        ? pageUrl('productEdit', { id: entry.targetId })
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
  const [draft, setDraft] = usePageState<AuditFilters>('draft', DEFAULT_AUDIT_FILTERS);
  const [filters, setFilters] = usePageState<AuditFilters>('filters', DEFAULT_AUDIT_FILTERS);
  const [pagination, setPagination] = usePageState<PaginationState>('pagination', {
    pageIndex: 0,
    pageSize: 20,
  });
  const [viewing, setViewing] = useState<AuditLogEntry | null>(null);
  const problem = auditFiltersProblem(draft);
  const query = auditListParams(filters, pagination.pageIndex + 1, pagination.pageSize);
  const list = useApi(query.toString(), (signal) =>
    api.get<AuditLogList>('/api/admin/audit-logs', { query, signal }),
  );
  const rows = useMemo(() => list.data?.items ?? [], [list.data]);

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

  const apply = (next: AuditFilters) => {
    setDraft(next);
    if (auditFiltersProblem(next) !== null) return;
    setFilters(next);
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };
  const filtered = JSON.stringify(filters) !== JSON.stringify(DEFAULT_AUDIT_FILTERS);

  return (
    <>
      <PageHeader title="审计日志" description="后台的每一次操作：谁、在何时、做了什么、改动前后的内容。" />
      <Card>
        <form
          className="filters"
          role="search"
          aria-label="筛选审计日志"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <div className="field">
            <label className="field__label" htmlFor="audit-action">
              操作
            </label>
            <select
              id="audit-action"
              className="select"
              value={draft.action}
              onChange={(e) => apply({ ...draft, action: e.target.value })}
            >
              <option value="">全部操作</option>
              {AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {labelOf(AUDIT_ACTION_LABELS, action)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="audit-target-type">
              对象类型
            </label>
            <select
              id="audit-target-type"
              className="select"
              value={draft.targetType}
              onChange={(e) => apply({ ...draft, targetType: e.target.value })}
            >
              <option value="">全部</option>
              {Object.entries(TARGET_TYPES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="audit-target-id">
              对象 ID
            </label>
            <input
              id="audit-target-id"
              className="input"
              value={draft.targetId}
              maxLength={64}
              onChange={(e) => setDraft({ ...draft, targetId: e.target.value })}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="audit-from">
              日期从
            </label>
            <input
              id="audit-from"
              type="date"
              className="input"
              value={draft.from}
              onChange={(e) => apply({ ...draft, from: e.target.value })}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="audit-to">
              至
            </label>
            <input
              id="audit-to"
              type="date"
              className="input"
              value={draft.to}
              onChange={(e) => apply({ ...draft, to: e.target.value })}
            />
          </div>
          <div className="filters__actions">
            <button type="submit" className="btn btn--primary">
              查询
            </button>
            <button type="button" className="btn" onClick={() => apply(DEFAULT_AUDIT_FILTERS)}>
              重置
            </button>
          </div>
        </form>
        {problem === null ? null : (
          <p className="field__error" role="alert">
            {problem}
          </p>
        )}
      </Card>
      {list.error === undefined ? null : <ErrorState error={list.error} onRetry={list.reload} />}
      <Card flush>
        {list.data === undefined && list.error === undefined ? (
          <Loading />
        ) : (
          <DataTable
            columns={columns}
            data={rows}
            getRowId={(row) => row.id}
            busy={list.loading}
            testId="audit-table"
            pagination={{ pagination, rowCount: list.data?.total ?? 0, onPaginationChange: setPagination }}
            empty={<Empty title={filtered ? '没有符合条件的记录' : '还没有操作记录'} />}
          />
        )}
      </Card>
      <ChangeDialog entry={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

export default adminPage(Audit, { section: 'audit', title: '审计日志', permission: 'audit.read' });
