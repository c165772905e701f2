import { Router } from '@koa/router';
import { z } from 'zod';
import type { Deps } from '../deps';
import { grantAgreements } from '../messages/messages.service';
import { maskLogonId } from '../notify/notify-fields';
import type { Buyer, MessageTemplate } from '../store/types';
import { html, page } from './html';
import {
  httpUrl,
  pageApp,
  pageBuyer,
  PageError,
  pageErrors,
  readPageForm,
  readPageQuery,
  sendPage,
  withParams,
} from './page-support';

/**
 * The H5 stand-in for `my.requestSubscribeMessage({ entityIds })`
 * (https://opendocs.alipay.com/mini/api/requestSubscribeMessage):
 * `/sandbox/subscribe?app_id&buyer_id&template_ids=id1,id2&return_url` shows the app asking to send those messages,
 * each checked by default. 允许 records one one-time agreement per checked template and 拒绝 records none; either
 * way the browser goes to return_url with `subscribe_result`, the accepted ids joined by commas (empty when none).
 * At most three templates per request, as my.requestSubscribeMessage allows.
 */

const TITLE = '支付宝 订阅消息';
/** my.requestSubscribeMessage takes at most three entityIds. */
const MAX_TEMPLATES = 3;

const templateIds = z
  .string()
  .min(1, 'give one to three template ids')
  .transform((text) => text.split(','))
  .pipe(
    z
      .array(z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'))
      .max(MAX_TEMPLATES, `give at most ${MAX_TEMPLATES} template ids`)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'must not repeat a template id' }),
  );

const fields = {
  app_id: z.string().regex(/^\d{16}$/, 'must be a 16-digit app id'),
  buyer_id: z.string().regex(/^2088\d{12}$/, 'must be a 16-digit user id starting 2088'),
  template_ids: templateIds,
  return_url: httpUrl,
};

const SubscribeQuery = z.object(fields);

/** Checkboxes are named by position (`accept_0` ...) and carry their template id, so the form reads as a flat record. */
const SubscribeForm = z.strictObject({
  ...fields,
  decision: z.enum(['accept', 'reject'], { error: 'must be accept or reject' }),
  accept_0: z.string().optional(),
  accept_1: z.string().optional(),
  accept_2: z.string().optional(),
});

const checkbox = (index: number) => `accept_${index}` as 'accept_0' | 'accept_1' | 'accept_2';

interface SubscribeRequest {
  app_id: string;
  buyer_id: string;
  template_ids: string[];
}

/** The app, the buyer and every template must exist, and each template must be one the app registered. */
function load(deps: Deps, request: SubscribeRequest): { buyer: Buyer; templates: MessageTemplate[] } {
  pageApp(deps, TITLE, request.app_id);
  const buyer = pageBuyer(deps, TITLE, request.buyer_id);
  const templates = request.template_ids.map((id) => {
    const template = deps.store.messages.findTemplate(request.app_id, id);
    if (!template) throw new PageError(400, TITLE, `消息模板 ${id} 不是应用 ${request.app_id} 的模板`);
    return template;
  });
  return { buyer, templates };
}

export function subscribeRouter(deps: Deps): Router {
  const router = new Router();
  router.use(pageErrors);

  router.get('/sandbox/subscribe', (ctx) => {
    const query = readPageQuery(ctx, SubscribeQuery, TITLE);
    const { buyer, templates } = load(deps, query);
    sendPage(
      ctx,
      page(
        TITLE,
        html`<form method="post" action="/sandbox/subscribe">
          <div class="card">
            <p>
              应用
              <b>${query.app_id}</b>
              申请向你发送以下消息
            </p>
            <p class="subject">
              ${buyer.nickname}（${maskLogonId(buyer.logonId)}）· 一次性订阅：每次允许可收到一条该消息
            </p>
            ${templates.map(
              (template, index) =>
                html`<label class="option"
                  ><input
                    type="checkbox"
                    name="${checkbox(index)}"
                    value="${template.templateId}"
                    data-testid="subscribe-template-${template.kind}"
                    checked
                  /><span
                    >${template.title}<br /><em
                      >${template.keywords.map((keyword) => keyword.label).join('、')}</em
                    ></span
                  ></label
                >`,
            )}
          </div>
          <input type="hidden" name="app_id" value="${query.app_id}" />
          <input type="hidden" name="buyer_id" value="${query.buyer_id}" />
          <input type="hidden" name="template_ids" value="${query.template_ids.join(',')}" />
          <input type="hidden" name="return_url" value="${query.return_url}" />
          <button class="primary" type="submit" name="decision" value="accept" data-testid="subscribe-accept">
            允许
          </button>
          <button
            class="secondary"
            type="submit"
            name="decision"
            value="reject"
            data-testid="subscribe-reject"
          >
            拒绝
          </button>
        </form>`,
      ),
    );
  });

  router.post('/sandbox/subscribe', async (ctx) => {
    const form = await readPageForm(ctx, SubscribeForm, TITLE);
    const { buyer } = load(deps, form);
    // A checkbox must sit at the position of the template it names; anything else is a tampered form.
    for (let index = 0; index < MAX_TEMPLATES; index++) {
      const value = form[checkbox(index)];
      if (value !== undefined && value !== form.template_ids[index]) {
        throw new PageError(400, TITLE, `表单无效（${checkbox(index)}: 不是第 ${index + 1} 个消息模板）`);
      }
    }
    const accepted =
      form.decision === 'accept'
        ? form.template_ids.filter((_id, index) => form[checkbox(index)] !== undefined)
        : [];
    if (accepted.length > 0) {
      grantAgreements(deps, {
        appId: form.app_id,
        buyerUserId: buyer.userId,
        templateIds: accepted,
        source: 'page',
      });
    }
    ctx.redirect(withParams(form.return_url, { subscribe_result: accepted.join(',') }));
  });
  return router;
}
