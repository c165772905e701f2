import {
  AlipayNotifyFormatError,
  isPaidStatus,
  parseNotifyBody,
  readNotify,
  verifyNotify,
  yuanToFen,
  type AlipayNotify,
} from '@shop/alipay';
import type { NotifyOutcome, NotifyRejectReason } from '@shop/contract';
import type { Payment } from '@shop/db';
import { inTransaction, type Tx } from '../../db';
import { executeRefundQuietly } from './refund.service';
import { CLOSE_REASON, type NotifyDeps } from './settings';
import { applyPaid, closeOrderAndPayment, completeRefund } from './settle';

/**
 * The async notify inbox (https://opendocs.alipay.com/open/203/105286). Every POST is stored, whatever it is: raw
 * body, parsed fields, whether the signature verified, why it was refused, what it did. A notify is acted on only
 * when it verifies with Alipay's public key AND names our app, our order, the order's amount (and our seller, when
 * configured); its effect and its inbox row commit in one transaction, and only then is it acknowledged with
 * `success`. Duplicates (same notify_id) are normal: among verified notifies the first acknowledged one counts, and
 * the guarded transitions make a late duplicate a no-op even across processes. A forged notify never counts as the
 * first of its notify_id, so it cannot pre-empt or block the real one.
 */

export interface NotifyInput {
  raw: Buffer;
  contentType: string;
  /** Set when the body could not be read (too large, aborted); the notify is recorded as malformed. */
  readError?: string | undefined;
}

export interface NotifyReceipt {
  /** Answer `success` (Alipay stops retrying) or not (Alipay retries on its schedule). */
  ack: boolean;
  /** The HTTP status of a refusal: 400 for a notify we will never accept, 503 for our own failure. */
  status: 200 | 400 | 503;
  outcome: NotifyOutcome;
  inboxId: string;
}

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

