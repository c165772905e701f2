import { fenToYuan, formatChinaTime } from '@shop/alipay';
import { z } from 'zod';
import { requireTrade } from '../../trades/trades.service';
import { outNo, readBiz, requireRef, tradeRef } from '../biz-content';
import { SUCCESS, type MethodHandler } from '../method';

/**
 * alipay.trade.fastpay.refund.query (https://opendocs.alipay.com/mini/03l8c0): `refund_status=REFUND_SUCCESS` with the
 * amounts when the refund exists; no refund_status (and no amounts) when it does not. A refund made without
 * out_request_no is found under the out_trade_no.
 */
const RefundQueryBiz = z.object({ ...tradeRef, out_request_no: outNo.optional() });

export const refundQuery: MethodHandler = (deps, call) => {
  const biz = requireRef(readBiz(RefundQueryBiz, call.biz));
  const trade = requireTrade(deps, call.app.appId, { tradeNo: biz.trade_no, outTradeNo: biz.out_trade_no });
  const outRequestNo = biz.out_request_no ?? trade.outTradeNo;
  const refund = deps.store.trades.findRefund(trade.tradeNo, outRequestNo);
  const base = {
    ...SUCCESS,
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    out_request_no: outRequestNo,
  };
  if (!refund) return base;
  return {
    ...base,
    total_amount: fenToYuan(trade.totalFen),
    refund_amount: fenToYuan(refund.amountFen),
    refund_status: 'REFUND_SUCCESS',
    gmt_refund_pay: formatChinaTime(refund.createdAt),
    ...(refund.reason ? { refund_reason: refund.reason } : {}),
  };
};
