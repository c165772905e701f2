import Router from '@koa/router';
import type { ApiDeps } from '../../deps';

export function healthRoutes(deps: ApiDeps): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    // A trivial query proves the database file is open and readable.
    await deps.db.$queryRaw`SELECT 1`;
    ctx.body = { status: 'ok', time: new Date().toISOString() };
  });
  return router;
}
