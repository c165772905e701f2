import {
  type AttentionNotify,
  type AttentionPayment,
  type AttentionRefund,
  type DashboardDay,
  type DashboardResponse,
  formatFen,
} from '@shop/contract';
import { type ReactNode, useMemo } from 'react';

import { Chart, type ChartOption } from '../../components/chart';
import { adminPage } from '../../components/layout';
import { Card, Empty, ErrorState, Money, NotLoaded, PageHeader, StatusTag, Tag } from '../../components/ui';
import { api } from '../../lib/api';
import { formatDateTime, formatShortDateTime, monthDay } from '../../lib/format';
import { NOTIFY_REJECT_LABELS, PAYMENT_STATUS_LABELS, REFUND_STATUS_LABELS } from '../../lib/labels';
import { openPage } from '../../lib/nav';
import { pageUrl } from '../../lib/paths';
import { useApi } from '../../lib/use-api';
import './index.css';

function chartOption(days: DashboardDay[]): ChartOption {
  return {
    color: ['#1664ff', '#e34d59', '#14c9c9'],
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = params as { dataIndex: number }[];
        const day = days[list[0]?.dataIndex ?? 0];
        if (day === undefined) return '';
        return [
          `<b>${day.date}</b>`,
          `销售额 ${formatFen(day.salesFen)}`,
          `退款额 ${formatFen(day.refundsFen)}`,
          `支付订单 ${day.paidOrders} 笔`,
        ].join('<br/>');
      },
    },
    legend: {
      data: ['销售额', '退款额', '支付订单'],
      top: 0,
      right: 0,
      icon: 'roundRect',
      itemWidth: 12,
      itemHeight: 8,
    },
    grid: { left: 8, right: 8, top: 40, bottom: 0, containLabel: true },
    xAxis: {
      type: 'category',
      data: days.map((d) => monthDay(d.date)),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#e5e6eb' } },
      axisLabel: { color: '#86909c' },
    },
    yAxis: [
      {
        type: 'value',
        name: '金额',
        // Series are in fen; integer ticks keep every label a whole number of fen for formatFen.
        minInterval: 1,
        nameTextStyle: { color: '#86909c', align: 'left' },
        axisLabel: { color: '#86909c', formatter: (fen: number) => formatFen(fen) },
        splitLine: { lineStyle: { color: '#f0f1f5' } },
      },
      {
        type: 'value',
        name: '订单数',
        minInterval: 1,
        nameTextStyle: { color: '#86909c', align: 'right' },
        axisLabel: { color: '#86909c' },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: '销售额',
        type: 'bar',
        barMaxWidth: 14,
        data: days.map((d) => d.salesFen),
        itemStyle: { borderRadius: [3, 3, 0, 0] },
      },
      {
        name: '退款额',
        type: 'bar',
        barMaxWidth: 14,
        data: days.map((d) => d.refundsFen),
        itemStyle: { borderRadius: [3, 3, 0, 0] },
      },
      {
        name: '支付订单',
        type: 'line',
        yAxisIndex: 1,
        smooth: false,
        symbolSize: 5,
        data: days.map((d) => d.paidOrders),
      },
    ],
  };
}

function StatCard({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  testId: string;
}) {
  return (
    <div className="stat" data-testid={testId}>
      <span className="stat__label">{label}</span>
      <span className="stat__value num">{value}</span>
      {hint === undefined ? null : <span className="stat__hint">{hint}</span>}
    </div>
  );
}

function OrderLink({ orderId, orderNo }: { orderId: string | null; orderNo: string | null }) {
  if (orderId === null) return <span className="muted">未关联订单</span>;
  return (
    <a
      href={pageUrl('orderDetail', { id: orderId })}
      className="mono"
      onClick={(event) => {
        event.preventDefault();
        openPage(pageUrl('orderDetail', { id: orderId }));
      }}
    >
      {orderNo ?? orderId}
    </a>
  );
}

function AttentionGroup<T>({
  title,
  count,
  items,
  render,
  testId,
  hint,
}: {
  title: string;
  count: number;
  items: T[];
  render: (item: T) => ReactNode;
  testId: string;
  hint: string;
}) {
  return (
    <div className="attention" data-testid={testId}>
      <div className="attention__head">
        <span className="attention__title">{title}</span>
        <Tag tone={count === 0 ? 'success' : 'danger'}>{count}</Tag>
      </div>
      {count === 0 ? (
        <p className="attention__none">{hint}</p>
      ) : (
        <ul className="attention__list">
          {items.map(render)}
          {count > items.length ? <li className="muted">另有 {count - items.length} 项未显示</li> : null}
        </ul>
      )}
    </div>
  );
}

