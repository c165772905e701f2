import { z } from 'zod';
import { prepareOrder } from '../../trades/pending-orders.service';
import { outNo, readBiz, yuanAmount } from '../biz-content';
import { SUCCESS, type MethodHandler } from '../method';

/**
 * alipay.trade.precreate (https://opendocs.alipay.com/open/8ad49e4a_alipay.trade.precreate): returns `qr_code`, a
 * sandbox URL; the trade exists once a buyer opens (scans) it. `product_code` is FACE_TO_FACE_PAYMENT when given.
 */
const PrecreateBiz = z.object({
  out_trade_no: outNo,
  total_amount: yuanAmount,
  subject: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^/=&]*$/, 'must not contain / = or &'),
  body: z.string().max(128).optional(),
  product_code: z.string().min(1).max(64).optional(),
  time_expire: z.string().optional(),
  timeout_express: z.string().optional(),
});

export const tradePrecreate: MethodHandler = (deps, call) => {
  const biz = readBiz(PrecreateBiz, call.biz);
  const order = prepareOrder(deps, {
    kind: 'precreate',
    appId: call.app.appId,
    outTradeNo: biz.out_trade_no,
    totalFen: biz.total_amount,
    subject: biz.subject,
    body: biz.body,
    productCode: biz.product_code ?? 'FACE_TO_FACE_PAYMENT',
    notifyUrl: call.params.notify_url,
    charset: call.charset,
    timeExpire: biz.time_expire,
    timeoutExpress: biz.time_expire === undefined ? biz.timeout_express : undefined,
  });
  return { ...SUCCESS, out_trade_no: order.outTradeNo, qr_code: order.qrCode };
};
