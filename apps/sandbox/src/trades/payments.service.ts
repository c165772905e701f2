import type { Deps } from '../deps';
import { NotFoundError } from '../errors';
import { queueTradeNotify } from '../notify/notify-queue';
import type { Trade } from '../store/types';
import { assertTransition, isPaid } from './trade-state';
import { expireIfDue } from './trades.service';

/**
 * The buyer pays (the cashier's Pay button, or the control API standing in for it). The outcome is what
 * `my.tradePay` would resolve with: `9000` when the payment went through, `4000` when it failed (declined for lack
 * of balance, wrong buyer, closed or already paid trade). Only the notify and trade.query prove payment to the shop.
 * https://opendocs.alipay.com/mini/api/openapi-pay (resultCode)
 */

export type PayFailure = 'TRADE_CLOSED' | 'TRADE_HAS_SUCCESS' | 'WRONG_BUYER' | 'BALANCE_NOT_ENOUGH';

export type PayOutcome =
  | { resultCode: '9000'; memo: string; trade: Trade; notifyId: string | null }
  | { resultCode: '4000'; memo: string; reason: PayFailure; trade: Trade };

export interface PayOptions {
  /** Who is paying; defaults to the trade's buyer. */
  payerUserId?: string | undefined;
  /** Pay even a closed (unpaid) trade: the paid-after-close race Alipay exhibits. */
  force?: boolean | undefined;
  via: 'cashier' | 'control';
}

const MEMOS: Record<PayFailure, string> = {
  TRADE_CLOSED: '交易已关闭，无法付款',
  TRADE_HAS_SUCCESS: '交易已支付，请勿重复付款',
  WRONG_BUYER: '当前账户不是这笔交易的付款人，无法付款',
  BALANCE_NOT_ENOUGH: '余额不足，付款失败',
};

export function payTrade(deps: Deps, tradeNo: string, options: PayOptions): PayOutcome {
  const { store, clock } = deps;
  const found = store.trades.find(tradeNo);
  if (!found) throw new NotFoundError(`trade ${tradeNo} does not exist`);
  expireIfDue(deps, found);

  const outcome = store.transaction((): PayOutcome => {
    const trade = store.trades.find(tradeNo) as Trade;
    const now = clock.now();
    const fail = (reason: PayFailure): PayOutcome => {
      store.trades.insertEvent(tradeNo, 'pay_failed', { reason, via: options.via }, now);
      return { resultCode: '4000', memo: MEMOS[reason], reason, trade };
    };
    if (isPaid(trade.status)) return fail('TRADE_HAS_SUCCESS');
    // A trade closed by a full refund was paid once; forcing applies only to closed unpaid trades.
    if (trade.status === 'TRADE_CLOSED' && (!options.force || trade.paidAt !== null))
      return fail('TRADE_CLOSED');
    const payer = options.payerUserId ?? trade.buyerUserId;
    if (payer !== trade.buyerUserId) return fail('WRONG_BUYER');
    if (!store.accounts.debitBuyer(payer, trade.totalFen)) return fail('BALANCE_NOT_ENOUGH');

    assertTransition(trade.status, 'TRADE_SUCCESS');
    if (!store.trades.markPaid(tradeNo, trade.status, now)) {
      // The guarded update found another state: throwing rolls the debit back with the whole transaction.
      throw new Error(`trade ${tradeNo} changed state while paying`);
    }
    const balance = store.accounts.findBuyer(payer)?.balanceFen ?? 0;
    store.trades.insertLedger({
      kind: 'payment',
      appId: trade.appId,
      tradeNo,
      outTradeNo: trade.outTradeNo,
      outRequestNo: null,
      buyerUserId: payer,
      amountFen: trade.totalFen,
      buyerBalanceAfterFen: balance,
      createdAt: now,
    });
    store.trades.insertEvent(
      tradeNo,
      'paid',
      { via: options.via, afterClose: trade.status === 'TRADE_CLOSED', totalFen: trade.totalFen },
      now,
    );
    const paid = store.trades.find(tradeNo) as Trade;
    return {
      resultCode: '9000',
      memo: '支付成功',
      trade: paid,
      notifyId: queueTradeNotify(deps, 'payment', paid),
    };
  });
  if (outcome.resultCode === '9000') {
    deps.logger.info({ tradeNo, outTradeNo: outcome.trade.outTradeNo, via: options.via }, 'trade paid');
    deps.signals.notifyQueued();
  }
  return outcome;
}
