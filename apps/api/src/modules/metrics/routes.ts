import Router from '@koa/router';
import { NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { requireMetricsToken } from '../../http/metrics';
import { parseQuery } from '../../http/validate';
import { metricsRegistry } from '../../lib/metrics';
import { renderMetrics } from './service';

/**
 * `GET /metrics` in Prometheus's text format, for a scraper holding METRICS_TOKEN. Without a token configured the
 * route does not exist (404, like any unknown path), so metrics are never public by default.
 */
export function metricsRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const token = deps.env.METRICS_TOKEN;
  if (!token) return router;
  router.get('/metrics', requireMetricsToken(token), async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.set('cache-control', 'no-store');
    ctx.type = metricsRegistry.contentType;
    ctx.body = await renderMetrics(deps.db);
  });
  return router;
}
