import { Router } from '@koa/router';
import { formatChinaTime } from '@shop/alipay';
import { z } from 'zod';
import type { Deps } from '../deps';
import { receivedMessages } from '../messages/messages.service';
import { html, page } from './html';
import { pageBuyer, pageErrors, readPageQuery, sendPage } from './page-support';

/**
 * What a buyer would see in Alipay's message list (服务提醒): every message alipay.open.app.mini.templatemessage.send
 * delivered to them, newest first, as cards with the template's title, each keyword's label and value, the page the
 * card opens, and the time in China time. The JSON twin is GET /sandbox/buyers/:userId/messages.
 */

const TITLE = '支付宝 消息';
const MessagesQuery = z.object({
  buyer_id: z.string().regex(/^2088\d{12}$/, 'must be a 16-digit user id starting 2088'),
});

export function messagesPageRouter(deps: Deps): Router {
  const router = new Router();
  router.use(pageErrors);

  router.get('/sandbox/messages', (ctx) => {
    const query = readPageQuery(ctx, MessagesQuery, TITLE);
    const buyer = pageBuyer(deps, TITLE, query.buyer_id, 404);
    const received = receivedMessages(deps, buyer.userId);
    const remaining = deps.store.messages.remainingAgreements(deps.config.appId, buyer.userId);
    const others = deps.store.accounts.listBuyers().filter((other) => other.userId !== buyer.userId);
    sendPage(
      ctx,
      page(
        TITLE,
        html`<div class="card">
            <p>
              <b>${buyer.nickname}</b>
              （${buyer.userId}）收到的消息：${received.length} 条，最新的在前
            </p>
            ${
              remaining.length === 0
                ? ''
                : html`<p class="subject">
                    应用 ${deps.config.appId}
                    还可发送：${remaining
                      .map(({ template, remaining: count }) => `${template.title} ${count} 条`)
                      .join('，')}
                  </p>`
            }
            <p class="subject">
              其他买家：${others.map(
                (other) => html`<a href="/sandbox/messages?buyer_id=${other.userId}">${other.nickname}</a> `,
              )}
            </p>
          </div>
          ${received.length === 0 ? html`<div class="notice">还没有收到消息</div>` : ''}
          ${received.map(
            ({ message, template }) =>
              html`<div class="card" data-testid="sandbox-message">
                <p><b>${template.title}</b></p>
                <dl>
                  ${template.keywords.map(
                    (keyword) =>
                      html`<dt>${keyword.label}</dt>
                        <dd>${message.data[keyword.key] ?? ''}</dd>`,
                  )}
                  <dt>跳转页面</dt>
                  <dd>${message.page}</dd>
                  <dt>应用</dt>
                  <dd>${message.appId}</dd>
                  <dt>收到时间</dt>
                  <dd>${formatChinaTime(message.createdAt)}（北京时间）</dd>
                </dl>
              </div>`,
          )}`,
      ),
    );
  });
  return router;
}
