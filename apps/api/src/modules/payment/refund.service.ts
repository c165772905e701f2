import { AlipayConnectionError } from '@shop/alipay';
import { MAX_REFUND_FEN, type RefundView } from '@shop/contract';
import { Prisma, type Payment, type Refund } from '@shop/db';
import { inTransaction } from '../../db';
import { AppError, notFound } from '../../http/errors';
import { REFUNDABLE_STATUSES } from '../order/state';
import { recordOrderEvent, type ActorType } from '../order/transition';
import { callGateway, type GatewayOutcome } from './gateway-log';
import { keyedRefundRequestNo, later, merchantRefundRequestNo, type PaymentDeps } from './settings';
import { completeRefund, failRefund, reserveRefund } from './settle';
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

const OPEN_REFUND_STATUSES = ['PENDING', 'UNKNOWN'] as const;

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
  let refundId: string;
  try {
    refundId = await inTransaction(deps.db, async (tx) => {
      const order = await tx.order.findUnique({ where: { id: input.orderId }, include: { payment: true } });
      if (!order) throw notFound('Order');
      const payment = order.payment;
      const keyedNo =
        input.requestKey && payment ? keyedRefundRequestNo(payment.outTradeNo, input.requestKey) : undefined;
      if (keyedNo) {
        const first = await tx.refund.findUnique({ where: { outRequestNo: keyedNo } });
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
        const fresh = await tx.order.findUniqueOrThrow({ where: { id: order.id } });
        if (!REFUNDABLE_STATUSES.includes(fresh.status)) {
          throw new AppError('ORDER_STATE_CONFLICT', `The order is ${fresh.status}`, {
            details: { status: fresh.status },
          });
        }
        throw exceeds({
          requestedFen: amountFen,
          refundableFen: fresh.totalFen - fresh.refundedFen - fresh.refundPendingFen,
          refundedFen: fresh.refundedFen,
          refundPendingFen: fresh.refundPendingFen,
        });
      }
      const sequence = (await tx.refund.count({ where: { orderId: order.id, kind: 'MERCHANT' } })) + 1;
      const refund = await tx.refund.create({
        data: {
          orderId: order.id,
          paymentId: payment.id,
          outRequestNo: keyedNo ?? merchantRefundRequestNo(payment.outTradeNo, sequence),
          amountFen,
          reason,
          kind: 'MERCHANT',
          status: 'PENDING',
          requestedById: input.actor.id ?? null,
          // If this process dies before Alipay answers, the recovery job picks the refund up from here.
          nextQueryAt: later(deps.env.REFUND_RETRY_DELAY_MS),
        },
      });
      await recordOrderEvent(tx, order.id, {
        type: 'REFUND_REQUESTED',
        actorType: input.actor.type,
        actorId: input.actor.id ?? null,
        reason,
        data: { refundId: refund.id, outRequestNo: refund.outRequestNo, amountFen },
      });
      return refund.id;
    });
  } catch (error) {
    // Two processes numbering a refund at the same instant: the unique out_request_no stops the second one.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError(
        'CONFLICT',
        'Another refund of this order was requested at the same moment; try again',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  return refundView(await executeRefund(deps, refundId));
}

/**
 * Sends a pending or unknown refund to Alipay (again) with its own out_request_no, records the call, and settles the
 * refund by the answer. Safe to call any number of times, from any process: Alipay refunds an out_request_no once,
 * and every state change here is guarded. Returns the refund as it stands afterwards.
 */
export async function executeRefund(deps: PaymentDeps, refundId: string): Promise<Refund> {
  const refund = await deps.db.refund.findUniqueOrThrow({
    where: { id: refundId },
    include: { payment: true },
  });
  if (!(OPEN_REFUND_STATUSES as readonly string[]).includes(refund.status)) return refund;
  const { payment } = refund;
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
  return deps.db.refund.findUniqueOrThrow({ where: { id: refund.id } });
}

async function settleRefundCall(
  deps: PaymentDeps,
  refund: Refund,
  outcome: GatewayOutcome<unknown>,
): Promise<void> {
  if (outcome.ok) {
    await inTransaction(deps.db, (tx) => completeRefund(tx, refund, 'refund'));
    return;
  }
  const failure = { code: outcome.error.name, message: outcome.error.message.slice(0, 500) };
  if ('subCode' in outcome.error && typeof outcome.error.subCode === 'string') {
    failure.code = outcome.error.subCode;
  }
  if (outcome.unknown) {
    await inTransaction(deps.db, async (tx) => {
      const { count } = await tx.refund.updateMany({
        where: { id: refund.id, status: 'PENDING' },
        data: { status: 'UNKNOWN', nextQueryAt: later(deps.env.REFUND_RETRY_DELAY_MS) },
      });
      if (count === 1) {
        await recordOrderEvent(tx, refund.orderId, {
          type: 'REFUND_OUTCOME_UNKNOWN',
          actorType: 'system',
          reason: 'Alipay did not answer the refund; it will be queried and, if absent, sent again',
          data: { refundId: refund.id, outRequestNo: refund.outRequestNo, error: failure.message },
        });
      }
    });
    return;
  }
  // A definite no. A request that never left (connection refused) and an automatic refund (the buyer's money must
  // go back whatever Alipay says today) stay open and are sent again by the recovery job; a merchant refund fails,
  // which frees its amount for another attempt.
  if (outcome.error instanceof AlipayConnectionError || refund.kind === 'AUTO_PAID_AFTER_CLOSE') {
    await deps.db.refund.updateMany({
      where: { id: refund.id, status: { in: [...OPEN_REFUND_STATUSES] } },
      data: { failureCode: failure.code, failureMessage: failure.message },
    });
    return;
  }
  await inTransaction(deps.db, (tx) => failRefund(tx, refund, failure));
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
  refund: Refund & { payment: Payment },
): Promise<RefundResolution> {
  const { payment } = refund;
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
    const changed = await inTransaction(deps.db, (tx) => completeRefund(tx, refund, 'refund-query'));
    return changed ? 'succeeded' : 'unresolved';
  }
  const after = await executeRefund(deps, refund.id);
  if (after.status === 'SUCCEEDED') return 'succeeded';
  if (after.status === 'FAILED') return 'failed';
  return 'sent-again';
}
