import { type AdminOrderDetail, formatFen, type RefundView } from '@shop/contract';
import { useEffect, useState } from 'react';

import { adminPage, useAdmin } from '../../components/layout';
import { BackLink } from '../../components/links';
import { CollectDialog } from '../../components/order/collect-dialog';
import { CompleteDialog, RefundDialog, ShipDialog } from '../../components/order/order-dialogs';
import { EventsCard, ItemsCard, OrderAuditCard } from '../../components/order/order-sections';
import { PaymentTimelineCard } from '../../components/order/payment-timeline';
import { Banner, Card, ErrorState, Money, NotLoaded, StatusTag } from '../../components/ui';
import { api } from '../../lib/api';
import { closeReasonText } from '../../lib/describe';
import { formatDateTime } from '../../lib/format';
import { buyerName, ORDER_STATUS_LABELS, REFUND_STATUS_LABELS } from '../../lib/labels';
import { routeParam } from '../../lib/nav';
import { PAGES } from '../../lib/paths';
import { useApi } from '../../lib/use-api';
import './detail.css';

type Open = 'refund' | 'ship' | 'complete' | 'collect' | null;

/** While the collection QR is shown, the order is read again this often, so the page sees the buyer's payment. */
const COLLECT_POLL_MS = 2000;

function Summary({ order }: { order: AdminOrderDetail }) {
  const { address, buyer } = order;
  return (
    <Card testId="order-summary">
      <div className="order-amounts">
        <div className="order-amounts__item">
          <span className="muted">订单金额</span>
          <Money fen={order.totalFen} className="order-amounts__value" />
        </div>
        <div className="order-amounts__item" data-testid="order-refunded">
          <span className="muted">已退款</span>
          <Money fen={order.refundedFen} className="order-amounts__value order-amounts__value--refund" />
        </div>
        <div className="order-amounts__item">
          <span className="muted">退款中</span>
          <Money fen={order.refundPendingFen} className="order-amounts__value" />
        </div>
        <div className="order-amounts__item" data-testid="order-refundable">
          <span className="muted">可退金额</span>
          <Money fen={order.refundableFen} className="order-amounts__value" />
        </div>
      </div>
      <dl className="kv">
        <div className="kv__item">
          <dt>支付宝交易号</dt>
          <dd className="mono">{order.payment.payment?.tradeNo ?? '—'}</dd>
        </div>
        <div className="kv__item">
          <dt>下单时间</dt>
          <dd className="num">{formatDateTime(order.createdAt)}</dd>
        </div>
        <div className="kv__item">
          <dt>支付时间</dt>
          <dd className="num">{formatDateTime(order.paidAt)}</dd>
        </div>
        <div className="kv__item">
          <dt>{order.closedAt === null ? '支付截止' : '关闭时间'}</dt>
          <dd className="num">
            {formatDateTime(order.closedAt ?? order.expiresAt)}
            {order.closeReason === null ? '' : `（${closeReasonText(order.closeReason)}）`}
          </dd>
        </div>
        <div className="kv__item" data-testid="order-buyer">
          <dt>买家</dt>
          <dd>
            {buyerName(buyer)}
            {buyer.alipayUserId === null ? null : (
              <div className="muted mono">支付宝用户 {buyer.alipayUserId}</div>
            )}
          </dd>
        </div>
        <div className="kv__item" data-testid="order-address">
          <dt>收货地址</dt>
          <dd>
            {address.name} <span className="num">{address.phone}</span>
            <div className="muted">
              {address.province} {address.city} {address.district} {address.detail}
            </div>
          </dd>
        </div>
        <div className="kv__item">
          <dt>物流</dt>
          <dd>
            {order.carrier === null ? '未发货' : `${order.carrier} `}
            {order.trackingNo === null ? null : <span className="mono">{order.trackingNo}</span>}
            {order.shippedAt === null ? null : (
              <div className="muted">{formatDateTime(order.shippedAt)} 发货</div>
            )}
          </dd>
        </div>
        <div className="kv__item">
          <dt>买家备注</dt>
          <dd>{order.note === '' ? '—' : order.note}</dd>
        </div>
      </dl>
    </Card>
  );
}

