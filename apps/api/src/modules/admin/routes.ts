import type Router from '@koa/router';
import type { ApiDeps } from '../../deps';
import { adminAfterSaleRoutes } from '../after-sales/routes';
import { adminMediaRoutes } from '../media/routes';
import { adminOutboxRoutes } from '../outbox/admin.routes';
import { reconciliationAdminRoutes } from '../reconciliation/routes';
import { adminAccess } from './access';
import { adminAuditRoutes } from './audit/routes';
import { adminAuthRoutes } from './auth/routes';
import { adminDashboardRoutes } from './dashboard/routes';
import { adminKeySettingsRoutes } from './keys/routes';
import { adminOrderRoutes } from './orders/routes';
import { adminProductRoutes } from './products/routes';
import { adminStaffRoutes } from './staff/routes';

/**
 * Every router under `/api/admin/`, for app.ts's MODULE_ROUTES: the admin module's own, and reconciliation's, which
 * takes the admin session middleware, the acting admin and the audit writer from here.
 */
export const ADMIN_ROUTES: ReadonlyArray<(deps: ApiDeps) => Router> = [
  adminAuthRoutes,
  adminOrderRoutes,
  adminAfterSaleRoutes,
  adminMediaRoutes,
  adminProductRoutes,
  adminDashboardRoutes,
  adminAuditRoutes,
  adminStaffRoutes,
  adminKeySettingsRoutes,
  adminOutboxRoutes,
  (deps) => reconciliationAdminRoutes(deps, adminAccess(deps)),
];
