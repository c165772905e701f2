import type { ErrorBody } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../lib/tokens';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { ADMIN_ROUTES } from './routes';
import { createAdmin, demoAdmins, signInAdmin, type DemoAdmins } from './test-support';

/**
 * Who may call what, over every admin route. The routes are read from the routers themselves, so a route added
 * later is covered without touching this file; the owner-only list below is written out by hand, so it is a check
 * on the code rather than a copy of it.
 */

let sys: TestSystem;
let admins: DemoAdmins;

const OWNER_ONLY = [
  'POST /api/admin/orders/:id/refunds',
  'POST /api/admin/products',
  'PATCH /api/admin/products/:id',
  'POST /api/admin/products/:id/publish',
  'POST /api/admin/products/:id/unpublish',
  'PUT /api/admin/products/:id/skus/:skuId/price',
  'POST /api/admin/products/:id/skus/:skuId/stock-adjustments',
  'GET /api/admin/audit-logs',
  'GET /api/admin/settings/keys',
  'GET /api/admin/staff',
  'POST /api/admin/staff',
  'POST /api/admin/staff/:id/deactivate',
  'POST /api/admin/reconciliation/runs',
  'POST /api/admin/reconciliation/lines/:id/requery',
  'POST /api/admin/reconciliation/lines/:id/resolve',
  'POST /api/admin/after-sales/:id/approve',
  'POST /api/admin/after-sales/:id/refuse',
  'POST /api/admin/after-sales/:id/receive',
  'POST /api/admin/photos',
  'PUT /api/admin/products/:id/photos',
  'DELETE /api/admin/products/:id/photos/:photoId',
  'GET /api/admin/webhooks',
  'POST /api/admin/webhooks',
  'PATCH /api/admin/webhooks/:id',
  'DELETE /api/admin/webhooks/:id',
  'POST /api/admin/webhooks/:id/rotate-secret',
  'GET /api/admin/webhooks/:id/deliveries',
  'POST /api/admin/webhook-deliveries/:id/resend',
];

/** The only admin route open without a session. */
const SIGN_IN = 'POST /api/admin/session';

interface Route {
  method: string;
  path: string;
  key: string;
}

function adminRoutes(): Route[] {
  const routes = ADMIN_ROUTES.flatMap((factory) =>
    factory(sys.api.deps).stack.flatMap((layer) =>
      layer.methods
        .filter((method) => method !== 'HEAD')
        .map((method) => ({ method, path: String(layer.path), key: `${method} ${String(layer.path)}` })),
    ),
  );
  return routes.filter((route) => route.key !== SIGN_IN);
}

/** A concrete URL for a route pattern: well-formed ids that name nothing. */
function urlOf(path: string): string {
  return path
    .replace(':billDate', '2026-01-01')
    .replace(':skuId', 'sku-that-does-not-exist')
    .replace(':id', 'id-that-does-not-exist');
}

function call(route: Route, token?: string) {
  return sys.request<ErrorBody>(route.method, urlOf(route.path), {
    ...(token ? { token } : {}),
    ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} }),
  });
}

beforeAll(async () => {
  sys = await startTestSystem();
  admins = await demoAdmins(sys);
});
afterAll(() => sys.close());

describe('admin route table', () => {
  it('covers every area of the admin API', () => {
    const keys = adminRoutes().map((r) => r.key);
    expect(keys.length).toBeGreaterThanOrEqual(25);
    for (const key of OWNER_ONLY) expect(keys, key).toContain(key);
    for (const key of [
      'GET /api/admin/me',
      'DELETE /api/admin/session',
      'GET /api/admin/orders',
      'GET /api/admin/orders.csv',
      'GET /api/admin/orders/:id',
      'POST /api/admin/orders/:id/ship',
      'POST /api/admin/orders/:id/complete',
      'GET /api/admin/products',
      'GET /api/admin/dashboard',
      'GET /api/admin/reconciliation/days',
    ]) {
      expect(keys, key).toContain(key);
    }
  });
});

describe('without a valid session every admin endpoint is 401', () => {
  it('no Authorization header', async () => {
    for (const route of adminRoutes()) {
      const res = await call(route);
      expect(res.status, route.key).toBe(401);
      expect(res.body.error.code, route.key).toBe('UNAUTHENTICATED');
    }
  });

  it('a token nobody was given, a malformed token, and a shopper token', async () => {
    const shopperToken = await sys.signIn();
    for (const token of [newToken(), 'not-a-token', shopperToken]) {
      for (const route of adminRoutes()) {
        const res = await call(route, token);
        expect(res.status, `${route.key} with ${token}`).toBe(401);
      }
    }
  });

  it('an expired session (SESSION_EXPIRED) and a signed-out one', async () => {
    const admin = await createAdmin(sys, { role: 'owner' });
    const expired = await signInAdmin(sys, admin);
    await sys.db.adminSession.update({
      where: { tokenHash: hashToken(expired) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const signedOut = await signInAdmin(sys, admin);
    expect((await sys.request('DELETE', '/api/admin/session', { token: signedOut })).status).toBe(204);
    for (const route of adminRoutes()) {
      const late = await call(route, expired);
      expect(late.status, route.key).toBe(401);
      expect(late.body.error.code, route.key).toBe('SESSION_EXPIRED');
      expect((await call(route, signedOut)).status, route.key).toBe(401);
    }
  });

  it('a deactivated account, even with a session that was never revoked', async () => {
    const admin = await createAdmin(sys, { role: 'owner' });
    const token = await signInAdmin(sys, admin);
    await sys.db.admin.update({ where: { id: admin.id }, data: { active: false } });
    for (const route of adminRoutes()) expect((await call(route, token)).status, route.key).toBe(401);
  });
});

describe('roles', () => {
  it('staff get 403 FORBIDDEN on every owner-only route, and only the refusal is written (access.denied)', async () => {
    const auditRows = await sys.db.auditLog.count();
    const refused = adminRoutes().filter((r) => OWNER_ONLY.includes(r.key));
    for (const route of refused) {
      const res = await call(route, admins.staff.token);
      expect(res.status, route.key).toBe(403);
      expect(res.body.error.code, route.key).toBe('FORBIDDEN');
    }
    expect(await sys.db.auditLog.count()).toBe(auditRows + refused.length);
    const denied = await sys.db.auditLog.findMany({
      where: { action: 'access.denied', adminId: admins.staff.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(denied).toHaveLength(refused.length);
    expect(denied[0]).toMatchObject({ actorName: admins.staff.displayName, targetType: 'Route' });
    expect(JSON.parse(denied[0]!.afterJson ?? '{}')).toEqual({ role: 'staff', allowedRoles: ['owner'] });
  });

  it('staff pass the role check everywhere else, and owners everywhere', async () => {
    // Signing out would end the sessions this loop uses; sign-out has its own tests.
    for (const route of adminRoutes().filter((r) => r.key !== 'DELETE /api/admin/session')) {
      const asOwner = await call(route, admins.owner.token);
      expect([401, 403], `${route.key} as owner: ${asOwner.text}`).not.toContain(asOwner.status);
      expect(asOwner.status, `${route.key} as owner: ${asOwner.text}`).toBeLessThan(500);
      if (OWNER_ONLY.includes(route.key)) continue;
      const asStaff = await call(route, admins.staff.token);
      expect([401, 403], `${route.key} as staff: ${asStaff.text}`).not.toContain(asStaff.status);
      expect(asStaff.status, `${route.key} as staff: ${asStaff.text}`).toBeLessThan(500);
    }
  });
});
