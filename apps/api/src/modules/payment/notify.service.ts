import {
  AlipayNotifyFormatError,
  parseNotifyBody,
  readNotify,
  verifyNotify,
  yuanToFen,
  type AlipayNotify,
} from '@shop/alipay';
import type { NotifyOutcome, NotifyRejectReason } from '@shop/contract';
import type { Payment } from '@shop/db';
import {
  acceptOtherNotify,
  acceptPaymentNotify,
  checkNotify,
  isPaymentNotify,
  notifyChecks,
  type Accepted,
  type InboxBase,
} from './notify-accept';
import { executeRefundQuietly } from './refund.service';
import type { NotifyDeps } from './settings';

export { checkNotify, isRefundNotify, type NotifyChecks } from './notify-accept';

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
  let verified: boolean;
  try {
    verified = verifyNotify(fields, deps.alipayPublicKey);
  } catch {
    // A sign that is not base64 or not the right length is simply not a valid signature.
    verified = false;
  }
  let notify: AlipayNotify | undefined;
  let malformed: string | undefined;
  if (verified) {
    try {
      notify = readNotify(fields);
    } catch (error) {
      if (!(error instanceof AlipayNotifyFormatError)) throw error;
      malformed = error.message;
    }
  }
  // Link the row to the order it names, even before trusting it, so the merchant sees forgeries on that order.
  const linked = async (): Promise<{ base: InboxBase; payment: Payment | null }> => {
    const payment = partial.outTradeNo
      ? await deps.db.payment.findUnique({ where: { outTradeNo: partial.outTradeNo } })
      : null;
    return { base: { ...partial, orderId: payment?.orderId ?? null }, payment };
  };

  let accepted: Accepted;
  if (notify && isPaymentNotify(notify)) {
    try {
      const result = await acceptPaymentNotify(deps, partial, notify);
      if ('refused' in result) {
        return storeRefused(deps, result.base, {
          verified: true,
          rejectReason: result.refused,
          outcome: 'REJECTED',
          detail: `check failed: ${result.refused}`,
        });
      }
      accepted = result;
    } catch (error) {
      return storeFailed(deps, (await linked()).base, notify, error);
    }
  } else {
    const { base, payment } = await linked();
    if (!verified) {
      return storeRefused(deps, base, {
        verified: false,
        rejectReason: 'bad-signature',
        outcome: 'REJECTED',
        detail: 'the signature does not verify with the Alipay public key',
      });
    }
    if (!notify) {
      return storeRefused(deps, base, {
        verified: true,
        rejectReason: 'malformed',
        outcome: 'REJECTED',
        detail: malformed ?? 'unreadable notify',
      });
    }
    const rejectReason = checkNotify(notify, payment, notifyChecks(deps));
    if (rejectReason || !payment) {
      return storeRefused(deps, base, {
        verified: true,
        rejectReason: rejectReason ?? 'unknown-order',
        outcome: 'REJECTED',
        detail: `check failed: ${rejectReason ?? 'unknown-order'}`,
      });
    }
    try {
      accepted = await acceptOtherNotify(deps, base, payment, notify);
    } catch (error) {
      return storeFailed(deps, base, notify, error);
    }
  }
  // Committed: the automatic refund is sent before we answer, so the record shows its outcome soonest; a failure
  // leaves it open for the recovery job and does not hold back the acknowledgement.
  if (accepted.refundToSend) await executeRefundQuietly(deps, accepted.refundToSend);
  return { ack: true, status: 200, outcome: accepted.outcome, inboxId: accepted.inboxId };
}

/** Our own failure to apply a verified notify: recorded as ERROR, answered 503, and Alipay's retry applies it. */
function storeFailed(
  deps: NotifyDeps,
  base: InboxBase,
  notify: AlipayNotify,
  error: unknown,
): Promise<NotifyReceipt> {
  deps.logger.error({ err: error, notifyId: notify.notifyId }, 'notify could not be applied');
  return storeRefused(deps, base, {
    verified: true,
    rejectReason: null,
    outcome: 'ERROR',
    detail: `could not apply: ${(error as Error).message}`,
  });
}
