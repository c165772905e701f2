import Router from '@koa/router';
import { NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { parseQuery } from '../../http/validate';

export function healthRoutes(deps: ApiDeps): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    // A trivial query proves the database file is open and readable.
    await deps.db.$queryRaw`SELECT 1`;
    ctx.body = { status: 'ok', time: new Date().toISOString() };
  });
  // The cheapest answer the API gives: every middleware runs, nothing else does (no database, no I/O). The
  // benchmarks measure it as this machine's ceiling and report every other route as a fraction of it.
  router.get('/api/ping', (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = { ok: true };
  });
  return router;
}
