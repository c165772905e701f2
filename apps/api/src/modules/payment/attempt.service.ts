import type { Payment } from '@shop/db';
import { sql } from '../../db';
import { AppError } from '../../errors';
import { recordOrderEvent } from '../order/transition';
import { hasSubCode } from './gateway-log';
import { findPayment, renewPaymentAttempt, type PaymentMethod } from './payment.store';
import { conflictFor, gatewayFailure, type OrderToPay } from './payment.service';
import { later, type PaymentDeps } from './settings';
import { applyTradeState, closeTradeAtAlipay, queryTrade } from './trade-sync';

/*
 * One order, one Payment row, one out_trade_no at a time. Alipay binds an out_trade_no to the method that first used
 * it (the same number with another method or content is ACQ.CONTEXT_INCONSISTENT), and a closed number cannot be
 * used again (ACQ.TRADE_HAS_CLOSE). So paying another way, or showing a new QR code, retires the current number
 * first, and only while Alipay has no trade for it: a QR code nobody scanned, a mobile payment never confirmed, a
 * create that never reached Alipay. Those are closed at Alipay (alipay.trade.close by out_trade_no), so nothing can
 * be paid under them any more, and the payment moves to the next number (`<orderNo>_2`, `_3`, ...). A number with a
 * trade (the buyer scanned, or trade.create opened it) is never retired: the buyer finishes that payment, or the
 * order expires and the expiry job closes it. Nor is a mobile web payment's: its signed request lives in the
 * shopper's browser and reaches Alipay whenever it is opened, until time_expire, so there may be nothing to close
 * yet and a close now would not stop a payment later.
 */

/** The out_trade_no after `current`: the order number, then `<orderNo>_2`, `<orderNo>_3` ... */
export function nextOutTradeNo(orderNo: string, current: string): string {
  const match = current === orderNo ? null : /_(\d+)$/.exec(current);
  const attempt = match ? Number(match[1]) + 1 : 2;
  return `${orderNo}_${attempt}`;
}

function methodConflict(payment: Payment, message: string, tradeNo: string | null): AppError {
  return new AppError('PAYMENT_METHOD_CONFLICT', message, {
    details: { method: payment.method, productCode: payment.productCode, tradeNo },
  });
}

/** After Alipay's answer showed the order paid or closed: the order's own refusal. */
async function explain(deps: PaymentDeps, orderId: string): Promise<AppError> {
  const order = await deps.db.order.findUniqueOrThrow({ where: { id: orderId } });
  return (
    conflictFor(order, new Date()) ??
    new AppError('ORDER_STATE_CONFLICT', 'This order is no longer waiting for payment', {
      details: { status: order.status },
    })
  );
}

/**
 * Retires the payment's out_trade_no (see above) and moves it to the next one with `how`. Throws 409
 * PAYMENT_METHOD_CONFLICT when a trade exists for the current number, ALREADY_PAID / ORDER_* when Alipay's answer
 * settled the order, and the gateway errors when Alipay cannot say.
 */
async function retire(
  deps: PaymentDeps,
  order: OrderToPay,
  payment: Payment,
  how: PaymentMethod,
): Promise<Payment> {
  if (payment.status !== 'CREATED' || payment.tradeNo) {
    throw methodConflict(payment, 'This order is being paid in Alipay; finish that payment', payment.tradeNo);
  }
  if (payment.method === 'alipay.trade.wap.pay') {
    throw methodConflict(payment, 'This order is being paid in a phone browser; finish that payment', null);
  }
  const query = await queryTrade(deps, payment);
  if (query.ok) {
    const sync = await applyTradeState(deps, payment, query.value, 'query');
    if (sync === 'open') {
      throw methodConflict(
        payment,
        'The buyer has opened this payment in Alipay; finish it there',
        query.value.tradeNo,
      );
    }
    if (sync === 'mismatch') {
      throw new AppError('PAYMENT_OUTCOME_UNKNOWN', 'The payment state is being checked with Alipay', {
        details: { retryable: true },
      });
    }
    throw await explain(deps, order.id);
  }
  if (!hasSubCode(query, 'ACQ.TRADE_NOT_EXIST')) throw gatewayFailure(query.error, query.unknown);

  const close = await closeTradeAtAlipay(deps, payment);
  if (!close.ok && !hasSubCode(close, 'ACQ.TRADE_NOT_EXIST')) {
    // Closable no more: a buyer scanned (and maybe paid) between the query and the close. Ask again and settle.
    const again = await queryTrade(deps, payment);
    if (again.ok) await applyTradeState(deps, payment, again.value, 'query');
    throw close.unknown ? gatewayFailure(close.error, true) : await explain(deps, order.id);
  }

  const next = nextOutTradeNo(order.orderNo, payment.outTradeNo);
  return sql(deps.db).transaction(async (tx) => {
    const renewed = await renewPaymentAttempt(tx, payment, {
      ...how,
      outTradeNo: next,
      nextQueryAt: later(deps.env.PAYMENT_QUERY_DELAY_MS),
    });
    const current = await findPayment(tx, { id: payment.id });
    if (!current) throw new Error(`payment ${payment.id} disappeared`);
    if (renewed) {
      await recordOrderEvent(tx, order.id, {
        type: 'PAYMENT_STARTED',
        actorType: 'system',
        data: {
          outTradeNo: next,
          replaces: payment.outTradeNo,
          amountFen: current.amountFen,
          method: how.method,
          productCode: how.productCode,
        },
      });
    }
    return current;
  });
}

/**
 * The payment to use for `how`: the current one when it already uses that method (and no `renew` is asked), else a
 * new attempt after retiring the current number. A paid payment is 409 ALREADY_PAID.
 */
export async function useMethod(
  deps: PaymentDeps,
  intent: { order: OrderToPay; payment: Payment },
  how: PaymentMethod,
  options: { renew?: boolean } = {},
): Promise<Payment> {
  const { order, payment } = intent;
  if (payment.status === 'PAID') {
    throw new AppError('ALREADY_PAID', 'This order is already paid', { details: { status: order.status } });
  }
  if (payment.status === 'CLOSED') throw await explain(deps, order.id);
  const same = payment.method === how.method && payment.productCode === how.productCode;
  if (same && !options.renew) return payment;
  const current = await retire(deps, order, payment, how);
  if (current.method !== how.method || current.productCode !== how.productCode) {
    // Another request renewed it first, for another method: let the client try again.
    throw new AppError('PAYMENT_OUTCOME_UNKNOWN', 'The payment changed meanwhile; try again', {
      details: { retryable: true },
    });
  }
  return current;
}
