import { AlipayApiError, AlipayConnectionError, type AlipayError, type TradeBuyer } from '@shop/alipay';
import type { PaymentCreateResponse } from '@shop/contract';
import type { OrderStatus } from '@shop/contract';
import { readDate, type Order, type Payment, type User } from '@shop/db';
import { sql } from '../../db';
import type { Env } from '../../env';
import { AppError, notFound } from '../../errors';
import { recordOrderEvent } from '../order/transition';
import { callGatewayThen, hasSubCode } from './gateway-log';
import { useMethod } from './attempt.service';
import { learnTradeNo, openPayment, writePaymentIntent, type PaymentMethod } from './payment.store';
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
  /** The shopper paying their own order; absent when the merchant collects (the admin's collection QR). */
  userId?: string;
  orderId: string;
  /** Who started it, for the order's events. */
  actor?: { type: 'user' | 'admin'; id: string };
}

/** alipay.trade.create for my.tradePay inside the Alipay client (JSAPI_PAY unless ALIPAY_PRODUCT_CODE says so). */
export function tradeCreateMethod(env: Env): PaymentMethod {
  return { method: 'alipay.trade.create', productCode: env.ALIPAY_PRODUCT_CODE };
}

export function conflictFor(
  order: Pick<Order, 'status' | 'closeReason' | 'expiresAt'>,
  now: Date,
): AppError | null {
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

/** What paying needs of an order and its buyer, read in the transaction that writes the intent. */
export interface OrderToPay {
  id: string;
  orderNo: string;
  status: OrderStatus;
  subject: string;
  totalFen: number;
  expiresAt: Date;
  closeReason: string | null;
  alipayUserId: string | null;
  alipayOpenId: string | null;
}

/**
 * In one transaction: the shopper's own order (another user's is 404), the refusal of one that cannot be paid, and the
 * payment intent (written, or found when another request or process wrote it first) with its PAYMENT_STARTED event.
 */
export async function writeIntent(
  deps: PaymentDeps,
  input: PaymentStart,
  how: PaymentMethod,
): Promise<{ order: OrderToPay; payment: Payment }> {
  return sql(deps.db).transaction(async (tx) => {
    const row = await tx.get<Omit<OrderToPay, 'expiresAt'> & { expiresAt: string | Date }>(
      `SELECT o."id", o."orderNo", o."status", o."subject", o."totalFen", o."expiresAt", o."closeReason",
              u."alipayUserId", u."alipayOpenId"
       FROM "Order" o JOIN "User" u ON u."id" = o."userId"
       WHERE o."id" = ?${input.userId === undefined ? '' : ' AND o."userId" = ?'}`,
      ...(input.userId === undefined ? [input.orderId] : [input.orderId, input.userId]),
    );
    if (!row) throw notFound('Order');
    const order: OrderToPay = { ...row, expiresAt: readDate(row.expiresAt) };
    const conflict = conflictFor(order, new Date());
    if (conflict) throw conflict;
    const { payment, created } = await writePaymentIntent(
      tx,
      order,
      later(deps.env.PAYMENT_QUERY_DELAY_MS),
      how,
    );
    if (created) {
      await recordOrderEvent(tx, order.id, {
        type: 'PAYMENT_STARTED',
        actorType: input.actor?.type ?? 'user',
        actorId: input.actor?.id ?? input.userId ?? null,
        data: {
          outTradeNo: payment.outTradeNo,
          amountFen: payment.amountFen,
          method: how.method,
          productCode: how.productCode,
        },
      });
    }
    return { order, payment };
  });
}

/** After Alipay said the trade is paid or closed: bring our records in line, then explain the refusal. */
export async function settleAndExplain(deps: PaymentDeps, payment: Payment): Promise<AppError> {
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
  const how = tradeCreateMethod(deps.env);
  const intent = await writeIntent(deps, input, how);
  const { order } = intent;
  const payment = await useMethod(deps, intent, how);
  const buyer = tradeBuyer(order, deps.env.ALIPAY_ID_MODE);

  // The call's record and the payment's opening commit together.
  const outcome = await callGatewayThen(
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
    async (tx, { tradeNo }) => {
      const opened = await openPayment(tx, payment.id, {
        tradeNo,
        buyerUserId: buyer.buyerId ?? null,
        buyerOpenId: buyer.buyerOpenId ?? null,
        nextQueryAt: later(deps.env.PAYMENT_QUERY_DELAY_MS),
      });
      if (opened) {
        await recordOrderEvent(tx, order.id, {
          type: 'PAYMENT_OPENED',
          actorType: 'system',
          data: { tradeNo, outTradeNo: payment.outTradeNo },
        });
      } else {
        // Opened already (a concurrent request, or the recovery job found the trade): only fill a missing number.
        await learnTradeNo(tx, payment.id, tradeNo);
      }
      return tradeNo;
    },
  );

  if (outcome.ok) return { tradeNo: outcome.value, outTradeNo: payment.outTradeNo };

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

/** The errors of a gateway call that did not succeed, as the shop's create answers them (above). */
export function gatewayFailure(error: AlipayError, unknown: boolean): AppError {
  if (unknown) {
    return new AppError('PAYMENT_OUTCOME_UNKNOWN', 'Alipay did not answer in time; try again', {
      details: { retryable: true },
      cause: error,
    });
  }
  if (error instanceof AlipayConnectionError) {
    return new AppError('PAYMENT_GATEWAY_UNAVAILABLE', 'Alipay cannot be reached right now; try again', {
      details: { retryable: true },
      cause: error,
    });
  }
  const details =
    error instanceof AlipayApiError
      ? { code: error.code, subCode: error.subCode ?? null, subMsg: error.subMsg ?? null }
      : { code: error.name };
  return new AppError('PAYMENT_GATEWAY_ERROR', 'Alipay refused the payment request', {
    details,
    cause: error,
  });
}
