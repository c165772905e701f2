import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import { BusinessError } from '../errors';
import { errorPage } from '../pages/html';
import { httpUrl } from '../pages/page-support';
import { prepareOrder } from '../trades/pending-orders.service';
import { authenticate } from './authenticate';
import { outNo, readBiz, yuanAmount } from './biz-content';
import { GatewayError } from './gateway-error';

/**
 * Page methods: the shopper's browser brings the merchant's signed request to the gateway (GET with every parameter
 * in the URL, or POST from an auto-submitting form, as alipay-sdk's `pageExec` makes them), and Alipay answers with
 * its cashier rather than JSON. The request is checked exactly like an API call; a bad one shows Alipay's error page
 * ("错误代码 <sub_code> 错误原因: <sub_msg>").
 */
export const PAGE_METHODS = new Set(['alipay.trade.wap.pay']);

/** alipay.trade.wap.pay biz_content (https://opendocs.alipay.com/open/29ae8cb6_alipay.trade.wap.pay). */
const WapPayBiz = z.object({
  out_trade_no: outNo,
  total_amount: yuanAmount,
  subject: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^/=&]*$/, 'must not contain / = or &'),
  product_code: z.literal('QUICK_WAP_WAY', 'must be QUICK_WAP_WAY').optional(),
  quit_url: httpUrl.max(400).optional(),
  body: z.string().max(128).optional(),
  time_expire: z.string().optional(),
  timeout_express: z.string().optional(),
  passback_params: z.string().max(512).optional(),
});

export function handlePageRequest(
  deps: Deps,
  ctx: Context,
  params: Readonly<Record<string, string>>,
  charset: string,
): void {
  try {
    const call = authenticate(deps, params, charset, PAGE_METHODS);
    const biz = readBiz(WapPayBiz, call.biz);
    const returnUrl = params.return_url;
    if (returnUrl !== undefined && !httpUrl.safeParse(returnUrl).success) {
      throw new BusinessError('ACQ.INVALID_PARAMETER', '参数无效：return_url 必须是 http(s) 地址');
    }
    const order = prepareOrder(deps, {
      kind: 'wap',
      appId: call.app.appId,
      outTradeNo: biz.out_trade_no,
      totalFen: biz.total_amount,
      subject: biz.subject,
      body: biz.body,
      productCode: biz.product_code ?? 'QUICK_WAP_WAY',
      notifyUrl: params.notify_url,
      returnUrl,
      quitUrl: biz.quit_url,
      charset,
      passbackParams: biz.passback_params,
      timeExpire: biz.time_expire,
      timeoutExpress: biz.time_expire === undefined ? biz.timeout_express : undefined,
    });
    deps.logger.info({ appId: call.app.appId, outTradeNo: order.outTradeNo }, 'wap.pay accepted');
    ctx.redirect(`/wap/cashier?order=${order.id}`);
  } catch (error) {
    let subCode: string;
    let subMsg: string;
    if (error instanceof GatewayError) [subCode, subMsg] = [error.node.sub_code, error.node.sub_msg];
    else if (error instanceof BusinessError) [subCode, subMsg] = [error.subCode, error.subMsg];
    else throw error;
    ctx.status = 400;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = errorPage('支付宝', `错误代码 ${subCode} 错误原因: ${subMsg}`);
  }
}
