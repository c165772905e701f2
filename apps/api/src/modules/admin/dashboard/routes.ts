import Router from '@koa/router';
import { NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../../deps';
import { parseQuery } from '../../../http/validate';
import { adminAccess } from '../access';
import { getDashboard } from './service';

/** `GET /api/admin/dashboard`: money per day and what needs attention. */
export function adminDashboardRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const access = adminAccess(deps);

  router.get('/api/admin/dashboard', access.requirePermission('dashboard.read'), async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await getDashboard(deps.db);
  });

  return router;
}
