import type { Deps } from '../deps';
import { BusinessError } from '../errors';
import { newTradeNo } from '../ids';
import { queueTradeNotify } from '../notify/notify-queue';
import type { Buyer, Trade, TradeMethod } from '../store/types';
import { resolveTimeout } from './expiry-rules';
import { assertTransition } from './trade-state';

/**
 * Trade creation, lookup, merchant close and timeout close. Sub codes follow the alipay.trade.* references
 * (https://opendocs.alipay.com/mini/03l5wn create, /03l8bw query, /03l8bx close).
 */

export interface CreateTradeInput {
  appId: string;
  outTradeNo: string;
  totalFen: number;
  subject: string;
  body?: string | undefined;
  buyerId?: string | undefined;
  buyerOpenId?: string | undefined;
  productCode?: string | undefined;
  /** Defaults to alipay.trade.create. */
  method?: TradeMethod | undefined;
  notifyUrl?: string | undefined;
  charset: string;
  timeExpire?: string | undefined;
  timeoutExpress?: string | undefined;
  passbackParams?: string | undefined;
  /** A fixed expiry (already scaled), for trades made from a pending order: the order's expiry carries over. */
  expiresAt?: Date | undefined;
}

export interface TradeRef {
  tradeNo?: string | undefined;
  outTradeNo?: string | undefined;
}

function resolveBuyer(deps: Deps, input: CreateTradeInput): Buyer {
  const buyer = input.buyerId
    ? deps.store.accounts.findBuyer(input.buyerId)
    : input.buyerOpenId
      ? deps.store.accounts.findBuyerByOpenId(input.buyerOpenId)
      : undefined;
  if (!buyer) throw new BusinessError('ACQ.BUYER_NOT_EXIST', '买家不存在');
  return buyer;
}

/**
 * Creates a trade, or returns the existing one when the same out_trade_no arrives again with the same content
 * (amount, subject, buyer): a client retrying after a timeout gets the same trade_no.
 */
