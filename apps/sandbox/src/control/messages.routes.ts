import { Router } from '@koa/router';
import type { Deps } from '../deps';
import { NotFoundError } from '../errors';
import { readJson, readParams, readQuery } from '../http/body';
import { HttpError } from '../http/http-error';
import { grantAgreements, receivedMessages } from '../messages/messages.service';
import { GrantSubscriptions, NoQuery, SubscriptionsQuery, UserIdParam } from './schemas';
import { messageView, subscriptionsView } from './views';

/**
 * Control API: a buyer's one-time subscription agreements (given here as the subscribe page would record them) and
 * the messages alipay.open.app.mini.templatemessage.send delivered to them.
 */
export function messagesRouter(deps: Deps): Router {
  const router = new Router({ prefix: '/sandbox' });
  const { accounts, messages } = deps.store;

  const buyerOf = (params: Record<string, string>) => {
    const { userId } = readParams(params, UserIdParam);
    const buyer = accounts.findBuyer(userId);
    if (!buyer) throw new NotFoundError(`buyer ${userId} does not exist`);
    return buyer;
  };
  const registeredApp = (appId: string | undefined) => {
    const id = appId ?? deps.config.appId;
    if (!accounts.findApp(id)) {
      throw new HttpError(400, 'VALIDATION_ERROR', `app ${id} is not registered (POST /sandbox/apps first)`);
    }
    return id;
  };

  router.get('/buyers/:userId/subscriptions', (ctx) => {
    const query = readQuery(ctx, SubscriptionsQuery);
    const buyer = buyerOf(ctx.params);
    const appId = registeredApp(query.appId);
    ctx.body = subscriptionsView(appId, buyer.userId, messages.remainingAgreements(appId, buyer.userId));
  });

  router.post('/buyers/:userId/subscriptions', async (ctx) => {
    const input = await readJson(ctx, GrantSubscriptions);
    const buyer = buyerOf(ctx.params);
    const appId = registeredApp(input.appId);
    const unknown = input.templateIds.find((id) => !messages.findTemplate(appId, id));
    if (unknown !== undefined) {
      throw new HttpError(
        400,
        'VALIDATION_ERROR',
        `invalid body: templateIds: ${unknown} is not a message template of app ${appId}`,
      );
    }
    const remaining = grantAgreements(deps, {
      appId,
      buyerUserId: buyer.userId,
      templateIds: input.templateIds,
      source: 'control',
    });
    ctx.status = 201;
    ctx.body = subscriptionsView(appId, buyer.userId, remaining);
  });

  router.get('/buyers/:userId/messages', (ctx) => {
    readQuery(ctx, NoQuery);
    const buyer = buyerOf(ctx.params);
    ctx.body = { messages: receivedMessages(deps, buyer.userId).map(messageView) };
  });
  return router;
}
