import { AlipayApiError, AlipayConnectionError, type TradeBuyer } from '@shop/alipay';
import type { PaymentCreateResponse } from '@shop/contract';
import { Prisma, type Order, type Payment, type User } from '@shop/db';
import { inTransaction } from '../../db';
import type { Env } from '../../env';
import { AppError, notFound } from '../../http/errors';
import { recordOrderEvent } from '../order/transition';
import { callGateway, hasSubCode } from './gateway-log';
import { CLOSE_REASON, later, type PaymentDeps } from './settings';
import { applyTradeState, queryTrade } from './trade-sync';

/**
 * Starting a payment: alipay.trade.create for a pending order (https://opendocs.alipay.com/mini/03l5wn). The intent
 * (Payment CREATED, out_trade_no = orderNo) is written first, Alipay is called outside any transaction, and the
 * answer is recorded after. A retry sends the same create again: Alipay answers a repeated out_trade_no with the same
 * content with the same trade, so the client can retry an unknown outcome as often as it likes.
 */

/**
 * An order this close to its expiry is not offered for payment: time_expire has whole-second precision, and a trade
 * created for an instant already past would be refused by Alipay anyway.
 */
const MIN_PAYABLE_MS = 2_000;

export interface PaymentStart {
  userId: string;
  orderId: string;
}

function conflictFor(order: Pick<Order, 'status' | 'closeReason' | 'expiresAt'>, now: Date): AppError | null {
  switch (order.status) {
    case 'PENDING_PAYMENT':
      return order.expiresAt.getTime() - now.getTime() < MIN_PAYABLE_MS
        ? new AppError('ORDER_EXPIRED', 'This order has expired; place it again')
        : null;
    case 'PAID':
    case 'SHIPPED':
    case 'COMPLETED':
    case 'REFUNDED':
      return new AppError('ALREADY_PAID', 'This order is already paid', {
        details: { status: order.status },
      });
    case 'CLOSED':
      return order.closeReason === CLOSE_REASON.expired
        ? new AppError('ORDER_EXPIRED', 'This order has expired; place it again')
        : new AppError('ORDER_STATE_CONFLICT', 'This order is closed', { details: { status: order.status } });
  }
}

/** buyer_id in user-id mode, buyer_open_id in open-id mode; whichever the user has when the preferred one is absent. */
export function tradeBuyer(
  user: Pick<User, 'alipayUserId' | 'alipayOpenId'>,
  mode: Env['ALIPAY_ID_MODE'],
): TradeBuyer {
  if (mode === 'open_id' && user.alipayOpenId) return { buyerOpenId: user.alipayOpenId };
  if (user.alipayUserId) return { buyerId: user.alipayUserId };
  if (user.alipayOpenId) return { buyerOpenId: user.alipayOpenId };
  throw new Error('the user has no Alipay identity to pay with');
}

/** Writes (or finds) the payment intent, refusing orders that cannot be paid. */
async function writeIntent(deps: PaymentDeps, order: Order, userId: string): Promise<Payment> {
  try {
    return await inTransaction(deps.db, async (tx) => {
      const current = await tx.order.findUniqueOrThrow({ where: { id: order.id } });
      const conflict = conflictFor(current, new Date());
      if (conflict) throw conflict;
      const existing = await tx.payment.findUnique({ where: { orderId: order.id } });
      if (existing) return existing;
      const payment = await tx.payment.create({
        data: {
          orderId: order.id,
          outTradeNo: order.orderNo,
          amountFen: order.totalFen,
          status: 'CREATED',
          // Should the create's answer be lost (or this process die), the recovery job asks Alipay from here.
          nextQueryAt: later(deps.env.PAYMENT_QUERY_DELAY_MS),
        },
      });
      await recordOrderEvent(tx, order.id, {
        type: 'PAYMENT_STARTED',
        actorType: 'user',
        actorId: userId,
        data: { outTradeNo: payment.outTradeNo, amountFen: payment.amountFen },
      });
      return payment;
    });
  } catch (error) {
    // Another request (or process) wrote the intent first: use it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return deps.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    }
    throw error;
  }
}

