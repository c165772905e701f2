import type { Deps } from '../deps';
import { BusinessError } from '../errors';
import { queueTradeNotify } from '../notify/notify-queue';
import type { Refund, RefundSource, Trade } from '../store/types';
import { assertTransition } from './trade-state';

/**
 * alipay.trade.refund (https://opendocs.alipay.com/mini/03l8bz): refunds are idempotent per (trade, out_request_no):
 * the same number again returns the first result with `fund_change=N` and moves no money. The refunded total never
 * exceeds the paid amount; refunding the whole amount closes the trade. Money goes back to the buyer's balance.
 */

export interface RefundInput {
  amountFen: number;
  outRequestNo: string;
  reason?: string | undefined;
  source: RefundSource;
}

export interface RefundOutcome {
  trade: Trade;
  refund: Refund;
  /** True when this call moved money; false for a repeated out_request_no. */
  fundChange: boolean;
}

export function refundTrade(deps: Deps, tradeNo: string, input: RefundInput): RefundOutcome {
  const { store, clock } = deps;
  const outcome = store.transaction((): RefundOutcome => {
    const trade = store.trades.find(tradeNo);
    if (!trade) throw new BusinessError('ACQ.TRADE_NOT_EXIST', '交易不存在', 404);
    const existing = store.trades.findRefund(tradeNo, input.outRequestNo);
    if (existing) {
      if (existing.amountFen !== input.amountFen) {
        throw new BusinessError(
          'ACQ.DISCORDANT_REPEAT_REQUEST',
          '请求信息不一致：同一退款请求号的退款金额与首次请求不同',
        );
      }
      return { trade, refund: existing, fundChange: false };
    }
    if (trade.status === 'WAIT_BUYER_PAY') {
      throw new BusinessError('ACQ.TRADE_STATUS_ERROR', '交易状态不合法：交易未支付');
    }
    if (trade.status === 'TRADE_CLOSED') throw new BusinessError('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
    if (trade.status === 'TRADE_FINISHED') throw new BusinessError('ACQ.TRADE_HAS_FINISHED', '交易已完结');
    const refundableFen = trade.totalFen - trade.refundedFen;
    if (input.amountFen > refundableFen) {
      throw new BusinessError(
        'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
        '退款金额超限：退款总额不能超过已付金额',
        422,
      );
    }
    const now = clock.now();
    if (!store.trades.addRefunded(tradeNo, input.amountFen)) {
      throw new Error(`trade ${tradeNo} changed while refunding`);
    }
    const refund = store.trades.insertRefund({
      tradeNo,
      outRequestNo: input.outRequestNo,
      amountFen: input.amountFen,
      reason: input.reason ?? null,
      source: input.source,
      createdAt: now,
    });
    store.accounts.creditBuyer(trade.buyerUserId, input.amountFen);
    store.trades.insertLedger({
      kind: 'refund',
      appId: trade.appId,
      tradeNo,
      outTradeNo: trade.outTradeNo,
      outRequestNo: input.outRequestNo,
      buyerUserId: trade.buyerUserId,
      amountFen: input.amountFen,
      buyerBalanceAfterFen: store.accounts.findBuyer(trade.buyerUserId)?.balanceFen ?? 0,
      createdAt: now,
    });
    if (trade.refundedFen + input.amountFen === trade.totalFen) {
      assertTransition(trade.status, 'TRADE_CLOSED');
      if (!store.trades.markClosed(tradeNo, trade.status, now, 'refunded')) {
        throw new Error(`trade ${tradeNo} changed while closing after a full refund`);
      }
    }
    store.trades.insertEvent(
      tradeNo,
      'refunded',
      { outRequestNo: input.outRequestNo, amountFen: input.amountFen, source: input.source },
      now,
    );
    const refunded = store.trades.find(tradeNo) as Trade;
    // Alipay notifies refunds on the trade's notify_url (退款通知: trade_status with refund_fee, gmt_refund).
    queueTradeNotify(deps, 'refund', refunded, refund);
    return { trade: refunded, refund, fundChange: true };
  });
  if (outcome.fundChange) {
    deps.logger.info(
      { tradeNo, outRequestNo: input.outRequestNo, amountFen: input.amountFen, source: input.source },
      'trade refunded',
    );
    deps.signals.notifyQueued();
  }
  return outcome;
}
