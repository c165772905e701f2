import Router from '@koa/router';
import { NoQuery, SessionCreateBody } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { currentUser, requireShopper } from '../../http/auth';
import { rateLimit } from '../../http/rate-limit';
import { parseBody, parseQuery } from '../../http/validate';
import { createSession, endSession } from './service';

export function sessionRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const settings = { ttlMs: deps.env.SESSION_TTL_MS };

  router.post(
    '/api/session',
    rateLimit(deps.db, { name: 'session', windowMs: 60_000, max: deps.env.SESSION_RATE_LIMIT_PER_MINUTE }),
    async (ctx) => {
      parseQuery(ctx, NoQuery);
      const { authCode } = parseBody(ctx, SessionCreateBody);
      ctx.body = await createSession(deps.db, deps.alipay, settings, authCode);
      ctx.status = 201;
    },
  );

  router.delete('/api/session', requireShopper(deps.db, settings), async (ctx) => {
    parseQuery(ctx, NoQuery);
    await endSession(deps.db, currentUser(ctx.state).sessionId);
    ctx.status = 204;
  });

  return router;
}
