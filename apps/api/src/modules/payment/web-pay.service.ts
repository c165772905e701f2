import { AlipayReturnError, AlipayUnknownCertificateError } from '@shop/alipay';
import type {
  PaymentQrResponse,
  PaymentWapBody,
  PaymentWapResponse,
  WapReturnResponse,
} from '@shop/contract';
import { sql } from '../../db';
import { AppError, notFound } from '../../errors';
import { useMethod } from './attempt.service';
import { callGateway, hasSubCode } from './gateway-log';
import { findPayment, queryPaymentBy, recordQrCode, type PaymentMethod } from './payment.store';
import { gatewayFailure, settleAndExplain, writeIntent, type PaymentStart } from './payment.service';
import type { PaymentDeps } from './settings';
import { applyTradeState, queryTrade } from './trade-sync';

/*
 * Paying outside the mini-program (DESIGN.md, "Ways to pay"; ALIPAY.md, "Paying outside the mini-program"):
 * mobile web payment for a phone browser, a QR code for a desktop browser or the merchant's counter. Both write the
 * same payment intent as trade.create and end in the same notify pipeline, recovery, expiry, refunds and
 * reconciliation: only the hand-over differs.
 */

export const WAP_PAY: PaymentMethod = { method: 'alipay.trade.wap.pay', productCode: 'QUICK_WAP_WAY' };
export const PRECREATE: PaymentMethod = {
  method: 'alipay.trade.precreate',
  productCode: 'FACE_TO_FACE_PAYMENT',
};

/**
 * return_url and quit_url must lead back to one of the shop's own origins (CORS_ORIGINS): the API signs them into
 * a request the gateway follows, so an arbitrary URL would make the shop an open redirect with Alipay's name on it.
 */
function assertShopUrl(url: string, field: string, allowedOrigins: readonly string[]): void {
  const origin = new URL(url).origin;
  if (!allowedOrigins.includes(origin)) {
    throw new AppError('VALIDATION_ERROR', 'The return address must be on the shop’s own site', {
      details: { fields: [{ path: ['body', field], message: `origin ${origin} is not one of the shop's` }] },
    });
  }
}

/**
 * alipay.trade.wap.pay for the shopper's pending order: the signed request for the browser to take to the gateway.
 * Nothing is sent to Alipay from here; the trade comes into being when the shopper pays on the cashier.
 */
export async function createWapPayment(
  deps: PaymentDeps,
  input: PaymentStart & { userId: string } & PaymentWapBody,
): Promise<PaymentWapResponse> {
  assertShopUrl(input.returnUrl, 'returnUrl', deps.env.CORS_ORIGINS);
  if (new URL(input.returnUrl).search !== '') {
    // Alipay adds its own signed parameters to return_url and allows none of the merchant's there.
    throw new AppError('VALIDATION_ERROR', 'The return address must not carry a query', {
      details: { fields: [{ path: ['body', 'returnUrl'], message: 'must not have a query string' }] },
    });
  }
  assertShopUrl(input.quitUrl, 'quitUrl', deps.env.CORS_ORIGINS);
  const intent = await writeIntent(deps, input, WAP_PAY);
  const payment = await useMethod(deps, intent, WAP_PAY);
  const page = deps.alipay.wapPay({
    outTradeNo: payment.outTradeNo,
    totalFen: payment.amountFen,
    subject: intent.order.subject,
    returnUrl: input.returnUrl,
    quitUrl: input.quitUrl,
    timeExpire: intent.order.expiresAt,
    productCode: WAP_PAY.productCode,
  });
  return {
    outTradeNo: payment.outTradeNo,
    method: 'alipay.trade.wap.pay',
    productCode: payment.productCode,
    url: page.url,
  };
}

function returnRefused(reason: string): AppError {
  return new AppError('PAYMENT_RETURN_INVALID', 'The payment result could not be verified', {
    details: { reason },
  });
}

/**
 * The query the browser came back with on return_url: verified like a notify (Alipay's key, or the certificate it
 * names), for this app, for a payment of the shopper's own order, with its amount. A hint only: a verified return
 * makes the API ask alipay.trade.query now, and the answer (or the notify) is what moves the order.
 */