/** After Alipay said the trade is paid or closed: bring our records in line, then explain the refusal. */
async function settleAndExplain(deps: PaymentDeps, payment: Payment): Promise<AppError> {
  const query = await queryTrade(deps, payment);
  if (query.ok) await applyTradeState(deps, payment, query.value, 'query');
  const order = await deps.db.order.findUniqueOrThrow({ where: { id: payment.orderId } });
  return (
    conflictFor(order, new Date()) ??
    new AppError(
      'PAYMENT_OUTCOME_UNKNOWN',
      'The payment state is being checked with Alipay; try again shortly',
      {
        details: { retryable: true },
      },
    )
  );
}

/**
 * Creates (or re-creates, idempotently) the Alipay trade of the user's pending order and returns its trade_no.
 * Another user's order is 404. Errors: 409 ALREADY_PAID / ORDER_STATE_CONFLICT / ORDER_EXPIRED; 503
 * PAYMENT_OUTCOME_UNKNOWN (retry: the same create is sent again); 503 PAYMENT_GATEWAY_UNAVAILABLE (Alipay could not
 * be reached); 502 PAYMENT_GATEWAY_ERROR (Alipay refused, with its sub code in details).
 */
export async function createPayment(deps: PaymentDeps, input: PaymentStart): Promise<PaymentCreateResponse> {
  const order = await deps.db.order.findFirst({
    where: { id: input.orderId, userId: input.userId },
    include: { user: { select: { alipayUserId: true, alipayOpenId: true } } },
  });
  if (!order) throw notFound('Order');
  const conflict = conflictFor(order, new Date());
  if (conflict) throw conflict;
  const payment = await writeIntent(deps, order, input.userId);
  if (payment.status === 'PAID') {
    throw new AppError('ALREADY_PAID', 'This order is already paid', { details: { status: order.status } });
  }
  const buyer = tradeBuyer(order.user, deps.env.ALIPAY_ID_MODE);

  const outcome = await callGateway(
    deps.db,
    { orderId: order.id, purpose: 'create', method: 'alipay.trade.create' },
    () =>
      deps.alipay.tradeCreate({
        ...buyer,
        outTradeNo: payment.outTradeNo,
        totalFen: payment.amountFen,
        subject: order.subject,
        timeExpire: order.expiresAt,
      }),
    (trade) => ({ tradeNo: trade.tradeNo, outTradeNo: trade.outTradeNo }),
  );

  if (outcome.ok) {
    const { tradeNo } = outcome.value;
    await inTransaction(deps.db, async (tx) => {
      const opened = await tx.payment.updateMany({
        where: { id: payment.id, status: 'CREATED' },
        data: {
          status: 'OPEN',
          tradeNo,
          buyerUserId: buyer.buyerId ?? null,
          buyerOpenId: buyer.buyerOpenId ?? null,
          nextQueryAt: later(deps.env.PAYMENT_QUERY_DELAY_MS),
        },
      });
      if (opened.count === 1) {
        await recordOrderEvent(tx, order.id, {
          type: 'PAYMENT_OPENED',
          actorType: 'system',
          data: { tradeNo, outTradeNo: payment.outTradeNo },
        });
      } else {
        // Opened already (a concurrent request, or the recovery job found the trade): only fill a missing number.
        await tx.payment.updateMany({ where: { id: payment.id, tradeNo: null }, data: { tradeNo } });
      }
    });
    return { tradeNo, outTradeNo: payment.outTradeNo };
  }

  const { error } = outcome;
  if (outcome.unknown) {
    throw new AppError(
      'PAYMENT_OUTCOME_UNKNOWN',
      'Alipay did not answer in time; try again (the same trade will be used)',
      {
        details: { retryable: true },
        cause: error,
      },
    );
  }
  if (hasSubCode(outcome, 'ACQ.TRADE_HAS_SUCCESS', 'ACQ.TRADE_HAS_CLOSE')) {
    throw await settleAndExplain(deps, payment);
  }
  if (error instanceof AlipayConnectionError) {
    throw new AppError('PAYMENT_GATEWAY_UNAVAILABLE', 'Alipay cannot be reached right now; try again', {
      details: { retryable: true },
      cause: error,
    });
  }
  const details =
    error instanceof AlipayApiError
      ? { code: error.code, subCode: error.subCode ?? null, subMsg: error.subMsg ?? null }
      : { code: error.name };
  throw new AppError('PAYMENT_GATEWAY_ERROR', 'Alipay refused to create the payment', {
    details,
    cause: error,
  });
}
