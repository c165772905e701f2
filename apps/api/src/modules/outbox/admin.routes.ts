import Router from '@koa/router';
import {
  AdminIdParams,
  AdminNotificationQuery,
  NoBody,
  NoQuery,
  WebhookDeliveryQuery,
  WebhookEndpointBody,
  WebhookEndpointUpdateBody,
} from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { parseBody, parseParams, parseQuery } from '../../http/validate';
import { adminAccess } from '../admin/access';
import { listNotifications, markRead, unreadCount } from './notifications.service';
import {
  createEndpoint,
  deleteEndpoint,
  listDeliveries,
  listEndpoints,
  resendWebhookDelivery,
  rotateSecret,
  updateEndpoint,
} from './webhooks.service';

/** `/api/admin/webhooks...` (owner) and `/api/admin/notifications...` (every admin). */
export function adminOutboxRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const access = adminAccess(deps);
  const owners = access.requirePermission('webhooks.manage');
  const readers = access.requirePermission('notifications.read');

  router.get('/api/admin/webhooks', owners, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await listEndpoints(deps.db);
  });

  router.post('/api/admin/webhooks', owners, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await createEndpoint(deps.db, access.actor(ctx), parseBody(ctx, WebhookEndpointBody));
    ctx.status = 201;
  });

  router.patch('/api/admin/webhooks/:id', owners, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await updateEndpoint(
      deps.db,
      access.actor(ctx),
      id,
      parseBody(ctx, WebhookEndpointUpdateBody),
    );
  });

  router.delete('/api/admin/webhooks/:id', owners, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    await deleteEndpoint(deps.db, access.actor(ctx), id);
    ctx.status = 204;
  });

  router.post('/api/admin/webhooks/:id/rotate-secret', owners, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, NoBody);
    ctx.body = await rotateSecret(deps.db, deps.env, access.actor(ctx), id);
  });

  router.get('/api/admin/webhooks/:id/deliveries', owners, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    ctx.body = await listDeliveries(deps.db, id, parseQuery(ctx, WebhookDeliveryQuery));
  });

  router.post('/api/admin/webhook-deliveries/:id/resend', owners, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, NoBody);
    await resendWebhookDelivery(deps.db, access.actor(ctx), id);
    ctx.status = 204;
  });

  router.get('/api/admin/notifications', readers, async (ctx) => {
    const query = parseQuery(ctx, AdminNotificationQuery);
    ctx.body = await listNotifications(deps.db, access.actor(ctx).id, query);
  });

  router.get('/api/admin/notifications/unread', readers, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = { unreadCount: await unreadCount(deps.db, access.actor(ctx).id) };
  });

  router.post('/api/admin/notifications/read', readers, async (ctx) => {
    parseQuery(ctx, NoQuery);
    parseBody(ctx, NoBody);
    const adminId = access.actor(ctx).id;
    await markRead(deps.db, adminId);
    ctx.body = { unreadCount: await unreadCount(deps.db, adminId) };
  });

  return router;
}
