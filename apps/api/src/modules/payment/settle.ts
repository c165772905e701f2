import type { OrderStatus } from '@shop/contract';
import { newId, type Payment, type Refund, type SyncTx } from '@shop/db';
import type { Tx } from '../../db';
import { REFUNDABLE_STATUSES } from '../order/state';
import { closePendingOrder } from '../order/stock';
import {
  recordOrderEvent,
  recordOrderEventSync,
  transitionOrder,
  transitionOrderSync,
  type ActorType,
} from '../order/transition';
import { autoRefundRequestNo, CLOSE_REASON, later } from './settings';

/**
 * The state changes money causes, each inside the caller's transaction and each a guarded update, so a notify, the
 * recovery job and the expiry job (in any number of processes) can all prove the same fact and only one changes
 * anything. No gateway calls here: callers call Alipay before or after, never inside a transaction.
 *
 * A payment proven (applyPaid) runs in a synchronous `sqlite(db)` transaction, for notifies and the recovery job
 * alike: a burst of notifies is the benchmark's other hot path. The rest runs in Prisma transactions.
 */

/** How a payment was proven (Payment.paidVia). */
export type PaidSource = 'notify' | 'query' | 'close';

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

/** What applyPaid needs of a payment: the fields that never change once it is written. */
export type PaidPayment = Pick<Payment, 'id' | 'orderId' | 'outTradeNo' | 'amountFen'>;

function actorFor(source: PaidSource): ActorType {
  // A notify is Alipay telling us; a query or close is our own job finding out.
  return source === 'notify' ? 'alipay' : 'system';
}

/**
 * The payment becomes PAID once. The trade number is filled in only where we had none (a create whose answer was
 * lost), and the buyer ids only when Alipay sent them.
 */
function markPaymentPaid(tx: SyncTx, payment: PaidPayment, evidence: PaidEvidence, paidAt: Date): void {
  tx.run(
    `UPDATE "Payment" SET "status" = 'PAID', "paidVia" = ?, "paidAt" = ?, "nextQueryAt" = NULL,
       "tradeNo" = COALESCE("tradeNo", ?), "buyerUserId" = COALESCE(?, "buyerUserId"),
       "buyerOpenId" = COALESCE(?, "buyerOpenId"), "updatedAt" = ?
     WHERE "id" = ? AND "status" <> 'PAID'`,
    evidence.source,
    paidAt,
    evidence.tradeNo,
    evidence.buyerUserId || null,
    evidence.buyerOpenId || null,
    new Date(),
    payment.id,
  );
}

/**
 * A payment proven by a notify or a query: a pending order becomes PAID (once, whoever proves it first); a paid,
 * shipped, completed or refunded order is left alone (a late duplicate must never move a shipped order back); a
 * closed order keeps its status and gets an automatic refund of the whole payment, without taking stock again.
 * Runs inside the caller's synchronous transaction (`sqlite(db).transaction`).
 */
export function applyPaid(
  tx: SyncTx,
  payment: PaidPayment,
  evidence: PaidEvidence,
  settings: { refundRetryDelayMs: number },
): PaidResult {
  const paidAt = evidence.paidAt ?? new Date();
  const moved = transitionOrderSync(tx, {
    orderId: payment.orderId,
    from: ['PENDING_PAYMENT'],
    to: 'PAID',
    set: { paidAt },
    event: {
      type: 'PAID',
      actorType: actorFor(evidence.source),
      reason: `payment proven by ${evidence.source}`,
      data: { source: evidence.source, tradeNo: evidence.tradeNo, notifyId: evidence.notifyId ?? null },
    },
  });
  markPaymentPaid(tx, payment, evidence, paidAt);
  if (moved.changed) {
    countSales(tx, payment.orderId);
    return { result: 'APPLIED' };
  }
  if (moved.current === 'CLOSED') return paidAfterClose(tx, payment, evidence, settings.refundRetryDelayMs);
  return { result: 'NO_CHANGE', status: moved.current };
}

