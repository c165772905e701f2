import { formatFen, type GatewayCallView, type NotifyView, type PaymentTimeline } from '@shop/contract';
import { type ReactNode } from 'react';

import { gatewayErrorText, notifyDescription, PROOF_LABELS, refundFailureText } from '../../lib/describe';
import { formatDateTime } from '../../lib/format';
import {
  GATEWAY_OUTCOME_LABELS,
  GATEWAY_PURPOSE_LABELS,
  labelOf,
  paymentMethodText,
  NOTIFY_OUTCOME_LABELS,
  NOTIFY_REJECT_LABELS,
  PAYMENT_STATUS_LABELS,
  REFUND_KIND_LABELS,
  REFUND_STATUS_LABELS,
  type Tone,
} from '../../lib/labels';
import {
  type PaymentTimelineEntry,
  paymentTimelineEntries,
  paymentTimelineSummary,
} from '../../lib/payment-timeline';
import { Card, Empty, StatusTag, Tag } from '../ui';
import './payment-timeline.css';

function Raw({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className="ptl__raw">
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

function FieldTable({ fields }: { fields: Record<string, unknown> }) {
  const entries = Object.entries(fields);
  if (entries.length === 0) return <p className="muted">（无字段）</p>;
  return (
    <table className="ptl__fields">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th className="mono">{key}</th>
            <td className="mono">{typeof value === 'string' ? value : JSON.stringify(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Item({
  tone,
  title,
  at,
  tags,
  children,
  testId,
}: {
  tone: Tone;
  title: ReactNode;
  at: string;
  tags?: ReactNode;
  children?: ReactNode;
  testId: string;
}) {
  return (
    <li className={`ptl__item ptl__item--${tone}`} data-testid={testId}>
      <span className="ptl__dot" aria-hidden="true" />
      <div className="ptl__main">
        <div className="ptl__head">
          <span className="ptl__title">{title}</span>
          {tags}
          <time className="ptl__time num" dateTime={at}>
            {formatDateTime(at)}
          </time>
        </div>
        {children === undefined ? null : <div className="ptl__body">{children}</div>}
      </div>
    </li>
  );
}

function GatewayItem({ call }: { call: GatewayCallView }) {
  const outcome = GATEWAY_OUTCOME_LABELS[call.outcome] ?? { label: '结果未知', tone: 'neutral' as const };
  const error = gatewayErrorText(call);
  return (
    <Item
      tone={outcome.tone === 'success' ? 'info' : outcome.tone}
      testId={`timeline-gateway-${call.purpose}`}
      at={call.createdAt}
      title={labelOf(GATEWAY_PURPOSE_LABELS, call.purpose)}
      tags={
        <>
          <StatusTag entry={outcome} />
          <span className="muted mono">{call.method}</span>
          <span className="muted">{call.durationMs} ms</span>
        </>
      }
    >
      {error === null ? null : (
        <p className="ptl__error" data-testid="gateway-error">
          错误：{error}
        </p>
      )}
      <Raw summary="支付宝返回">
        <FieldTable fields={call.result} />
      </Raw>
    </Item>
  );
}

function NotifyItem({ notify }: { notify: NotifyView }) {
  const outcome = NOTIFY_OUTCOME_LABELS[notify.outcome];
  return (
    <Item
      tone={notify.verified ? outcome.tone : 'danger'}
      testId="timeline-notify"
      at={notify.receivedAt}
      title="收到支付宝异步通知"
      tags={
        <>
          <Tag tone={notify.verified ? 'success' : 'danger'} testId="notify-verified">
            {notify.verified ? '验签通过' : '验签未通过'}
          </Tag>
          <StatusTag entry={outcome} testId="notify-outcome" />
          {notify.rejectReason === null ? null : (
            <Tag tone="danger" testId="notify-reject-reason">
              拒绝原因：{NOTIFY_REJECT_LABELS[notify.rejectReason]}
            </Tag>
          )}
        </>
      }
    >
      <dl className="ptl__facts">
        <div>
          <dt>交易状态</dt>
          <dd className="mono">{notify.tradeStatus ?? '—'}</dd>
        </div>
        <div>
          <dt>通知金额</dt>
          <dd>{notify.totalFen === null ? '—' : formatFen(notify.totalFen)}</dd>
        </div>
        <div>
          <dt>应答</dt>
          <dd>{notify.acknowledged ? '已回复 success' : '未确认（支付宝会重发）'}</dd>
        </div>
        <div>
          <dt>notify_id</dt>
          <dd className="mono">{notify.notifyId ?? '—'}</dd>
        </div>
        {notify.outBizNo === null ? null : (
          <div>
            <dt>退款请求号</dt>
            <dd className="mono">{notify.outBizNo}</dd>
          </div>
        )}
      </dl>
      <p className="muted" data-testid="notify-description">
        {notifyDescription(notify)}
      </p>
      <Raw summary="原始字段">
        <FieldTable fields={notify.fields} />
        <pre className="ptl__body-raw mono">{notify.rawBody}</pre>
      </Raw>
    </Item>
  );
}

function Entry({ entry }: { entry: PaymentTimelineEntry }) {
  switch (entry.kind) {
    case 'payment-opened':
      return (
        <Item
          tone="neutral"
          testId="timeline-payment-opened"
          at={entry.at}
          title={`发起支付 ${formatFen(entry.payment.amountFen)}`}
          tags={
            <>
              <Tag tone="neutral" testId="timeline-payment-method">
                {paymentMethodText(entry.payment.method, entry.payment.productCode)}
              </Tag>
              <span className="muted mono">商户订单号 {entry.payment.outTradeNo}</span>
            </>
          }
        />
      );
    case 'payment-paid':
      return (
        <Item
          tone="success"
          testId="timeline-payment-paid"
          at={entry.at}
          title={`支付成功 ${formatFen(entry.payment.amountFen)}`}
          tags={
            entry.payment.paidVia === null ? undefined : (
              <Tag tone="success">由{PROOF_LABELS[entry.payment.paidVia] ?? '支付宝'}确认</Tag>
            )
          }
        />
      );
    case 'payment-closed':
      return <Item tone="neutral" testId="timeline-payment-closed" at={entry.at} title="交易关闭" />;
    case 'gateway':
      return <GatewayItem call={entry.call} />;
    case 'notify':
      return <NotifyItem notify={entry.notify} />;
    case 'refund-requested': {
      const { refund } = entry;
      const auto = refund.kind === 'AUTO_PAID_AFTER_CLOSE';
      const failure = refundFailureText(refund);
      return (
        <Item
          tone={refund.status === 'FAILED' ? 'danger' : 'warning'}
          testId={auto ? 'timeline-auto-refund' : 'timeline-refund'}
          at={entry.at}
          title={`${REFUND_KIND_LABELS[refund.kind]} ${formatFen(refund.amountFen)}`}
          tags={<StatusTag entry={REFUND_STATUS_LABELS[refund.status]} />}
        >
          <p>
            {/* A merchant's refund shows the reason they typed; an automatic one, why the system made it. */}
            原因：{auto ? '订单关闭后收到付款，自动原路退回' : refund.reason}{' '}
            <span className="muted mono">· 退款请求号 {refund.outRequestNo}</span>
          </p>
          {failure === null ? null : <p className="ptl__error">{failure}</p>}
          {refund.nextQueryAt === null || refund.status === 'SUCCEEDED' ? null : (
            <p className="muted">下次向支付宝核实：{formatDateTime(refund.nextQueryAt)}</p>
          )}
        </Item>
      );
    }
    case 'refund-succeeded':
      return (
        <Item
          tone="success"
          testId="timeline-refund-succeeded"
          at={entry.at}
          title={`退款到账 ${formatFen(entry.refund.amountFen)}`}
          tags={<span className="muted mono">{entry.refund.outRequestNo}</span>}
        />
      );
  }
}

/** The order's money, in time order: what a support person reads when a shopper says "I paid". */
export function PaymentTimelineCard({ timeline }: { timeline: PaymentTimeline }) {
  const entries = paymentTimelineEntries(timeline);
  const summary = paymentTimelineSummary(timeline);
  const { payment } = timeline;
  return (
    <Card
      title="支付时间线"
      testId="payment-timeline"
      extra={
        <>
          <span>支付尝试 {summary.attempts}</span>
          <span>·</span>
          <span>
            通知 {summary.notifies}
            {summary.rejectedNotifies > 0 ? `（${summary.rejectedNotifies} 条未通过）` : ''}
          </span>
          <span>·</span>
          <span>查询 {summary.queries}</span>
          <span>·</span>
          <span>
            退款 {summary.refunds}
            {summary.autoRefunds > 0 ? `（含自动 ${summary.autoRefunds}）` : ''}
          </span>
        </>
      }
    >
      {payment === null ? null : (
        <div className="ptl__payment">
          <span>
            支付状态 <StatusTag entry={PAYMENT_STATUS_LABELS[payment.status]} testId="payment-status" />
          </span>
          <span>
            支付宝交易号 <span className="mono">{payment.tradeNo ?? '尚未生成'}</span>
          </span>
          <span>
            已查询 {payment.queryCount} 次
            {payment.nextQueryAt === null ? '' : `，下次 ${formatDateTime(payment.nextQueryAt)}`}
          </span>
        </div>
      )}
      {entries.length === 0 ? (
        <Empty title="还没有支付记录">买家尚未发起支付。</Empty>
      ) : (
        <ol className="ptl">
          {entries.map((entry) => (
            <Entry key={entry.key} entry={entry} />
          ))}
        </ol>
      )}
    </Card>
  );
}