function OrderDetailPage() {
  const id = routeParam('id');
  const { can } = useAdmin();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'warning'; text: string } | null>(null);
  const {
    data: order,
    error,
    loading,
    reload,
  } = useApi(id ?? null, (signal) =>
    api.get<AdminOrderDetail>(`/api/admin/orders/${encodeURIComponent(id ?? '')}`, { signal }),
  );

  const status = order?.status;
  // The buyer paid while the code was shown: close it and say so (adjusting state while rendering, React's pattern).
  if (open === 'collect' && status !== undefined && status !== 'PENDING_PAYMENT') {
    setOpen(null);
    setNotice({ tone: 'success', text: '买家已扫码付款' });
  }
  useEffect(() => {
    if (open !== 'collect') return undefined;
    const poll = setInterval(reload, COLLECT_POLL_MS);
    return () => clearInterval(poll);
  }, [open, reload]);

  const back = <BackLink href={PAGES.orders}>返回订单列表</BackLink>;
  if (id === undefined || order === undefined) {
    return (
      <NotLoaded
        head={back}
        missing={id === undefined ? { title: '缺少订单编号', hint: '请从订单列表打开订单。' } : undefined}
        error={error}
        onRetry={reload}
      />
    );
  }

  const done = (text: string, tone: 'success' | 'warning' = 'success') => {
    setOpen(null);
    setNotice({ tone, text });
    reload();
  };
  const refunded = (refund: RefundView) =>
    done(
      refund.status === 'SUCCEEDED'
        ? `退款成功：${formatFen(refund.amountFen)} 已退回买家`
        : `退款已提交（${REFUND_STATUS_LABELS[refund.status].label}）：${formatFen(refund.amountFen)}，系统会继续向支付宝核实`,
      refund.status === 'SUCCEEDED' ? 'success' : 'warning',
    );
  const canRefund = order.actions.refund && can('orders.refund');
  const canShip = order.actions.ship && can('orders.ship');
  const canComplete = order.actions.complete && can('orders.complete');
  const canCollect = order.actions.collect;

  return (
    <>
      {back}
      <div className="page-header">
        <div>
          <h1 className="page-header__title order-title">
            订单{' '}
            <span className="mono" data-testid="order-no">
              {order.orderNo}
            </span>
            <StatusTag entry={ORDER_STATUS_LABELS[order.status]} testId="order-status" />
          </h1>
          <p className="page-header__desc">{order.subject}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="btn" onClick={reload} disabled={loading}>
            {loading ? '刷新中…' : '刷新'}
          </button>
          {canCollect ? (
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => setOpen('collect')}
              data-testid="order-collect"
            >
              收款码
            </button>
          ) : null}
          {canShip ? (
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => setOpen('ship')}
              data-testid="order-ship"
            >
              发货
            </button>
          ) : null}
          {canComplete ? (
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => setOpen('complete')}
              data-testid="order-complete"
            >
              完成订单
            </button>
          ) : null}
          {canRefund ? (
            <button
              type="button"
              className="btn btn--danger"
              onClick={() => setOpen('refund')}
              data-testid="order-refund"
            >
              退款
            </button>
          ) : null}
        </div>
      </div>
      {notice === null ? null : (
        <Banner tone={notice.tone} testId="order-notice" onDismiss={() => setNotice(null)}>
          {notice.text}
        </Banner>
      )}
      {error === undefined ? null : <ErrorState error={error} onRetry={reload} />}
      <Summary order={order} />
      <PaymentTimelineCard timeline={order.payment} />
      <div className="order-columns">
        <ItemsCard
          status={order.status}
          items={order.items}
          itemsFen={order.itemsFen}
          shippingFen={order.shippingFen}
          totalFen={order.totalFen}
        />
        <div>
          <EventsCard events={order.events} />
          <OrderAuditCard entries={order.audit} />
        </div>
      </div>
      <RefundDialog order={order} open={open === 'refund'} onClose={() => setOpen(null)} onDone={refunded} />
      <ShipDialog
        order={order}
        open={open === 'ship'}
        onClose={() => setOpen(null)}
        onDone={() => done('已发货')}
      />
      <CollectDialog order={order} open={open === 'collect'} onClose={() => setOpen(null)} />
      <CompleteDialog
        order={order}
        open={open === 'complete'}
        onClose={() => setOpen(null)}
        onDone={() => done('订单已完成')}
      />
    </>
  );
}

export default adminPage(OrderDetailPage, {
  section: 'orders',
  title: '订单详情',
  permission: 'orders.read',
});