interface InboxBase {
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

function text(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value.slice(0, 200);
}

function lenientFen(value: string | undefined): number | null {
  if (value === undefined) return null;
  try {
    return yuanToFen(value);
  } catch {
    return null;
  }
}

/** The columns we can fill from the fields before trusting any of them (forgeries are shown as they came). */
function inboxBase(input: NotifyInput, fields: Record<string, string>): Omit<InboxBase, 'orderId'> {
  return {
    rawBody: input.raw.toString('utf8'),
    contentType: input.contentType.slice(0, 200),
    fieldsJson: JSON.stringify(fields),
    notifyId: text(fields.notify_id),
    outTradeNo: text(fields.out_trade_no),
    tradeNo: text(fields.trade_no),
    outBizNo: text(fields.out_biz_no),
    tradeStatus: text(fields.trade_status),
    totalFen: lenientFen(fields.total_amount),
  };
}

async function storeRefused(
  deps: NotifyDeps,
  base: InboxBase,
  refusal: {
    verified: boolean;
    rejectReason: NotifyRejectReason | null;
    outcome: NotifyOutcome;
    detail: string;
  },
): Promise<NotifyReceipt> {
  const row = await deps.db.notifyInbox.create({
    data: {
      ...base,
      verified: refusal.verified,
      rejectReason: refusal.rejectReason,
      outcome: refusal.outcome,
      outcomeDetail: refusal.detail.slice(0, 1000),
      acknowledged: false,
    },
  });
  deps.logger.warn(
    { inboxId: row.id, notifyId: base.notifyId, outTradeNo: base.outTradeNo, reason: refusal.rejectReason },
    `notify not acknowledged: ${refusal.detail}`,
  );
  return {
    ack: false,
    status: refusal.outcome === 'ERROR' ? 503 : 400,
    outcome: refusal.outcome,
    inboxId: row.id,
  };
}

interface Applied {
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

async function applyVerified(
  tx: Tx,
  deps: NotifyDeps,
  payment: Payment,
  notify: AlipayNotify,
): Promise<Applied> {
  if (isRefundNotify(notify)) return applyRefundNotify(tx, payment, notify);
  if (isPaidStatus(notify.tradeStatus)) {
    const paid = await applyPaid(
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

/** Receives one notify. Never throws for anything the sender did; only our own failures come back as ERROR. */
export async function receiveNotify(deps: NotifyDeps, input: NotifyInput): Promise<NotifyReceipt> {
  const unlinked: InboxBase = { ...inboxBase(input, {}), orderId: null };
  if (input.readError !== undefined) {
    return storeRefused(deps, unlinked, {
      verified: false,
      rejectReason: 'malformed',
      outcome: 'REJECTED',
      detail: input.readError,
    });
  }
  let fields: Record<string, string>;
  try {
    fields = parseNotifyBody(input.raw, input.contentType);
  } catch (error) {
    return storeRefused(deps, unlinked, {
      verified: false,
      rejectReason: 'malformed',
      outcome: 'REJECTED',
      detail: `body is not a form: ${(error as Error).message}`,
    });
  }
  const partial = inboxBase(input, fields);
  // Link the row to the order it names, even before trusting it, so the merchant sees forgeries on that order.
  const payment = partial.outTradeNo
    ? await deps.db.payment.findUnique({ where: { outTradeNo: partial.outTradeNo } })
    : null;
  const base: InboxBase = { ...partial, orderId: payment?.orderId ?? null };

  let verified: boolean;
  try {
    verified = verifyNotify(fields, deps.alipayPublicKey);
  } catch {
    // A sign that is not base64 or not the right length is simply not a valid signature.
    verified = false;
  }
  if (!verified) {
    return storeRefused(deps, base, {
      verified: false,
      rejectReason: 'bad-signature',
      outcome: 'REJECTED',
      detail: 'the signature does not verify with the Alipay public key',
    });
  }
  let notify: AlipayNotify;
  try {
    notify = readNotify(fields);
  } catch (error) {
    if (!(error instanceof AlipayNotifyFormatError)) throw error;
    return storeRefused(deps, base, {
      verified: true,
      rejectReason: 'malformed',
      outcome: 'REJECTED',
      detail: error.message,
    });
  }
  const rejectReason = checkNotify(notify, payment, {
    appId: deps.env.ALIPAY_APP_ID,
    sellerId: deps.env.ALIPAY_SELLER_ID,
  });
  if (rejectReason || !payment) {
    return storeRefused(deps, base, {
      verified: true,
      rejectReason: rejectReason ?? 'unknown-order',
      outcome: 'REJECTED',
      detail: `check failed: ${rejectReason ?? 'unknown-order'}`,
    });
  }

  let applied: Applied & { inboxId: string };
  try {
    applied = await inTransaction(deps.db, async (tx) => {
      // Looked up by notify_id alone, the flags checked here: with `verified = 1` in the WHERE, SQLite's planner picks
      // the (verified, receivedAt) index and reads every verified notify ever received, so each notify cost more than
      // the last (1.4 ms a lookup at 10,000 rows in the benchmark's profile). One notify_id has a handful of rows.
      const seen = await tx.notifyInbox.findMany({
        where: { notifyId: notify.notifyId },
        select: { id: true, verified: true, acknowledged: true },
      });
      const first = seen.find((row) => row.verified && row.acknowledged);
      // The payment as it is now, read only when the notify may act on it: most copies are duplicates.
      const result: Applied = first
        ? { outcome: 'DUPLICATE', detail: `notify_id seen before (inbox ${first.id})` }
        : await applyVerified(
            tx,
            deps,
            await tx.payment.findUniqueOrThrow({ where: { id: payment.id } }),
            notify,
          );
      const row = await tx.notifyInbox.create({
        data: {
          ...base,
          verified: true,
          outcome: result.outcome,
          outcomeDetail: result.detail,
          acknowledged: true,
        },
        // Only the id: the row holds the raw body and the fields as JSON, a few kilobytes not worth reading back.
        select: { id: true },
      });
      return { ...result, inboxId: row.id };
    });
  } catch (error) {
    deps.logger.error({ err: error, notifyId: notify.notifyId }, 'notify could not be applied');
    return storeRefused(deps, base, {
      verified: true,
      rejectReason: null,
      outcome: 'ERROR',
      detail: `could not apply: ${(error as Error).message}`,
    });
  }
  // Committed: the automatic refund is sent before we answer, so the record shows its outcome soonest; a failure
  // leaves it open for the recovery job and does not hold back the acknowledgement.
  if (applied.refundToSend) await executeRefundQuietly(deps, applied.refundToSend);
  return { ack: true, status: 200, outcome: applied.outcome, inboxId: applied.inboxId };
}