export function createTrade(deps: Deps, input: CreateTradeInput): { trade: Trade; created: boolean } {
  const { store, clock } = deps;
  const result = store.transaction(() => {
    const buyer = resolveBuyer(deps, input);
    const existing = store.trades.findByOutTradeNo(input.appId, input.outTradeNo);
    if (existing) {
      const trade = expireIfDueInTransaction(deps, existing);
      if (trade.status === 'TRADE_SUCCESS' || trade.status === 'TRADE_FINISHED') {
        throw new BusinessError('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      }
      if (trade.status === 'TRADE_CLOSED') throw new BusinessError('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      const same =
        trade.totalFen === input.totalFen &&
        trade.subject === input.subject &&
        trade.buyerUserId === buyer.userId;
      if (!same) {
        throw new BusinessError(
          'ACQ.CONTEXT_INCONSISTENT',
          '交易信息被篡改：同一商户订单号的金额、标题或买家不一致',
        );
      }
      return { trade, created: false };
    }
    const now = clock.now();
    const timeout = input.expiresAt ? { ok: true as const, timeoutMs: 0 } : resolveTimeout(now, input);
    if (!timeout.ok) throw new BusinessError('ACQ.INVALID_PARAMETER', `参数无效：${timeout.reason}`, 400);
    const trade: Trade = {
      tradeNo: newTradeNo(now),
      appId: input.appId,
      outTradeNo: input.outTradeNo,
      subject: input.subject,
      body: input.body ?? null,
      totalFen: input.totalFen,
      buyerUserId: buyer.userId,
      buyerByOpenId: !input.buyerId,
      productCode: input.productCode ?? null,
      method: input.method ?? 'alipay.trade.create',
      notifyUrl: input.notifyUrl ?? null,
      charset: input.charset,
      passbackParams: input.passbackParams ?? null,
      status: 'WAIT_BUYER_PAY',
      timeExpire: input.timeExpire ?? null,
      timeoutExpress: input.timeoutExpress ?? null,
      createdAt: now,
      expiresAt: input.expiresAt ?? new Date(now.getTime() + clock.scaled(timeout.timeoutMs)),
      paidAt: null,
      closedAt: null,
      closeReason: null,
      refundedFen: 0,
    };
    store.trades.insertTrade(trade);
    store.trades.insertEvent(trade.tradeNo, 'created', { totalFen: trade.totalFen }, now);
    return { trade, created: true };
  });
  if (result.created) deps.signals.tradeOpened();
  return result;
}

/** Finds an app's trade by trade_no (preferred, as at Alipay) or out_trade_no, closing it first if it has expired. */
export function findTrade(deps: Deps, appId: string, ref: TradeRef): Trade | undefined {
  const { trades } = deps.store;
  let trade: Trade | undefined;
  if (ref.tradeNo) {
    trade = trades.find(ref.tradeNo);
    if (trade && (trade.appId !== appId || (ref.outTradeNo && ref.outTradeNo !== trade.outTradeNo))) {
      trade = undefined;
    }
  } else if (ref.outTradeNo) {
    trade = trades.findByOutTradeNo(appId, ref.outTradeNo);
  }
  return trade && expireIfDue(deps, trade);
}

export function requireTrade(deps: Deps, appId: string, ref: TradeRef): Trade {
  const trade = findTrade(deps, appId, ref);
  if (!trade) throw new BusinessError('ACQ.TRADE_NOT_EXIST', '交易不存在');
  return trade;
}

/** Closes an unpaid trade whose expiry has passed (lazily on access, and from the sweeper). */
export function expireIfDue(deps: Deps, trade: Trade): Trade {
  if (trade.status !== 'WAIT_BUYER_PAY' || trade.expiresAt.getTime() > deps.clock.nowMs()) return trade;
  const closed = deps.store.transaction(() => {
    const current = deps.store.trades.find(trade.tradeNo);
    return current ? expireIfDueInTransaction(deps, current) : trade;
  });
  return closed;
}

function expireIfDueInTransaction(deps: Deps, trade: Trade): Trade {
  const now = deps.clock.now();
  if (trade.status !== 'WAIT_BUYER_PAY' || trade.expiresAt.getTime() > now.getTime()) return trade;
  assertTransition(trade.status, 'TRADE_CLOSED');
  if (!deps.store.trades.markClosed(trade.tradeNo, 'WAIT_BUYER_PAY', now, 'timeout')) {
    return deps.store.trades.find(trade.tradeNo) ?? trade;
  }
  deps.store.trades.insertEvent(trade.tradeNo, 'closed', { reason: 'timeout' }, now);
  const closed = deps.store.trades.find(trade.tradeNo) as Trade;
  // Alipay notifies TRADE_CLOSED when an unpaid trade times out (交易关闭通知).
  if (queueTradeNotify(deps, 'close', closed)) queueMicrotask(() => deps.signals.notifyQueued());
  return closed;
}

/**
 * The merchant closes an unpaid trade (alipay.trade.close). Only WAIT_BUYER_PAY closes: a paid trade must be
 * refunded instead, and a closed one (timed out, closed before, fully refunded) is not in a closable state either.
 * No notify follows a merchant close: the merchant asked for it.
 */
export function closeTrade(deps: Deps, trade: Trade): Trade {
  const { store } = deps;
  return store.transaction(() => {
    const current = store.trades.find(trade.tradeNo) ?? trade;
    if (current.status !== 'WAIT_BUYER_PAY') {
      throw new BusinessError(
        'ACQ.TRADE_STATUS_ERROR',
        current.status === 'TRADE_CLOSED'
          ? '交易状态不合法：交易已关闭'
          : '交易状态不合法：已支付的交易不能关闭，请使用退款',
      );
    }
    const now = deps.clock.now();
    assertTransition(current.status, 'TRADE_CLOSED');
    if (!store.trades.markClosed(current.tradeNo, 'WAIT_BUYER_PAY', now, 'merchant')) {
      throw new BusinessError('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    }
    store.trades.insertEvent(current.tradeNo, 'closed', { reason: 'merchant' }, now);
    return store.trades.find(current.tradeNo) as Trade;
  });
}

/** Closes every unpaid trade past its expiry; returns how many closed. The sweeper calls this. */
export function expireDueTrades(deps: Deps, limit = 100): number {
  const due = deps.store.trades.listExpired(deps.clock.now(), limit);
  let closed = 0;
  for (const trade of due) {
    if (expireIfDue(deps, trade).status === 'TRADE_CLOSED') closed++;
  }
  return closed;
}