export async function verifyWapReturn(
  deps: PaymentDeps,
  input: { userId: string; params: Record<string, string> },
): Promise<WapReturnResponse> {
  let wapReturn;
  try {
    wapReturn = deps.alipay.verifyWapReturn(input.params);
  } catch (error) {
    if (error instanceof AlipayReturnError || error instanceof AlipayUnknownCertificateError) {
      throw returnRefused(error.message);
    }
    // A sign that is not base64, or of the wrong length, is no valid signature either.
    if (error instanceof Error && !(error instanceof TypeError)) throw returnRefused(error.message);
    throw error;
  }
  const found = await sql(deps.db).transaction(async (tx) => {
    const payment = await findPayment(tx, { outTradeNo: wapReturn.outTradeNo });
    if (!payment) return null;
    const owner = await tx.get<{ userId: string }>(
      'SELECT "userId" FROM "Order" WHERE "id" = ?',
      payment.orderId,
    );
    if (owner?.userId !== input.userId) return null;
    if (payment.amountFen !== wapReturn.totalFen) return { payment, mismatch: true };
    await queryPaymentBy(tx, payment.id, new Date());
    return { payment, mismatch: false };
  });
  if (!found) throw notFound('Order');
  if (found.mismatch) throw returnRefused('the amount differs from the order');
  const { payment } = found;
  if (payment.status === 'CREATED' || payment.status === 'OPEN') {
    const query = await queryTrade(deps, payment);
    if (query.ok) await applyTradeState(deps, payment, query.value, 'query');
  }
  const order = await deps.db.order.findUniqueOrThrow({
    where: { id: payment.orderId },
    select: { status: true },
  });
  return {
    orderId: payment.orderId,
    outTradeNo: wapReturn.outTradeNo,
    tradeNo: wapReturn.tradeNo,
    totalFen: wapReturn.totalFen,
    orderStatus: order.status,
  };
}

/** A code is renewed this long before its shown expiry, so a shopper never scans one that is about to go. */
const QR_RENEW_MARGIN_MS = 1_000;

/**
 * alipay.trade.precreate for a pending order: the QR code to show, and when the shop stops showing it
 * (QR_CODE_TTL_MS, never past the order's expiry). Asking again while it is shown gives the same code; after, the
 * unscanned code is closed at Alipay and a new one made under the next out_trade_no. The trade's own time_expire is
 * the order's expiry, as for every method, so the expiry job closes it with the order. `userId` limits it to the
 * shopper's own order; without it (the admin's collection QR) any pending order.
 */
export async function createQrPayment(deps: PaymentDeps, input: PaymentStart): Promise<PaymentQrResponse> {
  const intent = await writeIntent(deps, input, PRECREATE);
  const now = Date.now();
  const shown = intent.payment;
  const stale =
    shown.method === PRECREATE.method &&
    shown.qrCode !== null &&
    (shown.qrExpiresAt === null || shown.qrExpiresAt.getTime() - QR_RENEW_MARGIN_MS <= now);
  const payment = await useMethod(deps, intent, PRECREATE, { renew: stale });
  if (payment.qrCode && payment.qrExpiresAt && payment.qrExpiresAt.getTime() - QR_RENEW_MARGIN_MS > now) {
    return qrResponse(payment.outTradeNo, payment.productCode, payment.qrCode, payment.qrExpiresAt);
  }
  const { order } = intent;
  const outcome = await callGateway(
    deps.db,
    { orderId: order.id, purpose: 'create', method: PRECREATE.method },
    () =>
      deps.alipay.tradePrecreate({
        outTradeNo: payment.outTradeNo,
        totalFen: payment.amountFen,
        subject: order.subject,
        timeExpire: order.expiresAt,
        productCode: PRECREATE.productCode,
      }),
    (result) => ({ outTradeNo: result.outTradeNo, qrCode: result.qrCode }),
  );
  if (!outcome.ok) {
    if (hasSubCode(outcome, 'ACQ.TRADE_HAS_SUCCESS', 'ACQ.TRADE_HAS_CLOSE')) {
      throw await settleAndExplain(deps, payment);
    }
    throw gatewayFailure(outcome.error, outcome.unknown);
  }
  const expiresAt = new Date(Math.min(now + deps.env.QR_CODE_TTL_MS, order.expiresAt.getTime()));
  const recorded = await sql(deps.db).transaction((tx) =>
    recordQrCode(tx, payment, { qrCode: outcome.value.qrCode, expiresAt }),
  );
  if (!recorded) {
    throw new AppError('PAYMENT_OUTCOME_UNKNOWN', 'The payment changed meanwhile; try again', {
      details: { retryable: true },
    });
  }
  return qrResponse(payment.outTradeNo, payment.productCode, outcome.value.qrCode, expiresAt);
}

function qrResponse(
  outTradeNo: string,
  productCode: string,
  qrCode: string,
  expiresAt: Date,
): PaymentQrResponse {
  return {
    outTradeNo,
    method: 'alipay.trade.precreate',
    productCode,
    qrCode,
    expiresAt: expiresAt.toISOString(),
  };
}
