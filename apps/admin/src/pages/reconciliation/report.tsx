import {
  DIFFERENCE_KINDS,
  formatFen,
  isDifferenceKind,
  RECONCILIATION_KINDS,
  type ReconciliationKind,
  type ReconciliationLineView,
  type ReconciliationReport,
  type ReconciliationRequeryResult,
  type ReconciliationResolveBody,
} from '@shop/contract';
import { createColumnHelper, type PaginationState } from '@tanstack/react-table';
import { type ReactNode, useMemo, useState } from 'react';

import { type AdminTableFeatures, DataTable } from '../../components/data-table';
import { Dialog, DialogFooter } from '../../components/dialog';
import { adminPage, useAdmin } from '../../components/layout';
import { BackLink, PageLink } from '../../components/links';
import { SettlementSummary } from '../../components/settlement';
import {
  Banner,
  Card,
  Empty,
  ErrorBanner,
  ErrorState,
  Field,
  NotLoaded,
  StatusTag,
  Tag,
} from '../../components/ui';
import { api } from '../../lib/api';
import { asApiError } from '../../lib/api-client';
import { saveBlob } from '../../lib/download';
import { alipayCodeText, reconFailureText, reconLineText } from '../../lib/describe';
import { errorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { labelOf, RECON_DAY_STATUS_LABELS, RECON_KIND_LABELS } from '../../lib/labels';
import { routeParam } from '../../lib/nav';
import { PAGES, pageUrl } from '../../lib/paths';
import { usePageState } from '../../lib/page-state';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';
import './report.css';

type KindFilter = ReconciliationKind | 'DIFFERENCES' | '';
type ResolvedFilter = '' | 'true' | 'false';

const amount = (fen: number | null) => (fen === null ? '—' : formatFen(fen));

const column = createColumnHelper<AdminTableFeatures, ReconciliationLineView>();

function lineColumns(actions: ((line: ReconciliationLineView) => ReactNode) | null) {
  return column.columns([
    column.accessor('seq', {
      header: '#',
      cell: (info) => <span className="num muted">{info.getValue()}</span>,
    }),
    column.accessor('kind', {
      header: '结果',
      cell: (info) => <StatusTag entry={RECON_KIND_LABELS[info.getValue()]} testId="recon-line-kind" />,
    }),
    column.accessor('lineType', {
      header: '类型',
      cell: (info) => (info.getValue() === 'trade' ? '交易' : '退款'),
    }),
    column.display({
      id: 'numbers',
      header: '单号',
      cell: (info) => {
        const line = info.row.original;
        return (
          <div className="stack mono recon-numbers">
            {line.outTradeNo === null ? null : (
              <PageLink href={pageUrl('orders', { q: line.outTradeNo })} className="mono">
                {line.outTradeNo}
              </PageLink>
            )}
            {line.tradeNo === null ? null : <span className="muted">支付宝 {line.tradeNo}</span>}
            {line.outRequestNo === null ? null : <span className="muted">退款 {line.outRequestNo}</span>}
          </div>
        );
      },
    }),
    column.accessor('billAmountFen', {
      header: '账单金额',
      cell: (info) => <span className="num">{amount(info.getValue())}</span>,
    }),
    column.accessor('ledgerAmountFen', {
      header: '本店金额',
      cell: (info) => <span className="num">{amount(info.getValue())}</span>,
    }),
    column.display({
      id: 'detail',
      header: '说明',
      cell: (info) => <span className="recon-detail">{reconLineText(info.row.original)}</span>,
    }),
    column.display({
      id: 'resolution',
      header: '处理',
      cell: (info) => {
        const line = info.row.original;
        if (!isDifferenceKind(line.kind)) return <span className="muted">无需处理</span>;
        if (line.resolvedAt === null) return <Tag tone="warning">未处理</Tag>;
        return (
          <div className="stack" data-testid="recon-line-resolution">
            <Tag tone="success">已处理</Tag>
            <span className="recon-detail">{line.resolutionNote}</span>
            <span className="muted">{formatDateTime(line.resolvedAt)}</span>
          </div>
        );
      },
    }),
    ...(actions === null
      ? []
      : [column.display({ id: 'actions', header: '操作', cell: (info) => actions(info.row.original) })]),
  ]);
}

function ResolveDialog({
  line,
  onClose,
  onDone,
}: {
  line: ReconciliationLineView | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(line?.id);
  const [lineId, setLineId] = useState<string | null>(null);
  if ((line?.id ?? null) !== lineId) {
    setLineId(line?.id ?? null);
    setNote(line?.resolutionNote ?? '');
    setTouched(false);
  }
  const problem = note.trim() === '' ? '请填写处理说明' : note.trim().length > 500 ? '最多 500 个字' : null;
  const submit = () => {
    setTouched(true);
    if (line === null || problem !== null) return;
    void run(async () => {
      const body: ReconciliationResolveBody = { note: note.trim() };
      await api.post(`/api/admin/reconciliation/lines/${encodeURIComponent(line.id)}/resolve`, body);
      onDone();
    });
  };
  return (
    <Dialog
      open={line !== null}
      title="标记为已处理"
      onClose={onClose}
      onSubmit={submit}
      testId="resolve-dialog"
      footer={
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          label="确认"
          busyLabel="保存中…"
          testId="resolve-submit"
        />
      }
    >
      <ErrorBanner error={error} testId="dialog-error" />
      {line === null ? null : (
        <p className="muted" style={{ marginTop: 0 }}>
          {reconLineText(line)}
        </p>
      )}
      <Field label="处理说明" required hint="记入对账报告和审计日志" error={touched ? problem : null}>
        {(p) => (
          <textarea
            {...p}
            className="textarea"
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid="resolve-note"
          />
        )}
      </Field>
    </Dialog>
  );
}

/** What a re-query did to the ledger (`applied`, `refund` in ReconciliationRequeryResult). */
const APPLIED_LABELS: Record<string, string> = {
  paid: '已补记为已支付',
  'auto-refund': '订单已关闭，已发起自动退款',
  'already-settled': '本店已有一致记录，无需变更',
  closed: '交易已关闭',
  open: '交易仍在等待付款',
  mismatch: '支付宝记录与本店不符，需人工核实',
  none: '本店没有这笔支付',
};
const REFUND_LABELS: Record<string, string> = {
  succeeded: '退款已确认成功',
  failed: '退款失败',
  'sent-again': '已重新发起退款',
  unresolved: '退款结果仍未确定',
};

function requeryText(result: ReconciliationRequeryResult): string {
  const t = result.trade;
  const trade = t.ok
    ? `支付宝交易状态 ${t.tradeStatus ?? '未知'}${t.totalFen === null ? '' : `，金额 ${formatFen(t.totalFen)}`}`
    : `查询失败：${alipayCodeText(t.errorCode) ?? '支付宝未返回结果'}`;
  const refund = result.refund === null ? '' : `；${labelOf(REFUND_LABELS, result.refund)}`;
  const rerun = result.rerun === null ? '' : '；账目已更新并重新对账';
  return `${trade}；${labelOf(APPLIED_LABELS, result.applied)}${refund}${rerun}`;
}

function Report() {
  const date = routeParam('date');
  const { can } = useAdmin();
  const canAct = can('reconciliation.run');
  const [kind, setKind] = usePageState<KindFilter>('kind', 'DIFFERENCES');
  const [resolved, setResolved] = usePageState<ResolvedFilter>('resolved', '');
  const [pagination, setPagination] = usePageState<PaginationState>('pagination', {
    pageIndex: 0,
    pageSize: 50,
  });
  const [resolving, setResolving] = useState<ReconciliationLineView | null>(null);
  const [busyLine, setBusyLine] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'danger' | 'info'; text: string } | null>(null);
  const [exporting, setExporting] = useState(false);

  const query = { kind, resolved, page: pagination.pageIndex + 1, pageSize: pagination.pageSize };
  const key = date === undefined ? null : JSON.stringify({ date, ...query });
  const report = useApi(key, (signal) =>
    api.get<ReconciliationReport>(`/api/admin/reconciliation/runs/${encodeURIComponent(date ?? '')}`, {
      query,
      signal,
    }),
  );
  const { reload } = report;

  const columns = useMemo(() => {
    if (!canAct) return lineColumns(null);
    const requery = async (line: ReconciliationLineView) => {
      setBusyLine(line.id);
      setMessage(null);
      try {
        const result = await api.post<ReconciliationRequeryResult>(
          `/api/admin/reconciliation/lines/${encodeURIComponent(line.id)}/requery`,
          {},
        );
        setMessage({ tone: 'info', text: requeryText(result) });
        reload();
      } catch (cause) {
        const error = asApiError(cause);
        setMessage({ tone: 'danger', text: errorText(error) });
      } finally {
        setBusyLine(null);
      }
    };
    return lineColumns((line) =>
      line.kind === 'MATCHED' ? null : (
        <div className="row">
          {line.tradeNo === null && line.outTradeNo === null ? null : (
            <button
              type="button"
              className="btn btn--link"
              disabled={busyLine === line.id}
              onClick={() => void requery(line)}
              data-testid="recon-requery"
            >
              {busyLine === line.id ? '查询中…' : '重新查询'}
            </button>
          )}
          {isDifferenceKind(line.kind) ? (
            <button
              type="button"
              className="btn btn--link"
              onClick={() => setResolving(line)}
              data-testid="recon-resolve"
            >
              {line.resolvedAt === null ? '标记已处理' : '修改说明'}
            </button>
          ) : null}
        </div>
      ),
    );
  }, [canAct, busyLine, reload, setBusyLine, setMessage, setResolving]);

  const back = <BackLink href={PAGES.reconciliation}>返回对账列表</BackLink>;
  const data = report.data;
  if (date === undefined || data === undefined) {
    return (
      <NotLoaded
        head={back}
        missing={date === undefined ? { title: '缺少账单日期', hint: '请从对账列表打开报告。' } : undefined}
        error={report.error}
        onRetry={reload}
      />
    );
  }
  const { run } = data;
  const exportCsv = async () => {
    setExporting(true);
    try {
      const file = await api.download(
        `/api/admin/reconciliation/runs/${encodeURIComponent(date)}/export.csv`,
      );
      saveBlob(file.blob, file.filename ?? `reconciliation-${date}.csv`);
    } catch (cause) {
      const error = asApiError(cause);
      setMessage({ tone: 'danger', text: `导出失败：${errorText(error)}` });
    } finally {
      setExporting(false);
    }
  };
  const differenceTotal = DIFFERENCE_KINDS.reduce((sum, k) => sum + (data.kindCounts[k] ?? 0), 0);
  const allTotal = RECONCILIATION_KINDS.reduce((sum, k) => sum + (data.kindCounts[k] ?? 0), 0);
  const chip = (value: KindFilter, label: string, count: number) => (
    <button
      key={value || 'all'}
      type="button"
      className={`chip ${kind === value ? 'chip--on' : ''}`}
      aria-pressed={kind === value}
      onClick={() => {
        setKind(value);
        setPagination((p) => ({ ...p, pageIndex: 0 }));
      }}
    >
      {label} <span className="chip__count">{count}</span>
    </button>
  );

  return (
    <>
      {back}
      <div className="page-header">
        <div>
          <h1 className="page-header__title row">
            对账报告 <span className="num">{run.billDate}</span>
            <StatusTag entry={RECON_DAY_STATUS_LABELS[run.status]} testId="recon-status" />
          </h1>
          <p className="page-header__desc">
            完成于 {formatDateTime(run.finishedAt)} · 报告指纹{' '}
            <span className="mono" title={run.reportHash}>
              {run.reportHash.slice(0, 12)}
            </span>{' '}
            · 账单文件{' '}
            <span className="mono" title={run.billSha256}>
              {run.billSha256.slice(0, 12)}
            </span>
          </p>
        </div>
        <div className="page-header__actions">
          <button
            type="button"
            className="btn"
            onClick={() => void exportCsv()}
            disabled={exporting}
            data-testid="recon-export"
          >
            {exporting ? '导出中…' : '导出 CSV'}
          </button>
        </div>
      </div>
      {run.error === null ? null : (
        <Banner tone="warning" title="对账失败">
          {reconFailureText(run.error)}
        </Banner>
      )}
      {message === null ? null : (
        <Banner tone={message.tone} testId="recon-message" onDismiss={() => setMessage(null)}>
          {message.text}
        </Banner>
      )}
      <div className="recon-overview">
        <Card title="核对结果">
          <div className="recon-figures">
            <div>
              <span className="muted">账单行数</span>
              <strong className="num">{run.billLineCount}</strong>
            </div>
            <div>
              <span className="muted">一致</span>
              <strong className="num">{run.matchedCount}</strong>
            </div>
            <div>
              <span className="muted">差异</span>
              <strong className={`num ${run.differenceCount > 0 ? 'recon__diff' : ''}`}>
                {run.differenceCount}
              </strong>
            </div>
            <div>
              <span className="muted">未处理</span>
              <strong className={`num ${run.unresolvedCount > 0 ? 'recon__diff' : ''}`}>
                {run.unresolvedCount}
              </strong>
            </div>
          </div>
        </Card>
        <Card title="结算" testId="recon-settlement">
          {data.settlement === null ? (
            <p className="muted">没有结算数据</p>
          ) : (
            <SettlementSummary figures={data.settlement} />
          )}
        </Card>
      </div>
      <Card
        flush
        title="明细"
        extra={
          <select
            className="select"
            aria-label="处理状态"
            value={resolved}
            onChange={(e) => {
              setResolved(e.target.value as ResolvedFilter);
              setPagination((p) => ({ ...p, pageIndex: 0 }));
            }}
          >
            <option value="">全部处理状态</option>
            <option value="false">未处理</option>
            <option value="true">已处理</option>
          </select>
        }
      >
        <div className="chips" role="group" aria-label="按结果筛选">
          {chip('DIFFERENCES', '全部差异', differenceTotal)}
          {chip('', '全部', allTotal)}
          {RECONCILIATION_KINDS.filter((k) => (data.kindCounts[k] ?? 0) > 0).map((k) =>
            chip(k, RECON_KIND_LABELS[k].label, data.kindCounts[k] ?? 0),
          )}
        </div>
        {report.error === undefined ? null : <ErrorState error={report.error} onRetry={reload} />}
        <DataTable
          columns={columns}
          data={data.lines.items}
          getRowId={(row) => row.id}
          busy={report.loading}
          testId="recon-lines"
          pagination={{ pagination, rowCount: data.lines.total, onPaginationChange: setPagination }}
          empty={
            <Empty title={kind === 'DIFFERENCES' ? '没有差异' : '没有符合条件的明细'}>
              {kind === 'DIFFERENCES' ? '本日账目与支付宝账单一致。' : undefined}
            </Empty>
          }
        />
      </Card>
      <ResolveDialog
        line={resolving}
        onClose={() => setResolving(null)}
        onDone={() => {
          setResolving(null);
          setMessage({ tone: 'success', text: '已标记为已处理，操作已记入审计日志' });
          reload();
        }}
      />
    </>
  );
}

export default adminPage(Report, {
  section: 'reconciliation',
  title: '对账报告',
  permission: 'reconciliation.read',
});
