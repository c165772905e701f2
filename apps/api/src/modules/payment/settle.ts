import type { OrderStatus } from '@shop/contract';
import type { Payment, SqlTx } from '@shop/db';
import { emitEvent } from '../outbox/events';
import { closePendingOrder } from '../order/stock';
import { recordOrderEvent, transitionOrder, type ActorType } from '../order/transition';
import { closePayment, markPaymentPaid, type PaidSource } from './payment.store';
import { insertRefund, reserveRefund } from './refund.store';
import { autoRefundRequestNo, CLOSE_REASON, later } from './settings';

/**
 * The state changes money causes across an order, its payment and its refunds, each inside the caller's sql()
 * transaction and each made of guarded updates, so a notify, the recovery job and the expiry job (in any number of
 * processes, on either engine) can all prove the same fact and only one changes anything. No gateway calls here:
 * callers call Alipay before or after, never inside a transaction.
 */

export type { PaidSource } from './payment.store';

export interface PaidEvidence {
  source: PaidSource;
  tradeNo: string;
  /** gmt_payment / send_pay_date; the time we learned it when Alipay did not say. */
  paidAt: Date | null;
  buyerUserId?: string | undefined;
  buyerOpenId?: string | undefined;
  notifyId?: string | undefined;
}

export type PaidResult =
  | { result: 'APPLIED' }
  | { result: 'NO_CHANGE'; status: OrderStatus | null }
  /** Paid after the order closed: the automatic refund exists (`created` when this call wrote it). */
  | { result: 'AUTO_REFUND'; refundId: string; created: boolean };

/**
 * What applyPaid needs of a payment: the fields that never change once it is written, and the trade number; and the
 * order's status when the caller read it with the order's row locked in this transaction (findPaymentLockingOrder).
 */
export type PaidPayment = Pick<Payment, 'id' | 'orderId' | 'outTradeNo' | 'amountFen' | 'tradeNo'> & {
  orderStatus?: OrderStatus;
};

function actorFor(source: PaidSource): ActorType {
  // A notify is Alipay telling us; a query or close is our own job finding out.
  return source === 'notify' ? 'alipay' : 'system';
}

/**
 * A payment proven by a notify or a query: a pending order becomes PAID (once, whoever proves it first); a paid,
 * shipped, completed or refunded order is left alone (a late duplicate must never move a shipped order back); a
 * closed order keeps its status and gets an automatic refund of the whole payment, without taking stock again.
 */
export async function applyPaid(
  tx: SqlTx,
  payment: PaidPayment,
  evidence: PaidEvidence,
  settings: { refundRetryDelayMs: number },
): Promise<PaidResult> {
  const paidAt = evidence.paidAt ?? new Date();
  const moved = await transitionOrder(tx, {
    orderId: payment.orderId,
    from: ['PENDING_PAYMENT'],
    to: 'PAID',
    set: { paidAt },
    ...(payment.orderStatus ? { locked: payment.orderStatus } : {}),
    event: {
      type: 'PAID',
      actorType: actorFor(evidence.source),
      reason: `payment proven by ${evidence.source}`,
      data: { source: evidence.source, tradeNo: evidence.tradeNo, notifyId: evidence.notifyId ?? null },
    },
  });
  const paymentMoved = await markPaymentPaid(tx, payment, { ...evidence, paidAt });
  if (moved.changed) {
    // The order's one PENDING_PAYMENT -> PAID and its payment's -> PAID are one fact: both move, or neither.
    if (!paymentMoved)
      throw new Error(`order ${payment.orderId} became PAID but its payment was PAID already`);
    await countSales(tx, payment.orderId);
    await emitEvent(tx, {
      type: 'order.paid',
      orderId: payment.orderId,
      data: {
        orderId: payment.orderId,
        amountFen: payment.amountFen,
        outTradeNo: payment.outTradeNo,
        tradeNo: evidence.tradeNo,
        paidAt: paidAt.toISOString(),
        source: evidence.source,
      },
    });
    return { result: 'APPLIED' };
  }
  if (moved.current === 'CLOSED') return paidAfterClose(tx, payment, evidence, settings.refundRetryDelayMs);
  return { result: 'NO_CHANGE', status: moved.current };
}

/**
 * Product.salesCount counts paid units; it moves with the order's one PENDING_PAYMENT -> PAID transition. One
 * statement for all of the order's products; on PostgreSQL their rows are locked first in id order, so two orders of
 * the same products lock them in the same order (no deadlock).
 */
