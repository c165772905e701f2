import Router from '@koa/router';
import { AuditLogQuery } from '@shop/contract';
import type { ApiDeps } from '../../../deps';
import { parseQuery } from '../../../http/validate';
import { adminAccess } from '../access';
import { listAuditLogs } from './service';

/** `GET /api/admin/audit-logs` (owner): the audit log, filtered and paged. */
export function adminAuditRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const access = adminAccess(deps);

  router.get('/api/admin/audit-logs', access.requirePermission('audit.read'), async (ctx) => {
    ctx.body = await listAuditLogs(deps.db, parseQuery(ctx, AuditLogQuery));
  });

  return router;
}
