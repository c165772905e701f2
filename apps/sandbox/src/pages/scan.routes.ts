import { Router } from '@koa/router';
import { fenToYuan } from '@shop/alipay';
import { z } from 'zod';
import type { Deps } from '../deps';
import { BusinessError } from '../errors';
import type { PendingOrder } from '../store/types';
import { expireOrderIfDue, tradeFromOrder } from '../trades/pending-orders.service';
import { buyerPicker } from './buyer-picker';
import { html, page } from './html';
import { BUYER_COOKIE, pageBuyer, PageError, pageErrors, readPageForm, sendPage } from './page-support';

/**
 * The buyer's side of a precreate QR code (当面付 扫码支付): `/scan` takes the code's content as a phone camera
 * would read it; `/qr/<token>` (the code's own URL) shows the order and scans it for a chosen sandbox buyer, which
 * makes the trade (WAIT_BUYER_PAY), then continues to the cashier to pay.
 */

const TITLE = '支付宝 扫一扫';
const TOKEN = /^bax0[0-9a-f]{20}$/;
const ScanForm = z.strictObject({ qr_code: z.string().trim().min(1, '请输入二维码内容').max(512) });
const QrScanForm = z.strictObject({ buyer_id: z.string().regex(/^2088\d{12}$/, 'choose a buyer') });

export function scanRouter(deps: Deps): Router {
  const router = new Router();
  router.use(pageErrors);

  const load = (token: string): PendingOrder => {
    const order = TOKEN.test(token)
      ? deps.store.pendingOrders.findByQrCode(`${deps.publicUrl()}/qr/${token}`)
      : undefined;
    if (!order) throw new PageError(404, TITLE, '二维码无效：这不是沙箱生成的收款码');
    return expireOrderIfDue(deps, order);
  };

  router.get('/scan', (ctx) => {
    sendPage(
      ctx,
      page(
        TITLE,
        html`<form method="post" action="/scan">
          <div class="card">
            <p>粘贴二维码内容（alipay.trade.precreate 返回的 qr_code）</p>
            <textarea name="qr_code" rows="3" style="width:100%"></textarea>
          </div>
          <button class="primary" type="submit">扫码</button>
        </form>`,
      ),
    );
  });

  router.post('/scan', async (ctx) => {
    const form = await readPageForm(ctx, ScanForm, TITLE);
    const token = /\/qr\/([^/?#\s]+)$/.exec(form.qr_code)?.[1] ?? form.qr_code;
    ctx.redirect(`/qr/${encodeURIComponent(load(token).qrCode?.split('/qr/')[1] ?? token)}`);
  });

  router.get('/qr/:token', (ctx) => {
    const order = load(ctx.params.token ?? '');
    const open = order.status === 'open';
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
            </dl>
          </div>
          ${order.status === 'closed' ? html`<div class="notice error">二维码已失效（交易已关闭或已过期）。</div>` : ''}
          ${
            order.status === 'traded' && order.tradeNo
              ? html`<div class="notice">
                  已扫码。<a href="/cashier?trade_no=${order.tradeNo}">去付款</a>
                </div>`
              : ''
          }
          ${
            open
              ? html`<form method="post" action="/qr/${ctx.params.token ?? ''}/scan">
                  <div class="card">
                    <p class="subject">用哪个沙箱买家扫码</p>
                    ${buyerPicker(deps, ctx.cookies.get(BUYER_COOKIE))}
                  </div>
                  <button class="primary" type="submit">扫码付款</button>
                </form>`
              : ''
          }`,
      ),
      open || order.status === 'traded' ? 200 : 410,
    );
  });

  router.post('/qr/:token/scan', async (ctx) => {
    const order = load(ctx.params.token ?? '');
    const form = await readPageForm(ctx, QrScanForm, TITLE);
    pageBuyer(deps, TITLE, form.buyer_id);
    try {
      const trade = tradeFromOrder(deps, order.id, form.buyer_id);
      ctx.cookies.set(BUYER_COOKIE, form.buyer_id, { httpOnly: true, sameSite: 'lax', overwrite: true });
      ctx.redirect(`/cashier?trade_no=${trade.tradeNo}`);
    } catch (error) {
      if (error instanceof BusinessError)
        throw new PageError(409, TITLE, `${error.subCode}：${error.subMsg}`);
      throw error;
    }
  });
  return router;
}
