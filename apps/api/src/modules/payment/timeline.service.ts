import type { PaymentTimeline } from '@shop/contract';
import type { DbOrTx } from '../../db';
import { notFound } from '../../errors';
import { gatewayCallView, notifyView, paymentView, refundView } from './views';

/**
 * Everything about an order's money, for the merchant: the trade, every refund (merchant and automatic), every
 * notify received for it (forged and duplicate ones included, with the raw body) and every call made to Alipay about
 * it (each create attempt, query, close, refund and refund query), oldest first.
 */
export async function paymentTimeline(db: DbOrTx, orderId: string): Promise<PaymentTimeline> {
  const order = await db.order.findUnique({
    where: { id: orderId },
    select: {
      id: true,
      totalFen: true,
      refundedFen: true,
      refundPendingFen: true,
      payment: true,
      refunds: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      notifies: { orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }] },
      gatewayCalls: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    },
  });
  if (!order) throw notFound('Order');
  return {
    orderId: order.id,
    totalFen: order.totalFen,
    refundedFen: order.refundedFen,
    refundPendingFen: order.refundPendingFen,
    payment: order.payment ? paymentView(order.payment) : null,
    refunds: order.refunds.map(refundView),
    notifies: order.notifies.map(notifyView),
    gatewayCalls: order.gatewayCalls.map(gatewayCallView),
  };
}
