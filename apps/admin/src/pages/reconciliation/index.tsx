import {
  type ReconciliationDay,
  type ReconciliationDaysResponse,
  type ReconciliationRunBody,
  type ReconciliationRunResult,
  type SettlementsResponse,
} from '@shop/contract';
import { createColumnHelper } from '@tanstack/react-table';
import { type FormEvent, useState } from 'react';

import { type AdminTableFeatures, ListTable } from '../../components/data-table';
import { adminPage, useAdmin } from '../../components/layout';
import { PageLink } from '../../components/links';
import { SettlementSummary } from '../../components/settlement';
import { Banner, Card, Empty, ErrorState, Loading, Money, PageHeader, StatusTag } from '../../components/ui';
import { api } from '../../lib/api';
import { reconFailureText } from '../../lib/describe';
import { errorText } from '../../lib/errors';
import { chinaToday, formatDateTime, shiftDate } from '../../lib/format';
import { RECON_DAY_STATUS_LABELS } from '../../lib/labels';
import { openPage } from '../../lib/nav';
import { pageUrl } from '../../lib/paths';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';

const column = createColumnHelper<AdminTableFeatures, ReconciliationDay>();
const COLUMNS = column.columns([
  column.accessor('billDate', {
    header: '账单日期',
    cell: (info) =>
      info.row.original.run === null ? (
        <span className="num">{info.getValue()}</span>
      ) : (
        <PageLink
          href={pageUrl('reconciliationReport', { date: info.getValue() })}
          className="num"
          testId="recon-day-link"
        >
          {info.getValue()}
        </PageLink>
      ),
  }),
  column.accessor('status', {
    header: '状态',
    cell: (info) => <StatusTag entry={RECON_DAY_STATUS_LABELS[info.getValue()]} testId="recon-day-status" />,
  }),
  column.display({
    id: 'lines',
    header: '账单 / 一致 / 差异',
    cell: (info) => {
      const run = info.row.original.run;
      if (run === null) return <span className="muted">—</span>;
      if (run.status === 'FAILED') return <span className="muted">{reconFailureText(run.error)}</span>;
      return (
        <span className="num">
          {run.billLineCount} / {run.matchedCount} /{' '}
          <span className={run.differenceCount > 0 ? 'recon__diff' : ''}>{run.differenceCount}</span>
          {run.unresolvedCount > 0 ? (
            <span className="recon__diff">（{run.unresolvedCount} 未处理）</span>
          ) : null}
        </span>
      );
    },
  }),
  column.display({
    id: 'gross',
    header: '收款',
    cell: (info) =>
      info.row.original.settlement === null ? '—' : <Money fen={info.row.original.settlement.grossFen} />,
  }),
  column.display({
    id: 'refund',
    header: '退款',
    cell: (info) =>
      info.row.original.settlement === null ? '—' : <Money fen={info.row.original.settlement.refundFen} />,
  }),
  column.display({
    id: 'fee',
    header: '服务费',
    cell: (info) =>
      info.row.original.settlement === null ? '—' : <Money fen={info.row.original.settlement.feeFen} />,
  }),
  column.display({
    id: 'net',
    header: '应结算',
    cell: (info) =>
      info.row.original.settlement === null ? '—' : <Money fen={info.row.original.settlement.netFen} />,
  }),
  column.display({
    id: 'finished',
    header: '完成时间',
    cell: (info) => (
      <span className="num muted">{formatDateTime(info.row.original.run?.finishedAt ?? null)}</span>
    ),
  }),
]);

function RunForm({ onDone }: { onDone: (result: ReconciliationRunResult) => void }) {
  const yesterday = shiftDate(chinaToday(), 1);
  const [date, setDate] = useState(yesterday);
  const { busy, error, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (date === '') return;
    void run(async () => {
      const body: ReconciliationRunBody = { billDate: date };
      onDone(await api.post<ReconciliationRunResult>('/api/admin/reconciliation/runs', body));
    });
  };
  return (
    <form className="row" onSubmit={submit} aria-label="执行对账">
      <label className="muted" htmlFor="recon-date">
        账单日期
      </label>
      <input
        id="recon-date"
        type="date"
        className="input"
        max={yesterday}
        value={date}
        onChange={(e) => setDate(e.target.value)}
      />
      <button type="submit" className="btn btn--primary" disabled={busy} data-testid="recon-run">
        {busy ? '对账中…' : '执行对账'}
      </button>
      {error === null ? null : (
        <span className="field__error" role="alert">
          {errorText(error)}
        </span>
      )}
    </form>
  );
}

function Reconciliation() {
  const { can } = useAdmin();
  const [result, setResult] = useState<ReconciliationRunResult | null>(null);
  const days = useApi('days', (signal) =>
    api.get<ReconciliationDaysResponse>('/api/admin/reconciliation/days', { query: { days: 30 }, signal }),
  );
  const settlements = useApi('settlements', (signal) =>
    api.get<SettlementsResponse>('/api/admin/reconciliation/settlements', { signal }),
  );
  const ran = (next: ReconciliationRunResult) => {
    setResult(next);
    days.reload();
    settlements.reload();
  };

  return (
    <>
      <PageHeader
        title="对账"
        description="每天把本店账目与支付宝账单逐笔核对（北京时间自然日），并计算应结算金额。"
        actions={can('reconciliation.run') ? <RunForm onDone={ran} /> : undefined}
      />
      {result === null ? null : (
        <Banner
          tone={result.failure !== null ? 'warning' : result.run.status === 'CLEAN' ? 'success' : 'danger'}
          title={`${result.run.billDate}：${RECON_DAY_STATUS_LABELS[result.run.status].label}`}
          testId="recon-run-result"
          action={
            result.run.status === 'FAILED' ? undefined : (
              <button
                type="button"
                className="btn btn--small"
                onClick={() => openPage(pageUrl('reconciliationReport', { date: result.run.billDate }))}
              >
                查看报告
              </button>
            )
          }
        >
          {result.failure !== null
            ? reconFailureText(result.failure)
            : `账单 ${result.run.billLineCount} 行，一致 ${result.run.matchedCount}，差异 ${result.run.differenceCount}`}
        </Banner>
      )}
      <Card
        title="结算汇总"
        extra={
          settlements.data === undefined ? undefined : `${settlements.data.from} 至 ${settlements.data.to}`
        }
        testId="settlement-totals"
      >
        {settlements.error !== undefined ? (
          <ErrorState error={settlements.error} onRetry={settlements.reload} />
        ) : settlements.data === undefined ? (
          <Loading />
        ) : settlements.data.items.length === 0 ? (
          <Empty title="这段时间还没有结算数据">对账完成后按账单计算结算金额。</Empty>
        ) : (
          <SettlementSummary figures={settlements.data.totals} />
        )}
      </Card>
      <ListTable
        list={days}
        title="近 30 天"
        columns={COLUMNS}
        getRowId={(row) => row.billDate}
        testId="recon-days"
        empty={<Empty title="暂无对账记录" />}
      />
    </>
  );
}

export default adminPage(Reconciliation, {
  section: 'reconciliation',
  title: '对账',
  permission: 'reconciliation.read',
});
