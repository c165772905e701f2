import { fenToYuan, formatChinaTime } from '@shop/alipay';
import { z } from 'zod';
import { refundTrade } from '../../trades/refunds.service';
import { requireTrade } from '../../trades/trades.service';
import { outNo, readBiz, requireRef, tradeRef, yuanAmount } from '../biz-content';
import { SUCCESS, type MethodHandler } from '../method';
import { buyerFields } from './trade-view';

/**
 * alipay.trade.refund (https://opendocs.alipay.com/mini/03l8bz). Without out_request_no the request number is the
 * out_trade_no (one full refund); `refund_fee` is the cumulative refunded total; `fund_change` says whether this call
 * moved money.
 */
const RefundBiz = z.object({
  ...tradeRef,
  refund_amount: yuanAmount,
  out_request_no: outNo.optional(),
  refund_reason: z.string().max(256).optional(),
});

export const tradeRefund: MethodHandler = (deps, call) => {
  const biz = requireRef(readBiz(RefundBiz, call.biz));
  const trade = requireTrade(deps, call.app.appId, { tradeNo: biz.trade_no, outTradeNo: biz.out_trade_no });
  const {
    trade: after,
    refund,
    fundChange,
  } = refundTrade(deps, trade.tradeNo, {
    amountFen: biz.refund_amount,
    outRequestNo: biz.out_request_no ?? trade.outTradeNo,
    reason: biz.refund_reason,
    source: 'gateway',
  });
  return {
    ...SUCCESS,
    trade_no: after.tradeNo,
    out_trade_no: after.outTradeNo,
    ...buyerFields(deps, after, 'buyer_user_id'),
    fund_change: fundChange ? 'Y' : 'N',
    refund_fee: fenToYuan(after.refundedFen),
    send_back_fee: fenToYuan(refund.amountFen),
    gmt_refund_pay: formatChinaTime(refund.createdAt),
  };
};