/** Product.salesCount counts paid units; it moves with the order's one PENDING_PAYMENT -> PAID transition. */
function countSales(tx: SyncTx, orderId: string): void {
  const items = tx.all<{ productId: string; quantity: number }>(
    'SELECT "productId", "quantity" FROM "OrderItem" WHERE "orderId" = ?',
    orderId,
  );
  const units = new Map<string, number>();
  for (const item of items) units.set(item.productId, (units.get(item.productId) ?? 0) + item.quantity);
  const now = new Date();
  for (const [productId, quantity] of units) {
    tx.run(
      'UPDATE "Product" SET "salesCount" = "salesCount" + ?, "updatedAt" = ? WHERE "id" = ?',
      quantity,
      now,
      productId,
    );
  }
}

function paidAfterClose(
  tx: SyncTx,
  payment: PaidPayment,
  evidence: PaidEvidence,
  refundRetryDelayMs: number,
): PaidResult {
  const outRequestNo = autoRefundRequestNo(payment.outTradeNo);
  const existing = tx.get<{ id: string }>('SELECT "id" FROM "Refund" WHERE "outRequestNo" = ?', outRequestNo);
  if (existing) return { result: 'AUTO_REFUND', refundId: existing.id, created: false };
  const reserve = reserveRefundStatement(payment.orderId, payment.amountFen, ['CLOSED']);
  if (tx.run(reserve.sql, ...reserve.args) !== 1) {
    throw new Error(`order ${payment.orderId} cannot hold an automatic refund of ${payment.amountFen} fen`);
  }
  // The unique outRequestNo is the last word: a second process writing the same refund fails here and rolls back.
  const now = new Date();
  const refund: Refund = {
    id: newId(),
    orderId: payment.orderId,
    paymentId: payment.id,
    outRequestNo,
    amountFen: payment.amountFen,
    reason: 'Paid after the order closed: returned automatically',
    kind: 'AUTO_PAID_AFTER_CLOSE',
    status: 'PENDING',
    requestedById: null,
    failureCode: null,
    failureMessage: null,
    succeededAt: null,
    nextQueryAt: later(refundRetryDelayMs, now),
    queryCount: 0,
    createdAt: now,
    updatedAt: now,
  };
  tx.insert('Refund', refund);
  recordOrderEventSync(tx, payment.orderId, {
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

async function isPastExpiry(tx: Tx, orderId: string): Promise<boolean> {
  const order = await tx.order.findUnique({ where: { id: orderId }, select: { expiresAt: true } });
  return order !== null && order.expiresAt.getTime() - TIME_EXPIRE_ROUNDING_MS <= Date.now();
}

/**
 * Closes a pending order (stock back exactly once) and its payment. `recheckAfterMs` schedules one more query of the
 * trade later, so a payment that slipped in after the close is still found and refunded even if its notify is lost.
 */
export async function closeOrderAndPayment(
  tx: Tx,
  payment: Payment | null,
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
    const now = new Date();
    await tx.payment.updateMany({
      where: { id: payment.id, status: { in: ['CREATED', 'OPEN'] } },
      data: {
        status: 'CLOSED',
        closedAt: now,
        nextQueryAt: options.recheckAfterMs === null ? null : later(options.recheckAfterMs, now),
      },
    });
  }
  return result.changed ? { closed: true, status: 'CLOSED' } : { closed: false, status: result.current };
}

/**
 * Reserves `amountFen` of an order for a refund: one guarded UPDATE that holds `refundedFen + refundPendingFen <=
 * totalFen` whatever else runs at the same time, in this process or another. Prisma's updateMany cannot compare two
 * columns, hence the raw statement; it is written once (reserveRefundStatement) and run by the merchant's refund in a
 * Prisma transaction and by the automatic refund in applyPaid's synchronous one. Returns false when the amount does
 * not fit or the status is not one of `statuses`.
 */
export async function reserveRefund(
  tx: Tx,
  orderId: string,
  amountFen: number,
  statuses: readonly OrderStatus[],
): Promise<boolean> {
  const reserve = reserveRefundStatement(orderId, amountFen, statuses);
  return (await tx.$executeRawUnsafe(reserve.sql, ...reserve.args)) === 1;
}

function reserveRefundStatement(orderId: string, amountFen: number, statuses: readonly OrderStatus[]) {
  return {
    sql: `UPDATE "Order" SET "refundPendingFen" = "refundPendingFen" + ?, "updatedAt" = ?
          WHERE "id" = ? AND "refundedFen" + "refundPendingFen" + ? <= "totalFen"
            AND "status" IN (${statuses.map(() => '?').join(', ')})`,
    args: [amountFen, new Date(), orderId, amountFen, ...statuses] as const,
  };
}

export type RefundCompletionSource = 'refund' | 'refund-query' | 'notify';

/**
 * A refund Alipay confirms (the refund call's answer, a refund query or a refund notify): SUCCEEDED once, its amount
 * moved from pending to refunded, and a merchant refund that brings the total to the whole order makes it REFUNDED.
 * A refund we had marked FAILED that Alipay says succeeded is taken as succeeded too (Alipay holds the money).
 */
export async function completeRefund(
  tx: Tx,
  refund: Refund,
  source: RefundCompletionSource,
): Promise<boolean> {
  const now = new Date();
  const done = { status: 'SUCCEEDED' as const, succeededAt: now, nextQueryAt: null };
  const fromOpen = await tx.refund.updateMany({
    where: { id: refund.id, status: { in: ['PENDING', 'UNKNOWN'] } },
    data: done,
  });
  if (fromOpen.count === 1) {
    const moved = await tx.$executeRaw`
      UPDATE "Order" SET "refundPendingFen" = "refundPendingFen" - ${refund.amountFen},
                         "refundedFen" = "refundedFen" + ${refund.amountFen}, "updatedAt" = ${now}
      WHERE "id" = ${refund.orderId} AND "refundPendingFen" >= ${refund.amountFen}`;
    if (moved !== 1) throw new Error(`order ${refund.orderId} does not hold refund ${refund.id} as pending`);
  } else {
    const fromFailed = await tx.refund.updateMany({ where: { id: refund.id, status: 'FAILED' }, data: done });
    if (fromFailed.count !== 1) return false;
    const moved = await tx.$executeRaw`
      UPDATE "Order" SET "refundedFen" = "refundedFen" + ${refund.amountFen}, "updatedAt" = ${now}
      WHERE "id" = ${refund.orderId} AND "refundedFen" + "refundPendingFen" + ${refund.amountFen} <= "totalFen"`;
    if (moved !== 1) throw new Error(`order ${refund.orderId} cannot take refund ${refund.id} as refunded`);
  }
  await recordOrderEvent(tx, refund.orderId, {
    type: 'REFUND_SUCCEEDED',
    actorType: source === 'notify' ? 'alipay' : 'system',
    reason: `refund confirmed by ${source}`,
    data: { refundId: refund.id, outRequestNo: refund.outRequestNo, amountFen: refund.amountFen, source },
  });
  if (refund.kind === 'MERCHANT') {
    const order = await tx.order.findUniqueOrThrow({
      where: { id: refund.orderId },
      select: { refundedFen: true, totalFen: true },
    });
    if (order.refundedFen === order.totalFen) {
      await transitionOrder(tx, {
        orderId: refund.orderId,
        from: REFUNDABLE_STATUSES,
        to: 'REFUNDED',
        set: {},
        event: {
          type: 'REFUNDED',
          actorType: 'system',
          reason: 'the whole amount has been refunded',
          data: { refundId: refund.id },
        },
      });
    }
  }
  return true;
}

/** A refund Alipay definitely refused: FAILED once, and its reservation released so it can be asked for again. */
export async function failRefund(
  tx: Tx,
  refund: Refund,
  failure: { code: string; message: string },
): Promise<boolean> {
  const { count } = await tx.refund.updateMany({
    where: { id: refund.id, status: { in: ['PENDING', 'UNKNOWN'] } },
    data: { status: 'FAILED', failureCode: failure.code, failureMessage: failure.message, nextQueryAt: null },
  });
  if (count !== 1) return false;
  const released = await tx.$executeRaw`
    UPDATE "Order" SET "refundPendingFen" = "refundPendingFen" - ${refund.amountFen}, "updatedAt" = ${new Date()}
    WHERE "id" = ${refund.orderId} AND "refundPendingFen" >= ${refund.amountFen}`;
  if (released !== 1) throw new Error(`order ${refund.orderId} does not hold refund ${refund.id} as pending`);
  await recordOrderEvent(tx, refund.orderId, {
    type: 'REFUND_FAILED',
    actorType: 'system',
    reason: failure.message,
    data: {
      refundId: refund.id,
      outRequestNo: refund.outRequestNo,
      amountFen: refund.amountFen,
      code: failure.code,
    },
  });
  return true;
}
