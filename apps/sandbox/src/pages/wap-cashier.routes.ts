import { Router } from '@koa/router';
import { fenToYuan, formatChinaTime, signNotify } from '@shop/alipay';
import type { Context } from 'koa';
import { z } from 'zod';
import { signerFor } from '../certs/certs.service';
import type { Deps } from '../deps';
import { BusinessError } from '../errors';
import { SANDBOX_SELLER_ID } from '../notify/notify-fields';
import type { PendingOrder, Trade } from '../store/types';
import { payTrade } from '../trades/payments.service';
import { expireOrderIfDue, tradeFromOrder } from '../trades/pending-orders.service';
import { isPaid } from '../trades/trade-state';
import { expireIfDue } from '../trades/trades.service';
import { buyerPicker } from './buyer-picker';
import { html, page } from './html';
import {
  BUYER_COOKIE,
  pageBuyer,
  PageError,
  pageErrors,
  readPageForm,
  readPageQuery,
  sendPage,
  withParams,
} from './page-support';

/**
 * Alipay's mobile cashier for alipay.trade.wap.pay (手机网站支付, https://opendocs.alipay.com/open/203/105285): the
 * gateway accepted the signed request and sent the browser here. The shopper picks a sandbox buyer and pays (the
 * trade comes into being, is paid, the notify is queued, and the browser goes to return_url with the signed
 * `alipay.trade.wap.pay.return` parameters) or quits (the browser goes to quit_url).
 */

const TITLE = '支付宝 手机网站支付';
const OrderQuery = z.object({ order: z.string().regex(/^[0-9a-f]{24}$/, 'must be an order id') });
const PayForm = z.strictObject({
  order: z.string().regex(/^[0-9a-f]{24}$/, 'must be an order id'),
  buyer_id: z.string().regex(/^2088\d{12}$/, 'choose a buyer'),
});
const QuitForm = z.strictObject({ order: z.string().regex(/^[0-9a-f]{24}$/, 'must be an order id') });

/**
 * The parameters appended to return_url, signed like a notify (all but sign and sign_type), as Alipay sends them:
 * https://opendocs.alipay.com/open/203/105286 (同步通知参数: out_trade_no, trade_no, total_amount, seller_id, ...).
 */
export function wapReturnParams(deps: Deps, trade: Trade, returnUrl: string): Record<string, string> {
  const app = deps.store.accounts.findApp(trade.appId);
  // The merchant's own query parameters of return_url come back beside Alipay's; the sandbox signs them too, so the
  // whole query verifies. Whether Alipay signs them is *unconfirmed*.
  const own = Object.fromEntries(new URL(returnUrl).searchParams);
  return signNotify(
    {
      ...own,
      charset: trade.charset,
      out_trade_no: trade.outTradeNo,
      method: 'alipay.trade.wap.pay.return',
      total_amount: fenToYuan(trade.totalFen),
      trade_no: trade.tradeNo,
      auth_app_id: trade.appId,
      version: '1.0',
      app_id: trade.appId,
      seller_id: SANDBOX_SELLER_ID,
      timestamp: formatChinaTime(deps.clock.now()),
    },
    signerFor(deps, app).key,
  );
}

export function wapCashierRouter(deps: Deps): Router {
  const router = new Router();
  router.use(pageErrors);

  const load = (id: string): { order: PendingOrder; trade: Trade | undefined } => {
    const found = deps.store.pendingOrders.find(id);
    if (!found || found.kind !== 'wap') throw new PageError(404, TITLE, `订单 ${id} 不存在`);
    const order = expireOrderIfDue(deps, found);
    const stored = order.tradeNo ? deps.store.trades.find(order.tradeNo) : undefined;
    return { order, trade: stored && expireIfDue(deps, stored) };
  };

  const show = (ctx: Context, order: PendingOrder, trade: Trade | undefined, notice?: string) => {
    const closed = order.status === 'closed' || trade?.status === 'TRADE_CLOSED';
    const paid = trade !== undefined && isPaid(trade.status);
    const payable = !closed && !paid;
    const hidden = html`<input type="hidden" name="order" value="${order.id}" />`;
    sendPage(
      ctx,
      page(
        TITLE,
        html`<div class="card">
            <div class="amount">¥${fenToYuan(order.totalFen)}</div>
            <div class="subject">${order.subject}</div>
            <dl>
              <dt>商户订单号</dt>
              <dd>${order.outTradeNo}</dd>
              ${
                trade
                  ? html`<dt>支付宝交易号</dt>
                      <dd>${trade.tradeNo}</dd>`
                  : ''
              }
            </dl>
          </div>
          ${notice ? html`<div class="notice error">${notice}</div>` : ''}
          ${closed ? html`<div class="notice error">交易已关闭，无法付款。</div>` : ''}
          ${paid ? html`<div class="notice">这笔交易已经支付。</div>` : ''}
          ${
            payable
              ? html`<form method="post" action="/wap/cashier/pay">
                  <div class="card">
                    <p class="subject">选择付款的沙箱买家</p>
                    ${buyerPicker(deps, trade?.buyerUserId ?? ctx.cookies.get(BUYER_COOKIE))}
                  </div>
                  ${hidden}<button class="primary" type="submit">确认付款</button>
                </form>`
              : ''
          }
          <form method="post" action="/wap/cashier/quit">
            ${hidden}<button class="secondary" type="submit">${payable ? '退出支付' : '返回商户'}</button>
          </form>`,
      ),
      notice ? 409 : 200,
    );
  };

  router.get('/wap/cashier', (ctx) => {
    const { order, trade } = load(readPageQuery(ctx, OrderQuery, TITLE).order);
    show(ctx, order, trade);
  });

  router.post('/wap/cashier/pay', async (ctx) => {
    const form = await readPageForm(ctx, PayForm, TITLE);
    const { order } = load(form.order);
    pageBuyer(deps, TITLE, form.buyer_id);
    ctx.cookies.set(BUYER_COOKIE, form.buyer_id, { httpOnly: true, sameSite: 'lax', overwrite: true });
    let trade: Trade;
    try {
      trade = tradeFromOrder(deps, order.id, form.buyer_id);
    } catch (error) {
      if (!(error instanceof BusinessError)) throw error;
      const current = load(order.id);
      return show(ctx, current.order, current.trade, `${error.subCode}：${error.subMsg}`);
    }
    const outcome = payTrade(deps, trade.tradeNo, { payerUserId: form.buyer_id, via: 'cashier' });
    if (outcome.resultCode !== '9000') {
      const current = load(order.id);
      return show(ctx, current.order, current.trade, outcome.memo);
    }
    const returnUrl = deps.store.pendingOrders.find(order.id)?.returnUrl;
    if (returnUrl) {
      ctx.redirect(withParams(returnUrl, wapReturnParams(deps, outcome.trade, returnUrl)));
      return;
    }
    show(ctx, order, outcome.trade);
  });

  router.post('/wap/cashier/quit', async (ctx) => {
    const form = await readPageForm(ctx, QuitForm, TITLE);
    const { order, trade } = load(form.order);
    if (trade) deps.store.trades.insertEvent(trade.tradeNo, 'cashier_left', { via: 'wap' }, deps.clock.now());
    if (order.quitUrl) {
      ctx.redirect(order.quitUrl);
      return;
    }
    sendPage(ctx, page(TITLE, html`<div class="card"><div class="notice">已退出支付。</div></div>`));
  });
  return router;
}
