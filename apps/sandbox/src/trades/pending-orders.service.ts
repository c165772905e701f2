import { HOUR_MS } from '../clock';
import type { Deps } from '../deps';
import { BusinessError } from '../errors';
import { newPendingOrderId, newQrCodeToken } from '../ids';
import type { PendingOrder, PendingOrderKind, Trade } from '../store/types';
import { resolveTimeout } from './expiry-rules';
import { createTrade, expireIfDue } from './trades.service';

/**
 * Orders Alipay holds before they are trades. A mobile web payment (alipay.trade.wap.pay) becomes a trade when the
 * buyer pays on the cashier; a QR code (alipay.trade.precreate) when a buyer scans it. Until then
 * alipay.trade.query answers ACQ.TRADE_NOT_EXIST, and alipay.trade.close by out_trade_no closes the order
 * (https://opendocs.alipay.com/open/8ad49e4a_alipay.trade.precreate; ALIPAY.md, "Paying outside the mini-program").
 */

/**
 * Without time_expire or timeout_express a precreate code lives 2 hours: Alipay's face-to-face docs give the QR
 * code a two-hour validity (*unconfirmed* as a default of the API rather than of the product). wap.pay gets the
 * trade default (15 days).
 */
export const PRECREATE_DEFAULT_TIMEOUT_MS = 2 * HOUR_MS;

export interface PrepareOrderInput {
  kind: PendingOrderKind;
  appId: string;
  outTradeNo: string;
  totalFen: number;
  subject: string;
  body?: string | undefined;
  productCode?: string | undefined;
  notifyUrl?: string | undefined;
  returnUrl?: string | undefined;
  quitUrl?: string | undefined;
  charset: string;
  passbackParams?: string | undefined;
  timeExpire?: string | undefined;
  timeoutExpress?: string | undefined;
}

const METHOD = { wap: 'alipay.trade.wap.pay', precreate: 'alipay.trade.precreate' } as const;

/** Closes an open order whose expiry has passed (no notify: no trade ever existed). */
export function expireOrderIfDue(deps: Deps, order: PendingOrder): PendingOrder {
  if (order.status !== 'open' || order.expiresAt.getTime() > deps.clock.nowMs()) return order;
  deps.store.pendingOrders.markClosed(order.id, deps.clock.now());
  return deps.store.pendingOrders.find(order.id) ?? order;
}

/**
 * Records a wap.pay request or a precreate code. The same out_trade_no with the same amount and subject returns the
 * same order (a shopper tapping Pay twice, a merchant asking for the code again); different content is
 * ACQ.CONTEXT_INCONSISTENT; a paid or closed one ACQ.TRADE_HAS_SUCCESS / ACQ.TRADE_HAS_CLOSE.
 */
