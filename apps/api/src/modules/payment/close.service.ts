import type { OrderStatus } from '@shop/contract';
import { sql } from '../../db';
import { hasSubCode } from './gateway-log';
import type { PaymentDeps } from './settings';
import { closeOrderAndPayment } from './settle';
import { applyTradeState, closeTradeAtAlipay, queryTrade, type CloseAs } from './trade-sync';

export type CloseResult =
  /** The order is CLOSED now and its stock is back. */
  | { result: 'closed' }
  /** Closing found the trade paid: the order is PAID instead. */
  | { result: 'paid' }
  /** Alipay's answer was unknown or not final: nothing changed; try again later. */
  | { result: 'unknown' }
  /** The order was not pending (any more): nothing changed. */
  | { result: 'not-pending'; status: OrderStatus | null };

/**
 * Closes a pending order the safe way: close its Alipay trade first (alipay.trade.close), then the order (stock back
 * exactly once) and the payment. A trade Alipay does not know is fine (never created, or the create never landed).
 * A trade that cannot be closed is asked about (alipay.trade.query): paid means the order becomes PAID instead; an
 * unknown outcome leaves the order pending for the next attempt, because closing it locally while the buyer can
 * still pay is how shops end up with money for a cancelled order. The expiry job and the shopper's cancel use this.
 * https://opendocs.alipay.com/mini/03l8bx (alipay.trade.close: only unpaid trades close; ACQ.TRADE_STATUS_ERROR)
 */
export async function closeOrderWithTrade(
  deps: PaymentDeps,
  orderId: string,
  closeAs: CloseAs,
): Promise<CloseResult> {
  const order = await deps.db.order.findUnique({
    where: { id: orderId },
    select: { status: true, payment: true },
  });
  if (!order || order.status !== 'PENDING_PAYMENT') {
    return { result: 'not-pending', status: order?.status ?? null };
  }
  const payment = order.payment;

  const closeLocally = async (): Promise<CloseResult> => {
    const closed = await sql(deps.db).transaction((tx) =>
      closeOrderAndPayment(tx, payment, orderId, {
        ...closeAs,
        // No trade, no late payment: only an order that had a payment intent gets a last look later.
        recheckAfterMs: payment ? deps.env.PAYMENT_QUERY_DELAY_MS : null,
      }),
    );
    return closed.closed ? { result: 'closed' } : { result: 'not-pending', status: closed.status };
  };

  // The intent is written before any create call, so no payment row means no trade can exist.
  if (!payment || payment.status === 'CLOSED') return closeLocally();
  if (payment.status === 'PAID') return { result: 'not-pending', status: order.status };

  const close = await closeTradeAtAlipay(deps, payment);
  if (close.ok || hasSubCode(close, 'ACQ.TRADE_NOT_EXIST')) return closeLocally();
  if (!hasSubCode(close, 'ACQ.TRADE_STATUS_ERROR', 'ACQ.TRADE_HAS_SUCCESS', 'ACQ.TRADE_HAS_CLOSE')) {
    return { result: 'unknown' };
  }
  // Not closable: either closed already (Alipay closes at time_expire itself) or paid. Ask which.
  const query = await queryTrade(deps, payment);
  // A QR code nobody scanned or a mobile payment never confirmed that Alipay already ended (time_expire): it never
  // became a trade, so nothing can be paid under it.
  if (hasSubCode(query, 'ACQ.TRADE_NOT_EXIST')) return closeLocally();
  if (!query.ok) return { result: 'unknown' };
  const sync = await applyTradeState(deps, payment, query.value, 'close', closeAs);
  switch (sync) {
    case 'paid':
      return { result: 'paid' };
    case 'closed':
      return { result: 'closed' };
    case 'already-settled':
    case 'auto-refund': {
      const now = await deps.db.order.findUnique({ where: { id: orderId }, select: { status: true } });
      return { result: 'not-pending', status: now?.status ?? null };
    }
    default:
      return { result: 'unknown' };
  }
}
