import { Router } from '@koa/router';
import { fenToYuan } from '@shop/alipay';
import { z } from 'zod';
import type { Deps } from '../deps';
import { maskLogonId } from '../notify/notify-fields';
import { AUTH_SCOPES, issueAuthCode } from '../oauth/oauth.service';
import { html, page } from './html';
import {
  BUYER_COOKIE,
  httpUrl,
  pageApp,
  pageBuyer,
  pageErrors,
  readPageForm,
  readPageQuery,
  sendPage,
  withParams,
} from './page-support';

/**
 * H5 web authorization (网页授权, https://opendocs.alipay.com/open/284/web): the shop sends the shopper to
 * `/oauth/authorize?app_id&scope&redirect_uri&state`; the shopper picks a sandbox buyer and agrees; the page redirects
 * to redirect_uri with `auth_code` and `state` (plus `app_id`, `scope` and `source`, as Alipay adds them).
 */

const TITLE = '支付宝授权';
const scope = z
  .string()
  .regex(/^[a-z_]+(,[a-z_]+)*$/, 'must be auth_base or auth_user')
  .refine((text) => text.split(',').every((s) => (AUTH_SCOPES as readonly string[]).includes(s)), {
    message: 'must be auth_base or auth_user',
  });

const AuthorizeQuery = z.object({
  app_id: z.string().min(1),
  scope,
  redirect_uri: httpUrl,
  state: z.string().max(256).optional(),
});

const AuthorizeForm = z.strictObject({
  app_id: z.string().min(1),
  scope,
  redirect_uri: httpUrl,
  state: z.string().max(256).optional(),
  buyer_id: z.string().min(1, 'choose a buyer'),
});

export function authorizeRouter(deps: Deps): Router {
  const router = new Router();
  router.use(pageErrors);

  router.get('/oauth/authorize', (ctx) => {
    const query = readPageQuery(ctx, AuthorizeQuery, TITLE);
    pageApp(deps, TITLE, query.app_id);
    const buyers = deps.store.accounts.listBuyers();
    const chosen = ctx.cookies.get(BUYER_COOKIE) ?? buyers[0]?.userId;
    const silent = query.scope === 'auth_base';
    sendPage(
      ctx,
      page(
        TITLE,
        html`<form method="post" action="/oauth/authorize">
          <div class="card">
            <p>
              应用
              <b>${query.app_id}</b>
              申请${silent ? '获取你的支付宝用户标识' : '获取你的支付宝账户信息（昵称、用户标识）'}。
            </p>
            <p class="subject">请选择用于登录的沙箱买家</p>
            ${buyers.map(
              (buyer) =>
                html`<label class="buyer"
                  ><input
                    type="radio"
                    name="buyer_id"
                    value="${buyer.userId}"
                    ${buyer.userId === chosen ? html`checked` : ''}
                  /><span
                    >${buyer.nickname}<br /><em>${maskLogonId(buyer.logonId)} · ${buyer.userId}</em></span
                  ><em>余额 ¥${fenToYuan(buyer.balanceFen)}</em></label
                >`,
            )}
          </div>
          <input type="hidden" name="app_id" value="${query.app_id}" />
          <input type="hidden" name="scope" value="${query.scope}" />
          <input type="hidden" name="redirect_uri" value="${query.redirect_uri}" />
          ${query.state === undefined ? '' : html`<input type="hidden" name="state" value="${query.state}" />`}
          <button class="primary" type="submit">同意授权</button>
        </form>`,
      ),
    );
  });

  router.post('/oauth/authorize', async (ctx) => {
    const form = await readPageForm(ctx, AuthorizeForm, TITLE);
    pageApp(deps, TITLE, form.app_id);
    const buyer = pageBuyer(deps, TITLE, form.buyer_id);
    const code = issueAuthCode(deps, { appId: form.app_id, userId: buyer.userId, scope: form.scope });
    ctx.cookies.set(BUYER_COOKIE, buyer.userId, { httpOnly: true, sameSite: 'lax', overwrite: true });
    deps.logger.info({ appId: form.app_id, userId: buyer.userId, scope: form.scope }, 'buyer authorized');
    ctx.redirect(
      withParams(form.redirect_uri, {
        app_id: form.app_id,
        source: 'alipay_wallet',
        scope: form.scope,
        auth_code: code.code,
        state: form.state,
      }),
    );
  });
  return router;
}
