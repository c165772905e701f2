import { z } from 'zod';
import { closeOrder } from '../../trades/pending-orders.service';
import { closeTrade, findTrade, requireTrade } from '../../trades/trades.service';
import { readBiz, requireRef, tradeRef } from '../biz-content';
import { SUCCESS, type MethodHandler } from '../method';

/** alipay.trade.close (https://opendocs.alipay.com/mini/03l8bx): only an unpaid trade closes. */
const CloseBiz = z.object({ ...tradeRef, operator_id: z.string().max(28).optional() });

export const tradeClose: MethodHandler = (deps, call) => {
  const biz = requireRef(readBiz(CloseBiz, call.biz));
  // A precreate code nobody scanned (or a wap.pay nobody paid) is closed by out_trade_no; it has no trade_no yet.
  if (
    !biz.trade_no &&
    biz.out_trade_no &&
    !findTrade(deps, call.app.appId, { outTradeNo: biz.out_trade_no })
  ) {
    const order = deps.store.pendingOrders.findByOutTradeNo(call.app.appId, biz.out_trade_no);
    if (order) return { ...SUCCESS, out_trade_no: closeOrder(deps, order).outTradeNo };
  }
  const trade = requireTrade(deps, call.app.appId, { tradeNo: biz.trade_no, outTradeNo: biz.out_trade_no });
  const closed = closeTrade(deps, trade);
  return { ...SUCCESS, trade_no: closed.tradeNo, out_trade_no: closed.outTradeNo };
};
