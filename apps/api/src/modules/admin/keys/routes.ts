import Router from '@koa/router';
import { NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../../deps';
import { parseQuery } from '../../../http/validate';
import { adminAccess } from '../access';
import { keySettings } from './service';

/** `GET /api/admin/settings/keys`: the address and Alipay keys in use and what uses them (owner). */
export function adminKeySettingsRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const access = adminAccess(deps);

  router.get('/api/admin/settings/keys', access.requirePermission('settings.read'), async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await keySettings(deps);
  });

  return router;
}