const notifyItem = (n: AttentionNotify) => (
  <li key={n.id} className="attention__item">
    <OrderLink orderId={n.orderId} orderNo={n.orderNo} />
    <span className="row">
      {n.verified ? null : <Tag tone="danger">未验签</Tag>}
      {n.rejectReason === null ? null : (
        <Tag tone="warning">
          {NOTIFY_REJECT_LABELS[n.rejectReason as keyof typeof NOTIFY_REJECT_LABELS] ?? '其他原因'}
        </Tag>
      )}
      <span className="muted">{formatShortDateTime(n.receivedAt)}</span>
    </span>
  </li>
);

const paymentItem = (p: AttentionPayment) => (
  <li key={p.orderId} className="attention__item">
    <OrderLink orderId={p.orderId} orderNo={p.orderNo} />
    <span className="row">
      <StatusTag entry={PAYMENT_STATUS_LABELS[p.status]} />
      <Money fen={p.amountFen} />
      <span className="muted">已查询 {p.queryCount} 次</span>
    </span>
  </li>
);

const refundItem = (r: AttentionRefund) => (
  <li key={r.id} className="attention__item">
    <OrderLink orderId={r.orderId} orderNo={r.orderNo} />
    <span className="row">
      <StatusTag entry={REFUND_STATUS_LABELS[r.status]} />
      <Money fen={r.amountFen} />
      <span className="muted">{formatShortDateTime(r.createdAt)}</span>
    </span>
  </li>
);

function Dashboard() {
  const { data, error, loading, reload } = useApi('dashboard', (signal) =>
    api.get<DashboardResponse>('/api/admin/dashboard', { signal }),
  );
  const option = useMemo(() => (data === undefined ? null : chartOption(data.days)), [data]);

  if (data === undefined)
    return <NotLoaded head={<PageHeader title="仪表盘" />} error={error} onRetry={reload} />;
  const { today, days, attention } = data;
  const totals = days.reduce(
    (sum, d) => ({
      orders: sum.orders + d.paidOrders,
      sales: sum.sales + d.salesFen,
      refunds: sum.refunds + d.refundsFen,
    }),
    { orders: 0, sales: 0, refunds: 0 },
  );
  const attentionCount =
    attention.notifies.count +
    attention.stuckPayments.count +
    attention.autoRefunds.count +
    attention.openRefunds.count;

  return (
    <>
      <PageHeader
        title="仪表盘"
        description={`数据更新于 ${formatDateTime(data.generatedAt)}（北京时间）`}
        actions={
          <button type="button" className="btn" onClick={reload} disabled={loading}>
            {loading ? '刷新中…' : '刷新'}
          </button>
        }
      />
      {error === undefined ? null : <ErrorState error={error} onRetry={reload} />}
      <div className="stats">
        <StatCard
          label="今日销售额"
          value={formatFen(today.salesFen)}
          hint={`近 30 天 ${formatFen(totals.sales)}`}
          testId="stat-sales"
        />
        <StatCard
          label="今日支付订单"
          value={today.paidOrders}
          hint={`近 30 天 ${totals.orders} 笔`}
          testId="stat-orders"
        />
        <StatCard
          label="今日退款额"
          value={formatFen(today.refundsFen)}
          hint={`近 30 天 ${formatFen(totals.refunds)}`}
          testId="stat-refunds"
        />
        <StatCard
          label="待关注事项"
          value={attentionCount}
          hint={attentionCount === 0 ? '一切正常' : '见下方列表'}
          testId="stat-attention"
        />
      </div>
      <div className="dashboard__grid">
        <Card title="近 30 天趋势" extra="按北京时间自然日统计" testId="dashboard-chart">
          {totals.orders === 0 && totals.refunds === 0 ? (
            <Empty title="近 30 天暂无支付或退款">有订单支付后，这里会显示每日销售额、退款额和订单数。</Empty>
          ) : (
            option && <Chart option={option} style={{ height: 340 }} />
          )}
        </Card>
        <Card title="需要关注" testId="attention-panel">
          <AttentionGroup
            title="异常支付通知"
            hint="近 7 天没有验签失败或被拒绝的通知"
            count={attention.notifies.count}
            items={attention.notifies.items}
            render={notifyItem}
            testId="attention-notifies"
          />
          <AttentionGroup
            title="卡住的支付"
            hint="没有超时仍未关闭的支付"
            count={attention.stuckPayments.count}
            items={attention.stuckPayments.items}
            render={paymentItem}
            testId="attention-stuck"
          />
          <AttentionGroup
            title="自动退款（关单后到账）"
            hint="近 30 天没有自动退款"
            count={attention.autoRefunds.count}
            items={attention.autoRefunds.items}
            render={refundItem}
            testId="attention-auto-refunds"
          />
          <AttentionGroup
            title="处理中的退款"
            hint="没有等待支付宝结果的退款"
            count={attention.openRefunds.count}
            items={attention.openRefunds.items}
            render={refundItem}
            testId="attention-open-refunds"
          />
        </Card>
      </div>
    </>
  );
}

export default adminPage(Dashboard, { section: 'dashboard', title: '仪表盘', permission: 'dashboard.read' });
