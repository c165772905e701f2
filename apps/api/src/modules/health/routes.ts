import Router from '@koa/router';
import { NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { parseQuery } from '../../http/validate';
import { checkReadiness, shippedMigrations } from './service';

export function healthRoutes(deps: ApiDeps): Router {
  const router = new Router();
  // Liveness: the process answers and the database answers. `instance` names this process (API_INSTANCE_ID), so
  // the start script can tell its own API from another program listening on the same port.
  router.get('/healthz', async (ctx) => {
    // A trivial query proves the database file is open and readable.
    await deps.db.$queryRaw`SELECT 1`;
    ctx.body = { status: 'ok', instance: deps.env.API_INSTANCE_ID, time: new Date().toISOString() };
  });
  // Readiness, for a load balancer or a rolling restart: 200 once the database answers and every migration this
  // build ships is applied, 503 with the reason otherwise.
  const expected = shippedMigrations(deps.env.DATABASE.engine);
  router.get('/readyz', async (ctx) => {
    parseQuery(ctx, NoQuery);
    const readiness = await checkReadiness(deps.db, expected);
    ctx.set('cache-control', 'no-store');
    if (readiness.ready) {
      ctx.body = { status: 'ready', instance: deps.env.API_INSTANCE_ID, migrations: readiness.migrations };
      return;
    }
    ctx.status = 503;
    ctx.body = { status: 'not-ready', instance: deps.env.API_INSTANCE_ID, ...readiness };
  });
  // The cheapest answer the API gives: every middleware runs, nothing else does (no database, no I/O). The
  // benchmarks measure it as this machine's ceiling and report every other route as a fraction of it.
  router.get('/api/ping', (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = { ok: true };
  });
  return router;
}
