import { Router } from '@koa/router';
import { fenToYuan, formatChinaTime } from '@shop/alipay';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import { maskLogonId } from '../notify/notify-fields';
import type { Buyer, Trade } from '../store/types';
import { payTrade } from '../trades/payments.service';
import { isPaid } from '../trades/trade-state';
import { expireIfDue } from '../trades/trades.service';
import { html, page, type SafeHtml } from './html';
import {
  BUYER_COOKIE,
  httpUrl,
  pageErrors,
  PageError,
  readPageForm,
  readPageQuery,
  sendPage,
  withParams,
} from './page-support';

/**
 * The H5 cashier standing in for `my.tradePay({ tradeNO })`: shows the trade, pays or cancels, and returns to
 * return_url with the resultCode my.tradePay would resolve with (9000 paid, 6001 cancelled, 4000 failed) and
 * trade_no. Only the trade's buyer can pay: a different buyer remembered from the authorize page is refused.
 * https://opendocs.alipay.com/mini/api/openapi-pay
 */

const TITLE = '支付宝收银台';
const CashierQuery = z.object({ trade_no: z.string().min(1).max(64), return_url: httpUrl.optional() });
const CashierForm = z.strictObject({ trade_no: z.string().min(1).max(64), return_url: httpUrl.optional() });

function payerProblem(trade: Trade, cookieBuyer: Buyer | undefined): string | null {
  if (trade.status === 'TRADE_CLOSED') return '交易已关闭，无法付款。';
  if (isPaid(trade.status)) return '这笔交易已经支付。';
  if (cookieBuyer && cookieBuyer.userId !== trade.buyerUserId) {
    return `当前登录的买家（${cookieBuyer.nickname}，${cookieBuyer.userId}）不是这笔交易的付款人，无法付款。`;
  }
  return null;
}

function resultPage(code: string, memo: string, trade: Trade): string {
  return page(
    TITLE,
    html`<div class="card">
      <div class="notice${code === '9000' ? '' : ' error'}">${memo}</div>
      <dl>
        <dt>resultCode</dt>
        <dd>${code}</dd>
        <dt>交易号</dt>
        <dd>${trade.tradeNo}</dd>
      </dl>
    </div>`,
  );
}

function finish(ctx: Context, returnUrl: string | undefined, code: string, memo: string, trade: Trade): void {
  if (returnUrl) {
    ctx.redirect(
      withParams(returnUrl, {
        resultCode: code,
        trade_no: trade.tradeNo,
        memo: code === '9000' ? undefined : memo,
      }),
    );
  } else {
    sendPage(ctx, resultPage(code, memo, trade));
  }
}

export function cashierRouter(deps: Deps): Router {
  const router = new Router();
  router.use(pageErrors);

  const load = (ctx: Context, tradeNo: string) => {
    const trade = deps.store.trades.find(tradeNo);
    if (!trade) throw new PageError(404, TITLE, `交易 ${tradeNo} 不存在`);
    const cookie = ctx.cookies.get(BUYER_COOKIE);
    return {
      trade: expireIfDue(deps, trade),
      buyer: deps.store.accounts.findBuyer(trade.buyerUserId),
      cookieBuyer: cookie ? deps.store.accounts.findBuyer(cookie) : undefined,
    };
  };

  router.get('/cashier', (ctx) => {
    const query = readPageQuery(ctx, CashierQuery, TITLE);
    const { trade, buyer, cookieBuyer } = load(ctx, query.trade_no);
    const problem = payerProblem(trade, cookieBuyer);
    const hidden: SafeHtml = html`<input type="hidden" name="trade_no" value="${trade.tradeNo}" />${
        query.return_url === undefined
          ? ''
          : html`<input type="hidden" name="return_url" value="${query.return_url}" />`
      }`;
    sendPage(
      ctx,
      page(
        TITLE,
        html`<div class="card">
            <div class="amount">¥${fenToYuan(trade.totalFen)}</div>
            <div class="subject">${trade.subject}</div>
            <dl>
              <dt>付款账户</dt>
              <dd>${buyer ? html`${buyer.nickname}（${maskLogonId(buyer.logonId)}）` : trade.buyerUserId}</dd>
              <dt>账户余额</dt>
              <dd>${buyer ? `¥${fenToYuan(buyer.balanceFen)}` : '-'}</dd>
              <dt>商户订单号</dt>
              <dd>${trade.outTradeNo}</dd>
              <dt>支付宝交易号</dt>
              <dd>${trade.tradeNo}</dd>
              <dt>创建时间</dt>
              <dd>${formatChinaTime(trade.createdAt)}</dd>
            </dl>
          </div>
          ${problem ? html`<div class="notice error">${problem}</div>` : ''}
          ${problem ? '' : html`<form method="post" action="/cashier/pay">${hidden}<button class="primary" type="submit">确认付款</button></form>`}
          <form method="post" action="/cashier/cancel">
            ${hidden}<button class="secondary" type="submit">${problem ? '返回商户' : '取消'}</button>
          </form>`,
      ),
    );
  });

  router.post('/cashier/pay', async (ctx) => {
    const form = await readPageForm(ctx, CashierForm, TITLE);
    const { cookieBuyer } = load(ctx, form.trade_no);
    const outcome = payTrade(deps, form.trade_no, { payerUserId: cookieBuyer?.userId, via: 'cashier' });
    finish(ctx, form.return_url, outcome.resultCode, outcome.memo, outcome.trade);
  });

  router.post('/cashier/cancel', async (ctx) => {
    const form = await readPageForm(ctx, CashierForm, TITLE);
    const { trade, cookieBuyer } = load(ctx, form.trade_no);
    // Leaving a trade that cannot be paid is a failure (4000); leaving a payable one is the user cancelling (6001).
    const problem = payerProblem(trade, cookieBuyer);
    deps.store.trades.insertEvent(
      trade.tradeNo,
      'cashier_left',
      { resultCode: problem ? '4000' : '6001' },
      deps.clock.now(),
    );
    finish(ctx, form.return_url, problem ? '4000' : '6001', problem ?? '用户取消支付', trade);
  });
  return router;
}
