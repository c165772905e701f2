import { isPaidStatus, type AlipayNotify } from '@shop/alipay';
import type { NotifyOutcome, NotifyRejectReason } from '@shop/contract';
import { newId, readBool, sqlite, type NotifyInbox, type Payment, type SyncTx } from '@shop/db';
import { inTransaction, type Tx } from '../../db';
import { CLOSE_REASON, type NotifyDeps } from './settings';
import { applyPaid, closeOrderAndPayment, completeRefund, type PaidPayment } from './settle';

/**
 * What a verified notify is checked against, and what it does once accepted: its effect and its inbox row commit in
 * one transaction. A payment notify (the common kind, and the benchmark's second hot path) runs in a synchronous
 * `sqlite(db)` transaction; refund notifies, TRADE_CLOSED and the rest run in a Prisma transaction. Both apply the
 * same duplicate rule (countedBefore). notify.service.ts receives, verifies, stores refusals and answers.
 */

export interface NotifyChecks {
  appId: string;
  sellerId: string | undefined;
}

/**
 * The checks after the signature: our app, our order, the order's amount, our seller. Returns why the notify must be
 * refused, or null. A trade number that differs from the one Alipay gave us for this order is refused too.
 */
export function checkNotify(
  notify: AlipayNotify,
  payment: Pick<Payment, 'amountFen' | 'tradeNo'> | null,
  checks: NotifyChecks,
): NotifyRejectReason | null {
  if (notify.appId !== checks.appId) return 'app-id';
  if (checks.sellerId !== undefined && notify.sellerId !== checks.sellerId) return 'seller-id';
  if (!payment) return 'unknown-order';
  if (payment.tradeNo !== null && notify.tradeNo !== payment.tradeNo) return 'trade-no';
  if (notify.totalFen !== payment.amountFen) return 'amount';
  return null;
}

/** Whether a notify reports a refund rather than a payment (refund notifies carry out_biz_no and refund_fee). */
export function isRefundNotify(notify: AlipayNotify): boolean {
  return notify.outBizNo !== undefined || notify.refundFeeFen !== undefined;
}

export interface InboxBase {
  rawBody: string;
  contentType: string;
  fieldsJson: string;
  notifyId: string | null;
  outTradeNo: string | null;
  tradeNo: string | null;
  outBizNo: string | null;
  tradeStatus: string | null;
  totalFen: number | null;
  orderId: string | null;
}

export interface Applied {
  outcome: NotifyOutcome;
  detail: string;
  /** An automatic refund written by this notify, to send to Alipay after commit. */
  refundToSend?: string;
}

async function applyRefundNotify(tx: Tx, payment: Payment, notify: AlipayNotify): Promise<Applied> {
  const refund = notify.outBizNo
    ? await tx.refund.findUnique({ where: { outRequestNo: notify.outBizNo } })
    : null;
  if (refund && refund.orderId === payment.orderId) {
    const changed = await completeRefund(tx, refund, 'notify');
    return changed
      ? { outcome: 'APPLIED', detail: `refund ${refund.outRequestNo} succeeded` }
      : { outcome: 'NO_CHANGE', detail: `refund ${refund.outRequestNo} is ${refund.status} already` };
  }
  // A refund we did not ask for (made in Alipay's console?) or one without out_biz_no: have the recovery job ask
  // about every open refund of this order now rather than on its usual schedule.
  await tx.refund.updateMany({
    where: { orderId: payment.orderId, status: { in: ['PENDING', 'UNKNOWN'] } },
    data: { nextQueryAt: new Date() },
  });
  return {
    outcome: 'NO_CHANGE',
    detail: `refund notify for ${notify.outBizNo ?? 'no out_biz_no'}, which is not a refund the shop requested`,
  };
}

/** The payment notify as evidence for applyPaid, and what its result means for the inbox row. */
function applyPaymentNotify(
  tx: SyncTx,
  deps: NotifyDeps,
  payment: PaidPayment,
  notify: AlipayNotify,
): Applied {
  const paid = applyPaid(
    tx,
    payment,
    {
      source: 'notify',
      tradeNo: notify.tradeNo,
      paidAt: notify.gmtPayment,
      buyerUserId: notify.buyerId,
      buyerOpenId: notify.buyerOpenId,
      notifyId: notify.notifyId,
    },
    { refundRetryDelayMs: deps.env.REFUND_RETRY_DELAY_MS },
  );
  if (paid.result === 'APPLIED') return { outcome: 'APPLIED', detail: 'order paid' };
  if (paid.result === 'NO_CHANGE') {
    return { outcome: 'NO_CHANGE', detail: `order is ${paid.status ?? 'missing'}; nothing to do` };
  }
  return paid.created
    ? {
        outcome: 'AUTO_REFUND',
        detail: 'paid after the order closed; refunding',
        refundToSend: paid.refundId,
      }
    : { outcome: 'NO_CHANGE', detail: 'paid after the order closed; the automatic refund exists already' };
}

