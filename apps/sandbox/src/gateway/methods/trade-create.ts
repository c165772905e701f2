import { z } from 'zod';
import { createTrade } from '../../trades/trades.service';
import { outNo, readBiz, yuanAmount } from '../biz-content';
import { businessFailed } from '../gateway-error';
import { SUCCESS, type MethodHandler } from '../method';

/** alipay.trade.create (https://opendocs.alipay.com/mini/03l5wn). */
const CreateBiz = z.object({
  out_trade_no: outNo,
  total_amount: yuanAmount,
  subject: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^/=&]*$/, 'must not contain / = or &'),
  body: z.string().max(128).optional(),
  buyer_id: z
    .string()
    .regex(/^2088\d{12}$/, 'must be a 16-digit user id starting 2088')
    .optional(),
  buyer_open_id: z.string().min(1).max(128).optional(),
  product_code: z.string().min(1).max(64).optional(),
  time_expire: z.string().optional(),
  timeout_express: z.string().optional(),
  passback_params: z.string().max(512).optional(),
});

export const tradeCreate: MethodHandler = (deps, call) => {
  const biz = readBiz(CreateBiz, call.biz);
  if (!biz.buyer_id && !biz.buyer_open_id) {
    // Mini-program payments (JSAPI_PAY) must name the paying user.
    throw businessFailed('ACQ.INVALID_PARAMETER', '参数无效：buyer_id 和 buyer_open_id 不能同时为空');
  }
  if (deps.store.pendingOrders.findByOutTradeNo(call.app.appId, biz.out_trade_no)) {
    throw businessFailed('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改：该商户订单号已用其他方式下单');
  }
  const { trade } = createTrade(deps, {
    appId: call.app.appId,
    outTradeNo: biz.out_trade_no,
    totalFen: biz.total_amount,
    subject: biz.subject,
    body: biz.body,
    buyerId: biz.buyer_id,
    buyerOpenId: biz.buyer_id ? undefined : biz.buyer_open_id,
    productCode: biz.product_code,
    notifyUrl: call.params.notify_url,
    charset: call.charset,
    timeExpire: biz.time_expire,
    timeoutExpress: biz.time_expire === undefined ? biz.timeout_express : undefined,
    passbackParams: biz.passback_params,
  });
  return { ...SUCCESS, out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo };
};