async function countSales(tx: SqlTx, orderId: string): Promise<void> {
  await tx.run(
    `UPDATE "Product" SET
       "salesCount" = "salesCount" + (SELECT SUM(i."quantity") FROM "OrderItem" i
                                      WHERE i."orderId" = ? AND i."productId" = "Product"."id"),
       "updatedAt" = ?
     WHERE "id" IN (SELECT p."id" FROM "Product" p
                    WHERE p."id" IN (SELECT "productId" FROM "OrderItem" WHERE "orderId" = ?)
                    ORDER BY p."id"${tx.dialect.forUpdate})`,
    orderId,
    new Date(),
    orderId,
  );
}

async function paidAfterClose(
  tx: SqlTx,
  payment: PaidPayment,
  evidence: PaidEvidence,
  refundRetryDelayMs: number,
): Promise<PaidResult> {
  const outRequestNo = autoRefundRequestNo(payment.outTradeNo);
  const existing = await tx.get<{ id: string }>(
    'SELECT "id" FROM "Refund" WHERE "outRequestNo" = ?',
    outRequestNo,
  );
  if (existing) return { result: 'AUTO_REFUND', refundId: existing.id, created: false };
  if (!(await reserveRefund(tx, payment.orderId, payment.amountFen, ['CLOSED']))) {
    // On PostgreSQL a concurrent copy of this notify may have reserved and written the refund while this one waited
    // for the order's row: the reservation no longer fits because the refund exists.
    const raced = await tx.get<{ id: string }>(
      'SELECT "id" FROM "Refund" WHERE "outRequestNo" = ?',
      outRequestNo,
    );
    if (raced) return { result: 'AUTO_REFUND', refundId: raced.id, created: false };
    throw new Error(`order ${payment.orderId} cannot hold an automatic refund of ${payment.amountFen} fen`);
  }
  const now = new Date();
  const refund = await insertRefund(tx, {
    orderId: payment.orderId,
    paymentId: payment.id,
    outRequestNo,
    amountFen: payment.amountFen,
    reason: 'Paid after the order closed: returned automatically',
    kind: 'AUTO_PAID_AFTER_CLOSE',
    requestedById: null,
    nextQueryAt: later(refundRetryDelayMs, now),
  });
  // The unique out_request_no is the last word: another process wrote this refund first. Roll back (our
  // reservation with it); the caller's retry finds the refund and answers with it.
  if (!refund) throw new Error(`the automatic refund ${outRequestNo} was written by another process`);
  await recordOrderEvent(tx, payment.orderId, {
    type: 'PAID_AFTER_CLOSE',
    actorType: actorFor(evidence.source),
    reason: 'a payment arrived for a closed order; it is refunded automatically',
    data: {
      source: evidence.source,
      tradeNo: evidence.tradeNo,
      amountFen: payment.amountFen,
      outRequestNo,
      refundId: refund.id,
      notifyId: evidence.notifyId ?? null,
    },
  });
  return { result: 'AUTO_REFUND', refundId: refund.id, created: true };
}

/**
 * Alipay closes an unpaid trade itself when its time_expire passes, and we send the order's expiry as time_expire
 * (rounded down to the whole second). A trade closed at or after that moment is the order expiring, whoever hears of
 * it first (the close notify, a query, or our own expiry job), so the shopper reads "expired" either way.
 */
const TIME_EXPIRE_ROUNDING_MS = 1_000;

async function isPastExpiry(tx: SqlTx, orderId: string): Promise<boolean> {
  const order = await tx.get<{ expiresAt: string | Date }>(
    'SELECT "expiresAt" FROM "Order" WHERE "id" = ?',
    orderId,
  );
  if (!order) return false;
  const expiresAt = order.expiresAt instanceof Date ? order.expiresAt : new Date(order.expiresAt);
  return expiresAt.getTime() - TIME_EXPIRE_ROUNDING_MS <= Date.now();
}

/**
 * Closes a pending order (stock back exactly once) and its payment. `recheckAfterMs` schedules one more query of the
 * trade later, so a payment that slipped in after the close is still found and refunded even if its notify is lost.
 */
export async function closeOrderAndPayment(
  tx: SqlTx,
  payment: Pick<Payment, 'id'> | null,
  orderId: string,
  options: {
    reason: string;
    actorType: ActorType;
    actorId?: string | null;
    eventType?: string;
    recheckAfterMs: number | null;
  },
): Promise<{ closed: boolean; status: OrderStatus | null }> {
  const reason =
    options.reason === CLOSE_REASON.tradeClosed && (await isPastExpiry(tx, orderId))
      ? CLOSE_REASON.expired
      : options.reason;
  const result = await closePendingOrder(tx, orderId, {
    reason,
    actorType: options.actorType,
    actorId: options.actorId ?? null,
    ...(options.eventType ? { type: options.eventType } : {}),
  });
  if (payment) {
    await closePayment(tx, payment.id, {
      nextQueryAt: options.recheckAfterMs === null ? null : later(options.recheckAfterMs),
    });
  }
  return result.changed ? { closed: true, status: 'CLOSED' } : { closed: false, status: result.current };
}