export function prepareOrder(deps: Deps, input: PrepareOrderInput): PendingOrder {
  const { store, clock } = deps;
  return store.transaction(() => {
    const trade = store.trades.findByOutTradeNo(input.appId, input.outTradeNo);
    const existing = store.pendingOrders.findByOutTradeNo(input.appId, input.outTradeNo);
    if (trade) {
      const current = expireIfDue(deps, trade);
      if (current.status === 'TRADE_SUCCESS' || current.status === 'TRADE_FINISHED') {
        throw new BusinessError('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      }
      if (current.status === 'TRADE_CLOSED') throw new BusinessError('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      if (!existing || current.method !== METHOD[input.kind]) {
        throw new BusinessError('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改：该商户订单号已用其他方式下单');
      }
    }
    if (existing) {
      const order = expireOrderIfDue(deps, existing);
      if (order.status === 'closed') throw new BusinessError('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      const same =
        order.kind === input.kind && order.totalFen === input.totalFen && order.subject === input.subject;
      if (!same) {
        throw new BusinessError(
          'ACQ.CONTEXT_INCONSISTENT',
          '交易信息被篡改：同一商户订单号的金额或标题不一致',
        );
      }
      if (input.kind === 'wap') {
        store.pendingOrders.updateUrls(order.id, {
          returnUrl: input.returnUrl ?? null,
          quitUrl: input.quitUrl ?? null,
          notifyUrl: input.notifyUrl ?? order.notifyUrl,
        });
      }
      return store.pendingOrders.find(order.id) as PendingOrder;
    }
    const now = clock.now();
    const timeout =
      input.kind === 'precreate' && input.timeExpire === undefined && input.timeoutExpress === undefined
        ? { ok: true as const, timeoutMs: PRECREATE_DEFAULT_TIMEOUT_MS }
        : resolveTimeout(now, input);
    if (!timeout.ok) throw new BusinessError('ACQ.INVALID_PARAMETER', `参数无效：${timeout.reason}`, 400);
    const order: PendingOrder = {
      id: newPendingOrderId(),
      kind: input.kind,
      appId: input.appId,
      outTradeNo: input.outTradeNo,
      subject: input.subject,
      body: input.body ?? null,
      totalFen: input.totalFen,
      productCode: input.productCode ?? null,
      notifyUrl: input.notifyUrl ?? null,
      returnUrl: input.returnUrl ?? null,
      quitUrl: input.quitUrl ?? null,
      charset: input.charset,
      passbackParams: input.passbackParams ?? null,
      timeExpire: input.timeExpire ?? null,
      timeoutExpress: input.timeoutExpress ?? null,
      // The code is a sandbox URL: opening it is scanning it (GET /qr/<token>).
      qrCode: input.kind === 'precreate' ? `${deps.publicUrl()}/qr/${newQrCodeToken()}` : null,
      status: 'open',
      tradeNo: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + clock.scaled(timeout.timeoutMs)),
      closedAt: null,
    };
    store.pendingOrders.insert(order);
    return order;
  });
}

/**
 * The buyer scans a code or confirms a mobile payment: the trade comes into being (WAIT_BUYER_PAY, bound to the
 * buyer, expiring when the order does). Scanning again returns the same trade; another buyer gets
 * ACQ.CONTEXT_INCONSISTENT (the trade is the first buyer's).
 */
export function tradeFromOrder(deps: Deps, orderId: string, buyerUserId: string): Trade {
  const found = deps.store.pendingOrders.find(orderId);
  if (!found) throw new BusinessError('ACQ.TRADE_NOT_EXIST', '交易不存在', 404);
  const order = expireOrderIfDue(deps, found);
  if (order.status === 'closed') throw new BusinessError('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
  const { trade } = createTrade(deps, {
    appId: order.appId,
    outTradeNo: order.outTradeNo,
    totalFen: order.totalFen,
    subject: order.subject,
    body: order.body ?? undefined,
    buyerId: buyerUserId,
    productCode: order.productCode ?? undefined,
    method: METHOD[order.kind],
    notifyUrl: order.notifyUrl ?? undefined,
    charset: order.charset,
    timeExpire: order.timeExpire ?? undefined,
    timeoutExpress: order.timeoutExpress ?? undefined,
    passbackParams: order.passbackParams ?? undefined,
    expiresAt: order.expiresAt,
  });
  deps.store.pendingOrders.markTraded(order.id, trade.tradeNo);
  return trade;
}

/** Closes an order that is not a trade yet (alipay.trade.close by out_trade_no before any scan). */
export function closeOrder(deps: Deps, order: PendingOrder): PendingOrder {
  const current = expireOrderIfDue(deps, order);
  if (current.status !== 'open') {
    throw new BusinessError('ACQ.TRADE_STATUS_ERROR', '交易状态不合法：交易已关闭');
  }
  if (!deps.store.pendingOrders.markClosed(current.id, deps.clock.now())) {
    throw new BusinessError('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  }
  return deps.store.pendingOrders.find(current.id) as PendingOrder;
}
