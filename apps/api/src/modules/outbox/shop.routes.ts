import Router from '@koa/router';
import { MessageAgreementBody, NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { AppError } from '../../errors';
import { currentUser, requireShopper } from '../../http/auth';
import { parseBody, parseQuery } from '../../http/validate';
import {
  listMessages,
  messageTemplates,
  recordAgreements,
  remainingAgreements,
  UnknownTemplateError,
} from './messages';

/**
 * The shopper's subscription messages: the templates to ask for at checkout, the agreements they gave, and the
 * messages sent (我的 › 消息).
 */
export function shopOutboxRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const shopper = requireShopper(deps.db, { ttlMs: deps.env.SESSION_TTL_MS });

  router.get('/api/message-templates', (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = { templates: messageTemplates(deps.env) };
  });

  router.get('/api/me/message-agreements', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = { remaining: await remainingAgreements(deps.db, deps.env, currentUser(ctx.state).id) };
  });

  router.post('/api/me/message-agreements', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    const { templateIds } = parseBody(ctx, MessageAgreementBody);
    try {
      ctx.body = {
        remaining: await recordAgreements(deps.db, deps.env, currentUser(ctx.state).id, templateIds),
      };
    } catch (error) {
      if (!(error instanceof UnknownTemplateError)) throw error;
      throw new AppError('VALIDATION_ERROR', error.message, {
        details: { fields: [{ path: 'body.templateIds', message: 'not one of the shop’s templates' }] },
      });
    }
    ctx.status = 201;
  });

  router.get('/api/me/messages', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = { items: await listMessages(deps.db, currentUser(ctx.state).id) };
  });

  return router;
}