/** Everything but a payment: refund notifies, TRADE_CLOSED, and statuses that change nothing. */
async function applyOtherNotify(
  tx: Tx,
  deps: NotifyDeps,
  payment: Payment,
  notify: AlipayNotify,
): Promise<Applied> {
  if (isRefundNotify(notify)) return applyRefundNotify(tx, payment, notify);
  if (notify.tradeStatus === 'TRADE_CLOSED') {
    const closed = await closeOrderAndPayment(tx, payment, payment.orderId, {
      reason: CLOSE_REASON.tradeClosed,
      actorType: 'alipay',
      eventType: 'CLOSED',
      recheckAfterMs: deps.env.PAYMENT_QUERY_DELAY_MS,
    });
    return closed.closed
      ? { outcome: 'APPLIED', detail: 'trade closed at Alipay; order closed' }
      : { outcome: 'NO_CHANGE', detail: `trade closed; order is ${closed.status ?? 'missing'}` };
  }
  return { outcome: 'NO_CHANGE', detail: `trade status ${notify.tradeStatus ?? 'absent'}` };
}

/** A payment notify (TRADE_SUCCESS / TRADE_FINISHED, not a refund): the hot path, see receivePaymentNotify. */
export function isPaymentNotify(notify: AlipayNotify): boolean {
  return !isRefundNotify(notify) && isPaidStatus(notify.tradeStatus);
}

/**
 * The duplicate rule: among the rows stored for a notify_id, the first verified and acknowledged one counts. Looked
 * up by notify_id alone, the flags checked here: with `verified = 1` in the WHERE, SQLite's planner picks the
 * (verified, receivedAt) index and reads every verified notify ever received, so each notify cost more than the last
 * (1.4 ms a lookup at 10,000 rows in the benchmark's profile). One notify_id has a handful of rows.
 */
function countedBefore(rows: ReadonlyArray<{ id: string; verified: boolean; acknowledged: boolean }>) {
  return rows.find((row) => row.verified && row.acknowledged);
}

/** The inbox row of an accepted notify. */
function acceptedRow(base: InboxBase, applied: Applied): NotifyInbox {
  return {
    id: newId(),
    ...base,
    verified: true,
    rejectReason: null,
    outcome: applied.outcome,
    outcomeDetail: applied.detail,
    acknowledged: true,
    receivedAt: new Date(),
  };
}

export type Accepted = Applied & { inboxId: string };

/**
 * A verified payment notify, in one synchronous transaction on `sqlite(db)`: the payment by out_trade_no, the checks,
 * the duplicate rule, applyPaid (the order's guarded PENDING_PAYMENT -> PAID with its event, the payment PAID, the
 * products' sales, or the automatic refund of a payment after close) and the inbox row. A bench of notifies spends
 * its time here; through the Prisma client these statements cost most of 2-3 ms per notify. A refusal writes
 * nothing here and is stored afterwards like any other.
 */
export async function acceptPaymentNotify(
  deps: NotifyDeps,
  partial: Omit<InboxBase, 'orderId'>,
  notify: AlipayNotify,
): Promise<Accepted | { refused: NotifyRejectReason; base: InboxBase }> {
  return sqlite(deps.db).transaction((tx) => {
    const payment = partial.outTradeNo
      ? tx.get<PaidPayment & Pick<Payment, 'tradeNo'>>(
          'SELECT "id", "orderId", "outTradeNo", "tradeNo", "amountFen" FROM "Payment" WHERE "outTradeNo" = ?',
          partial.outTradeNo,
        )
      : undefined;
    const base: InboxBase = { ...partial, orderId: payment?.orderId ?? null };
    const rejectReason = checkNotify(notify, payment ?? null, notifyChecks(deps));
    if (rejectReason || !payment) return { refused: rejectReason ?? 'unknown-order', base };
    const seen = tx.all<{ id: string; verified: number; acknowledged: number }>(
      'SELECT "id", "verified", "acknowledged" FROM "NotifyInbox" WHERE "notifyId" = ?',
      notify.notifyId,
    );
    const first = countedBefore(
      seen.map((row) => ({
        id: row.id,
        verified: readBool(row.verified),
        acknowledged: readBool(row.acknowledged),
      })),
    );
    const applied: Applied = first
      ? { outcome: 'DUPLICATE', detail: `notify_id seen before (inbox ${first.id})` }
      : applyPaymentNotify(tx, deps, payment, notify);
    const row = acceptedRow(base, applied);
    tx.insert('NotifyInbox', row);
    return { ...applied, inboxId: row.id };
  });
}

export function notifyChecks(deps: NotifyDeps): NotifyChecks {
  return { appId: deps.env.ALIPAY_APP_ID, sellerId: deps.env.ALIPAY_SELLER_ID };
}

/**
 * Any other verified notify that passed its checks, in a Prisma transaction: the duplicate rule, then a refund notify,
 * TRADE_CLOSED or a status that changes nothing, and the inbox row.
 */
export async function acceptOtherNotify(
  deps: NotifyDeps,
  base: InboxBase,
  payment: Payment,
  notify: AlipayNotify,
): Promise<Accepted> {
  return inTransaction(deps.db, async (tx) => {
    const seen = await tx.notifyInbox.findMany({
      where: { notifyId: notify.notifyId },
      select: { id: true, verified: true, acknowledged: true },
    });
    const first = countedBefore(seen);
    // The payment as it is now, read only when the notify may act on it.
    const applied: Applied = first
      ? { outcome: 'DUPLICATE', detail: `notify_id seen before (inbox ${first.id})` }
      : await applyOtherNotify(
          tx,
          deps,
          await tx.payment.findUniqueOrThrow({ where: { id: payment.id } }),
          notify,
        );
    // Only the id: the row holds the raw body and the fields as JSON, a few kilobytes not worth reading back.
    const row = await tx.notifyInbox.create({ data: acceptedRow(base, applied), select: { id: true } });
    return { ...applied, inboxId: row.id };
  });
}
