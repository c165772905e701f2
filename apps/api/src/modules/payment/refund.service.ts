import { AlipayConnectionError } from '@shop/alipay';
import { MAX_REFUND_FEN, type OrderStatus, type RefundView } from '@shop/contract';
import type { Payment, Refund } from '@shop/db';
import { sql } from '../../db';
import { AppError, notFound } from '../../errors';
import { REFUNDABLE_STATUSES } from '../order/state';
import { recordOrderEvent, type ActorType } from '../order/transition';
import { callGateway, type GatewayOutcome } from './gateway-log';
import { findPayment } from './payment.store';
import {
  completeRefund,
  failRefund,
  findRefund,
  insertRefund,
  markRefundUnknown,
  noteRefundFailure,
  reserveRefund,
} from './refund.store';
import { keyedRefundRequestNo, later, merchantRefundRequestNo, type PaymentDeps } from './settings';
import { OPEN_REFUND_STATUSES } from './state';
import { refundView } from './views';

/**
 * Refunds as a service (the admin API calls requestRefund). The refund is written first, with its amount reserved on
 * the order by a guarded update and a stable out_request_no; Alipay is called after the transaction commits; the
 * answer completes it. An unknown answer leaves it UNKNOWN for the recovery job, which asks
 * alipay.trade.fastpay.refund.query and, when Alipay has no record of it, sends it again with the same
 * out_request_no, which Alipay applies at most once (https://opendocs.alipay.com/mini/03l8bz, out_request_no).
 */

export interface RefundRequest {
  orderId: string;
  amountFen: number;
  reason: string;
  actor: { type: Extract<ActorType, 'admin' | 'system'>; id?: string | null };
  /**
   * An idempotency key from the caller (e.g. an Idempotency-Key header): the same key on the same order returns the
   * first refund instead of making a second one. Without it every call is a new refund.
   */
  requestKey?: string | undefined;
}

function exceeds(details: Record<string, number>): AppError {
  return new AppError('REFUND_EXCEEDS_PAID', 'The refund is more than what is left to refund on this order', {
    details,
  });
}

/**
 * Refunds `amountFen` of a paid, shipped or completed order. Returns the refund: SUCCEEDED, FAILED (Alipay refused;
 * the amount is free again), or PENDING / UNKNOWN when Alipay's answer did not arrive (the recovery job finishes it).
 * Over-refunding is 422 REFUND_EXCEEDS_PAID; an order that took no money is 409 ORDER_STATE_CONFLICT.
 */
