import Router from '@koa/router';
import { AdminDeactivateBody, AdminIdParams, AdminStaffCreateBody, NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../../deps';
import { parseBody, parseParams, parseQuery } from '../../../http/validate';
import { adminAccess } from '../access';
import { createStaff, deactivateStaff, listAccounts } from './service';

/** `/api/admin/staff...` (owner only). */
export function adminStaffRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const access = adminAccess(deps);
  const owners = access.requirePermission('staff.manage');

  router.get('/api/admin/staff', owners, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await listAccounts(deps.db);
  });

  router.post('/api/admin/staff', owners, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await createStaff(deps.db, access.actor(ctx), parseBody(ctx, AdminStaffCreateBody));
    ctx.status = 201;
  });

  router.post('/api/admin/staff/:id/deactivate', owners, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, AdminDeactivateBody);
    ctx.body = await deactivateStaff(deps.db, access.actor(ctx), id);
  });

  return router;
}
