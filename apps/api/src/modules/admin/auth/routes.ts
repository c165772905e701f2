import Router from '@koa/router';
import { AdminSignInBody, NoQuery, ROLE_PERMISSIONS, type AdminMeResponse } from '@shop/contract';
import type { ApiDeps } from '../../../deps';
import { currentAdmin } from '../../../http/admin-auth';
import { parseBody, parseQuery } from '../../../http/validate';
import { adminAccess } from '../access';
import { adminAuthSettings } from '../settings';
import { adminProfile, prepareSignIn, signIn, signOut } from './service';

/** `POST /api/admin/session` (sign in), `DELETE /api/admin/session` (sign out), `GET /api/admin/me`. */
export function adminAuthRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const settings = adminAuthSettings(deps.env);
  const access = adminAccess(deps);
  const signedIn = access.requireAdmin(['owner', 'staff']);
  // A failure here resurfaces (and is reported) on the first sign-in that needs the hash.
  prepareSignIn().catch(() => undefined);

  router.post('/api/admin/session', async (ctx) => {
    parseQuery(ctx, NoQuery);
    const { username, password } = parseBody(ctx, AdminSignInBody);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await signIn(deps.db, settings, { username, password, ip: ctx.ip });
    ctx.status = 201;
  });

  router.delete('/api/admin/session', signedIn, async (ctx) => {
    parseQuery(ctx, NoQuery);
    await signOut(deps.db, access.actor(ctx), currentAdmin(ctx).sessionId);
    ctx.status = 204;
  });

  router.get('/api/admin/me', signedIn, (ctx) => {
    parseQuery(ctx, NoQuery);
    const admin = currentAdmin(ctx);
    const body: AdminMeResponse = {
      admin: adminProfile(admin),
      permissions: [...ROLE_PERMISSIONS[admin.role]],
      expiresAt: admin.sessionExpiresAt.toISOString(),
    };
    ctx.body = body;
  });

  return router;
}
