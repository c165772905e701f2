import type { AdminPermission, AdminRole } from '@shop/contract';
import type { Context, Middleware } from 'koa';
import type { ApiDeps } from '../../deps';
import { adminActor, requireAdmin, requirePermission } from '../../http/admin-auth';
import { audit, type AdminActor, type Auditor } from './audit/service';
import { adminAuthSettings } from './settings';

/**
 * What a module with admin routes needs from the admin module, bound to the API's database and settings: the
 * session middleware (by roles or by permission), the acting admin, and the audit log. The reconciliation
 * router takes exactly this shape (its `AdminAccess`).
 */
export interface AdminAccessPoint {
  requireAdmin(roles: readonly AdminRole[]): Middleware;
  requirePermission(permission: AdminPermission): Middleware;
  actor(ctx: Context): AdminActor;
  audit: Auditor;
}

export function adminAccess(deps: Pick<ApiDeps, 'db' | 'env'>): AdminAccessPoint {
  const settings = adminAuthSettings(deps.env);
  return {
    requireAdmin: (roles) => requireAdmin(deps.db, settings, roles),
    requirePermission: (permission) => requirePermission(deps.db, settings, permission),
    actor: adminActor,
    audit,
  };
}