export async function requestRefund(deps: PaymentDeps, input: RefundRequest): Promise<RefundView> {
  const { amountFen } = input;
  if (!Number.isSafeInteger(amountFen) || amountFen < 1 || amountFen > MAX_REFUND_FEN) {
    throw new AppError('VALIDATION_ERROR', 'amountFen must be a whole number of fen, at least 1', {
      details: { fields: [{ path: 'amountFen', message: 'must be an integer from 1' }] },
    });
  }
  const reason = input.reason.trim().slice(0, 256) || 'refund';
  const refundId = await sql(deps.db).transaction(async (tx) => {
    const order = await tx.get<{
      id: string;
      status: OrderStatus;
      totalFen: number;
      refundedFen: number;
      refundPendingFen: number;
    }>(
      'SELECT "id", "status", "totalFen", "refundedFen", "refundPendingFen" FROM "Order" WHERE "id" = ?',
      input.orderId,
    );
    if (!order) throw notFound('Order');
    const payment = await findPayment(tx, { orderId: order.id });
    const keyedNo =
      input.requestKey && payment ? keyedRefundRequestNo(payment.outTradeNo, input.requestKey) : undefined;
    if (keyedNo) {
      const first = await findRefund(tx, { outRequestNo: keyedNo });
      if (first) {
        if (first.orderId !== order.id || first.amountFen !== amountFen) {
          throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This request key was used for a different refund');
        }
        return first.id;
      }
    }
    if (order.status === 'REFUNDED') {
      throw exceeds({ requestedFen: amountFen, refundableFen: 0, refundedFen: order.refundedFen });
    }
    if (!payment || payment.status !== 'PAID' || !REFUNDABLE_STATUSES.includes(order.status)) {
      throw new AppError(
        'ORDER_STATE_CONFLICT',
        `An order that is ${order.status} has no payment to refund`,
        {
          details: { status: order.status },
        },
      );
    }
    if (!(await reserveRefund(tx, order.id, amountFen, REFUNDABLE_STATUSES))) {
      const fresh = await tx.get<typeof order>(
        'SELECT "id", "status", "totalFen", "refundedFen", "refundPendingFen" FROM "Order" WHERE "id" = ?',
        order.id,
      );
      if (!fresh || !REFUNDABLE_STATUSES.includes(fresh.status)) {
        throw new AppError('ORDER_STATE_CONFLICT', `The order is ${fresh?.status ?? 'gone'}`, {
          details: { status: fresh?.status ?? null },
        });
      }
      throw exceeds({
        requestedFen: amountFen,
        refundableFen: fresh.totalFen - fresh.refundedFen - fresh.refundPendingFen,
        refundedFen: fresh.refundedFen,
        refundPendingFen: fresh.refundPendingFen,
      });
    }
    const sequence = await tx.get<{ n: number | string }>(
      `SELECT count(*) AS "n" FROM "Refund" WHERE "orderId" = ? AND "kind" = 'MERCHANT'`,
      order.id,
    );
    const refund = await insertRefund(tx, {
      orderId: order.id,
      paymentId: payment.id,
      outRequestNo: keyedNo ?? merchantRefundRequestNo(payment.outTradeNo, Number(sequence?.n ?? 0) + 1),
      amountFen,
      reason,
      kind: 'MERCHANT',
      requestedById: input.actor.id ?? null,
      // If this process dies before Alipay answers, the recovery job picks the refund up from here.
      nextQueryAt: later(deps.env.REFUND_RETRY_DELAY_MS),
    });
    if (!refund) {
      // Two requests numbering a refund of this order at the same instant (in two processes): the unique
      // out_request_no stopped the second, and rolling back frees its reservation.
      throw new AppError(
        'CONFLICT',
        'Another refund of this order was requested at the same moment; try again',
      );
    }
    await recordOrderEvent(tx, order.id, {
      type: 'REFUND_REQUESTED',
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      reason,
      data: { refundId: refund.id, outRequestNo: refund.outRequestNo, amountFen },
    });
    return refund.id;
  });
  return refundView(await executeRefund(deps, refundId));
}

/**
 * Sends a pending or unknown refund to Alipay (again) with its own out_request_no, records the call, and settles the
 * refund by the answer. Safe to call any number of times, from any process: Alipay refunds an out_request_no once,
 * and every state change here is guarded. Returns the refund as it stands afterwards.
 */
export async function executeRefund(deps: PaymentDeps, refundId: string): Promise<Refund> {
  const { refund, payment } = await sql(deps.db).read(async (q) => {
    const found = await findRefund(q, { id: refundId });
    if (!found) throw new Error(`refund ${refundId} does not exist`);
    return { refund: found, payment: await findPayment(q, { id: found.paymentId }) };
  });
  if (!OPEN_REFUND_STATUSES.includes(refund.status)) return refund;
  if (!payment) throw new Error(`refund ${refundId} has no payment`);
  const outcome = await callGateway(
    deps.db,
    { orderId: refund.orderId, refundId: refund.id, purpose: 'refund', method: 'alipay.trade.refund' },
    () =>
      deps.alipay.tradeRefund({
        outTradeNo: payment.outTradeNo,
        ...(payment.tradeNo ? { tradeNo: payment.tradeNo } : {}),
        refundFen: refund.amountFen,
        outRequestNo: refund.outRequestNo,
        refundReason: refund.reason,
      }),
    (result) => ({
      outRequestNo: refund.outRequestNo,
      refundFeeFen: result.refundFeeFen,
      fundChange: result.fundChange,
    }),
  );
  await settleRefundCall(deps, refund, outcome);
  const after = await sql(deps.db).read((q) => findRefund(q, { id: refund.id }));
  if (!after) throw new Error(`refund ${refund.id} disappeared`);
  return after;
}

