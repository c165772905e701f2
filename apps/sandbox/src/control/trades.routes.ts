import { Router } from '@koa/router';
import type { Deps } from '../deps';
import { NotFoundError } from '../errors';
import { readJson, readParams, readQuery } from '../http/body';
import { HttpError } from '../http/http-error';
import { newOutRequestNo } from '../ids';
import type { Trade } from '../store/types';
import { payTrade } from '../trades/payments.service';
import { refundTrade } from '../trades/refunds.service';
import { expireIfDue } from '../trades/trades.service';
import {
  EmptyBody,
  LedgerQuery,
  PayTrade,
  RefundTradeBody,
  TradeFilterQuery,
  TradeNoParam,
  TradesQuery,
} from './schemas';
import { ledgerView, notifyView, refundView, tradeDetailView, tradeView } from './views';

/**
 * Control API: look at trades, pay or leave them without the cashier page, expire them now, refund behind the shop's
 * back, and read the notify log and the money ledger.
 */
export function tradesRouter(deps: Deps): Router {
  const router = new Router({ prefix: '/sandbox' });
  const { trades, notifies } = deps.store;

  const load = (params: Record<string, string>): Trade => {
    const { tradeNo } = readParams(params, TradeNoParam);
    const trade = trades.find(tradeNo);
    if (!trade) throw new NotFoundError(`trade ${tradeNo} does not exist`);
    return expireIfDue(deps, trade);
  };
  const detail = (trade: Trade) =>
    tradeDetailView(trade, trades.listRefunds(trade.tradeNo), trades.listEvents(trade.tradeNo));

  router.get('/trades', (ctx) => {
    const query = readQuery(ctx, TradesQuery);
    const found = trades
      .listByOutTradeNo(query.outTradeNo)
      .filter((trade) => query.appId === undefined || trade.appId === query.appId)
      .map((trade) => expireIfDue(deps, trade));
    ctx.body = { items: found.map(detail) };
  });

  router.get('/trades/:tradeNo', (ctx) => {
    ctx.body = detail(load(ctx.params));
  });

  router.post('/trades/:tradeNo/pay', async (ctx) => {
    const input = await readJson(ctx, PayTrade);
    const trade = load(ctx.params);
    const outcome = payTrade(deps, trade.tradeNo, {
      payerUserId: input.buyerId,
      force: input.force,
      via: 'control',
    });
    ctx.body = {
      resultCode: outcome.resultCode,
      memo: outcome.memo,
      ...(outcome.resultCode === '4000' ? { reason: outcome.reason } : { notifyId: outcome.notifyId }),
      trade: tradeView(outcome.trade),
    };
  });

  // The buyer leaves the cashier without paying: my.tradePay's 6001. The trade stays as it is, as at Alipay.
  router.post('/trades/:tradeNo/cancel', async (ctx) => {
    await readJson(ctx, EmptyBody);
    const trade = load(ctx.params);
    deps.store.trades.insertEvent(
      trade.tradeNo,
      'cashier_left',
      { resultCode: '6001', via: 'control' },
      deps.clock.now(),
    );
    ctx.body = { resultCode: '6001', memo: '用户取消支付', trade: tradeView(trade) };
  });

  // Makes an unpaid trade time out now: it closes and its TRADE_CLOSED notify is queued, as when time_expire passes.
  router.post('/trades/:tradeNo/expire', (ctx) => {
    const trade = load(ctx.params);
    if (trade.status !== 'WAIT_BUYER_PAY') {
      throw new HttpError(
        409,
        'TRADE_STATUS_ERROR',
        `trade ${trade.tradeNo} is ${trade.status}, not WAIT_BUYER_PAY`,
      );
    }
    trades.setExpiresAt(trade.tradeNo, deps.clock.now());
    ctx.body = detail(expireIfDue(deps, trades.find(trade.tradeNo) as Trade));
  });

  router.post('/trades/:tradeNo/refund', async (ctx) => {
    const input = await readJson(ctx, RefundTradeBody);
    const trade = load(ctx.params);
    const outcome = refundTrade(deps, trade.tradeNo, {
      amountFen: input.amountFen,
      outRequestNo: input.outRequestNo ?? newOutRequestNo(deps.clock.now()),
      reason: input.reason,
      source: 'control',
    });
    ctx.body = {
      fundChange: outcome.fundChange,
      refund: refundView(outcome.refund),
      trade: tradeView(outcome.trade),
    };
  });

  router.get('/notifications', (ctx) => {
    const query = readQuery(ctx, TradeFilterQuery);
    ctx.body = {
      items: notifies.list(query).map((notify) => notifyView(notify, notifies.listAttempts(notify.notifyId))),
    };
  });

  router.get('/ledger', (ctx) => {
    const query = readQuery(ctx, LedgerQuery);
    const entries = trades.listLedger({ ...query, buyerUserId: query.buyerId });
    const sum = (kind: 'payment' | 'refund') =>
      entries.filter((entry) => entry.kind === kind).reduce((total, entry) => total + entry.amountFen, 0);
    ctx.body = {
      items: entries.map(ledgerView),
      totals: { paidFen: sum('payment'), refundedFen: sum('refund') },
    };
  });
  return router;
}
