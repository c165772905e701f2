import { formatChinaTime } from '@shop/alipay';
import { fenToYuan } from '@shop/alipay';
import { z } from 'zod';
import { requireTrade } from '../../trades/trades.service';
import { readBiz, requireRef, tradeRef } from '../biz-content';
import { SUCCESS, type MethodHandler } from '../method';
import { amountFields, buyerFields } from './trade-view';

/** alipay.trade.query (https://opendocs.alipay.com/mini/03l8bw). An expired unpaid trade reads TRADE_CLOSED. */
const QueryBiz = z.object(tradeRef);

export const tradeQuery: MethodHandler = (deps, call) => {
  const biz = requireRef(readBiz(QueryBiz, call.biz));
  const trade = requireTrade(deps, call.app.appId, { tradeNo: biz.trade_no, outTradeNo: biz.out_trade_no });
  return {
    ...SUCCESS,
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    trade_status: trade.status,
    ...amountFields(trade),
    ...buyerFields(deps, trade),
    subject: trade.subject,
    ...(trade.paidAt
      ? {
          send_pay_date: formatChinaTime(trade.paidAt),
          fund_bill_list: [{ fund_channel: 'ALIPAYACCOUNT', amount: fenToYuan(trade.totalFen) }],
        }
      : {}),
  };
};