async function settleRefundCall(
  deps: PaymentDeps,
  refund: Refund,
  outcome: GatewayOutcome<unknown>,
): Promise<void> {
  if (outcome.ok) {
    await sql(deps.db).transaction((tx) => completeRefund(tx, refund, 'refund'));
    return;
  }
  const failure = { code: outcome.error.name, message: outcome.error.message.slice(0, 500) };
  if ('subCode' in outcome.error && typeof outcome.error.subCode === 'string') {
    failure.code = outcome.error.subCode;
  }
  if (outcome.unknown) {
    await sql(deps.db).transaction((tx) =>
      markRefundUnknown(tx, refund, {
        nextQueryAt: later(deps.env.REFUND_RETRY_DELAY_MS),
        error: failure.message,
      }),
    );
    return;
  }
  // A definite no. A request that never left (connection refused) and an automatic refund (the buyer's money must
  // go back whatever Alipay says today) stay open and are sent again by the recovery job; a merchant refund fails,
  // which frees its amount for another attempt.
  if (outcome.error instanceof AlipayConnectionError || refund.kind === 'AUTO_PAID_AFTER_CLOSE') {
    await sql(deps.db).transaction((tx) => noteRefundFailure(tx, refund.id, failure));
    return;
  }
  await sql(deps.db).transaction((tx) => failRefund(tx, refund, failure));
}

/** Runs executeRefund and keeps any failure in the log: the refund stays open for the recovery job either way. */
export async function executeRefundQuietly(deps: PaymentDeps, refundId: string): Promise<void> {
  try {
    await executeRefund(deps, refundId);
  } catch (error) {
    deps.logger.error({ err: error, refundId }, 'refund call failed; the recovery job will retry it');
  }
}

export type RefundResolution = 'succeeded' | 'failed' | 'sent-again' | 'unresolved';

/**
 * The recovery job's step for one open refund: ask Alipay (alipay.trade.fastpay.refund.query). REFUND_SUCCESS
 * completes it; no finished refund under this number means the first call never took effect, so it is sent again
 * with the same out_request_no; a failed query leaves it for the next pass.
 */
export async function resolveRefund(
  deps: PaymentDeps,
  refund: Refund,
  payment: Payment,
): Promise<RefundResolution> {
  const outcome = await callGateway(
    deps.db,
    {
      orderId: refund.orderId,
      refundId: refund.id,
      purpose: 'refund-query',
      method: 'alipay.trade.fastpay.refund.query',
    },
    () =>
      deps.alipay.refundQuery({
        outTradeNo: payment.outTradeNo,
        ...(payment.tradeNo ? { tradeNo: payment.tradeNo } : {}),
        outRequestNo: refund.outRequestNo,
      }),
    (result) => ({
      outRequestNo: refund.outRequestNo,
      refundStatus: result.refundStatus ?? null,
      refundFen: result.refundFen ?? null,
    }),
  );
  if (!outcome.ok) return 'unresolved';
  if (outcome.value.refundStatus === 'REFUND_SUCCESS') {
    const changed = await sql(deps.db).transaction((tx) => completeRefund(tx, refund, 'refund-query'));
    return changed ? 'succeeded' : 'unresolved';
  }
  const after = await executeRefund(deps, refund.id);
  if (after.status === 'SUCCEEDED') return 'succeeded';
  if (after.status === 'FAILED') return 'failed';
  return 'sent-again';
}
