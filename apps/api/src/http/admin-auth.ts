import { ADMIN_ROLES, rolesWith, type AdminPermission, type AdminRole } from '@shop/contract';
import type { Context, Middleware } from 'koa';
import type { Db } from '../db';
import { bearerToken } from '../lib/tokens';
import { writeAudit, type AdminActor } from '../modules/admin/audit/service';
import {
  authenticateAdmin,
  type AdminSessionSettings,
  type AuthenticatedAdmin,
} from '../modules/admin/auth/service';
import { AppError } from '../errors';

/**
 * Admits a signed-in admin whose role is one of `roles` (every role by default) and sets ctx.state.admin. No valid
 * session: 401 UNAUTHENTICATED (SESSION_EXPIRED when it lapsed). Another role: 403 FORBIDDEN. Runs before the
 * handler parses anything, so a request without a session is a 401 whatever its input.
 */
export function requireAdmin(
  db: Db,
  settings: AdminSessionSettings,
  roles: readonly AdminRole[] = ADMIN_ROLES,
): Middleware {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('authorization'));
    if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in required');
    const admin = await authenticateAdmin(db, settings, token);
    if (!roles.includes(admin.role)) {
      // A refused action is part of the record too: who tried what, from where (the audit log's 越权操作被拒绝).
      await writeAudit(db, {
        adminId: admin.id,
        actorName: admin.displayName,
        action: 'access.denied',
        targetType: 'Route',
        targetId: `${ctx.method} ${ctx.path}`.slice(0, 200),
        beforeJson: null,
        afterJson: JSON.stringify({ role: admin.role, allowedRoles: roles }),
        ip: ctx.ip || null,
      });
      throw new AppError('FORBIDDEN', 'Your role may not do this', {
        details: { role: admin.role, allowedRoles: roles },
      });
    }
    ctx.state.admin = admin;
    // Merchant data (names, addresses, money) must not linger in shared or browser caches.
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

/** `requireAdmin` for the roles holding a permission (`ROLE_PERMISSIONS` in @shop/contract). */
export function requirePermission(
  db: Db,
  settings: AdminSessionSettings,
  permission: AdminPermission,
): Middleware {
  return requireAdmin(db, settings, rolesWith(permission));
}

export function currentAdmin(ctx: Context): AuthenticatedAdmin {
  const admin = ctx.state.admin as AuthenticatedAdmin | undefined;
  if (!admin) throw new AppError('UNAUTHENTICATED', 'Sign in required');
  return admin;
}

/** The admin requireAdmin admitted, as services take it: id, display name, role and the client address. */
export function adminActor(ctx: Context): AdminActor {
  const admin = currentAdmin(ctx);
  return { id: admin.id, name: admin.displayName, role: admin.role, ip: ctx.ip || null };
}
