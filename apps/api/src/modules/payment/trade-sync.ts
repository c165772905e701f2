import { isPaidStatus, type TradeQueryResult } from '@shop/alipay';
import type { OrderStatus } from '@shop/contract';
import type { Payment } from '@shop/db';
import { sql } from '../../db';
import { countSettledByQuery } from '../../lib/metrics';
import type { ActorType } from '../order/transition';
import { callGateway, type GatewayOutcome } from './gateway-log';
import { closePayment, endPaymentQueries, findPayment, openPayment } from './payment.store';
import { executeRefundQuietly } from './refund.service';
import { CLOSE_REASON, later, type PaymentDeps } from './settings';
import { applyPaid, closeOrderAndPayment } from './settle';

/**
 * alipay.trade.query and what its answer does to our records: shared by the recovery job, the expiry job (after a
 * close that found the trade not closable) and payment creation (after Alipay said the trade is paid or closed).
 */

export async function queryTrade(
  deps: PaymentDeps,
  payment: Payment,
): Promise<GatewayOutcome<TradeQueryResult>> {
  return callGateway(
    deps.db,
    { orderId: payment.orderId, purpose: 'query', method: 'alipay.trade.query' },
    () =>
      deps.alipay.tradeQuery(
        payment.tradeNo
          ? { outTradeNo: payment.outTradeNo, tradeNo: payment.tradeNo }
          : { outTradeNo: payment.outTradeNo },
      ),
    (trade) => ({
      tradeNo: trade.tradeNo,
      tradeStatus: trade.tradeStatus,
      totalFen: trade.totalFen,
      sendPayDate: trade.sendPayDate?.toISOString() ?? null,
    }),
  );
}

export async function closeTradeAtAlipay(
  deps: PaymentDeps,
  payment: Payment,
): Promise<GatewayOutcome<unknown>> {
  return callGateway(
    deps.db,
    { orderId: payment.orderId, purpose: 'close', method: 'alipay.trade.close' },
    () =>
      deps.alipay.tradeClose(
        payment.tradeNo
          ? { outTradeNo: payment.outTradeNo, tradeNo: payment.tradeNo }
          : { outTradeNo: payment.outTradeNo },
      ),
    (result) => ({ tradeNo: result.tradeNo ?? null }),
  );
}

export type TradeSync =
  /** The order became PAID now. */
  | 'paid'
  /** Paid after the order closed: the automatic refund was written now. */
  | 'auto-refund'
  /** Alipay says paid and we knew already (a paid order, or a closed one whose refund exists). */
  | 'already-settled'
  /** The trade is closed at Alipay and our order and payment are closed too. */
  | 'closed'
  /** The trade waits for the buyer. */
  | 'open'
  /** The answer does not match our records (amount): nothing changed; the merchant sees the query. */
  | 'mismatch';

export interface CloseAs {
  reason: string;
  actorType: ActorType;
  actorId?: string | null;
  eventType?: string;
}

const TRADE_CLOSED_BY_ALIPAY: CloseAs = {
  reason: CLOSE_REASON.tradeClosed,
  actorType: 'system',
  eventType: 'CLOSED',
};

/**
 * Applies what alipay.trade.query found. `source` is how a payment proven here is recorded (`query` for the
 * recovery job, `close` when closing found the trade paid); `closeAs` says how to write a close it proves.
 */
export async function applyTradeState(
  deps: PaymentDeps,
  payment: Payment,
  trade: TradeQueryResult,
  source: 'query' | 'close',
  closeAs: CloseAs = TRADE_CLOSED_BY_ALIPAY,
): Promise<TradeSync> {
  if (trade.totalFen !== payment.amountFen || trade.outTradeNo !== payment.outTradeNo) {
    deps.logger.error(
      { orderId: payment.orderId, outTradeNo: payment.outTradeNo, trade },
      'alipay.trade.query answered with a trade that does not match our payment',
    );
    return 'mismatch';
  }
  if (isPaidStatus(trade.tradeStatus)) {
    const paid = await sql(deps.db).transaction((tx) =>
      applyPaid(
        tx,
        payment,
        {
          source,
          tradeNo: trade.tradeNo,
          paidAt: trade.sendPayDate,
          buyerUserId: trade.buyerUserId,
          buyerOpenId: trade.buyerOpenId,
        },
        { refundRetryDelayMs: deps.env.REFUND_RETRY_DELAY_MS },
      ),
    );
    if (paid.result === 'APPLIED') {
      countSettledByQuery('paid');
      return 'paid';
    }
    if (paid.result === 'AUTO_REFUND' && paid.created) {
      countSettledByQuery('auto_refund');
      await executeRefundQuietly(deps, paid.refundId);
      return 'auto-refund';
    }
    return 'already-settled';
  }
  if (trade.tradeStatus === 'TRADE_CLOSED') {
    await sql(deps.db).transaction(async (tx) => {
      const current = await findPayment(tx, { id: payment.id });
      if (!current) throw new Error(`payment ${payment.id} disappeared`);
      // A paid trade closes when fully refunded: nothing to do. A closed payment had its last look now.
      if (current.status === 'PAID') return;
      if (current.status === 'CLOSED') {
        await endPaymentQueries(tx, current.id);
        return;
      }
      await closeOrderAndPayment(tx, current, current.orderId, {
        ...closeAs,
        recheckAfterMs: deps.env.PAYMENT_QUERY_DELAY_MS,
      });
    });
    return 'closed';
  }
  // WAIT_BUYER_PAY: the trade exists, so a payment whose create outcome was unknown learns its trade number here.
  const learned = payment.tradeNo ? {} : { tradeNo: trade.tradeNo };
  const closeAtAlipay = await sql(deps.db).transaction(async (tx) => {
    const order = await tx.get<{ status: OrderStatus }>(
      'SELECT "status" FROM "Order" WHERE "id" = ?',
      payment.orderId,
    );
    if (order?.status === 'PENDING_PAYMENT') {
      await openPayment(tx, payment.id, { tradeNo: payment.tradeNo ?? trade.tradeNo });
      return false;
    }
    if (order?.status === 'CLOSED') {
      // Our order is closed but its trade is still payable (a create that landed after the close): close the trade
      // so the buyer cannot pay, and keep the payment on the recovery schedule until Alipay says it is closed.
      await closePayment(tx, payment.id, { nextQueryAt: later(deps.env.PAYMENT_QUERY_DELAY_MS), ...learned });
      return true;
    }
    return false;
  });
  if (closeAtAlipay) await closeTradeAtAlipay(deps, payment);
  return 'open';
}
