import Router from '@koa/router';
import {
  AdminAfterSaleListQuery,
  AfterSaleCreateBody,
  AfterSaleParams,
  AfterSaleRefuseBody,
  AfterSaleReturnBody,
  NoBody,
  NoQuery,
  OrderParams,
  type ShopInfo,
} from '@shop/contract';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { currentUser, requireShopper } from '../../http/auth';
import { parseBody, parseParams, parseQuery } from '../../http/validate';
import { adminAccess } from '../admin/access';
import { listAdminAfterSales, listMyAfterSales } from './query';
import { confirmReceived } from './receipt.service';
import {
  approveAfterSale,
  cancelAfterSale,
  confirmReturnReceived,
  createAfterSale,
  readView,
  refuseAfterSale,
  submitReturn,
} from './service';

export const MyListQuery = z.strictObject({ orderId: OrderParams.shape.id.optional() });

/** The shopper's after-sales routes, 确认收货, and what 联系商家 shows. */
export function afterSaleRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const shopper = requireShopper(deps.db, { ttlMs: deps.env.SESSION_TTL_MS });
  const userId = (ctx: { state: Record<string, unknown> }) => currentUser(ctx.state).id;

  router.get('/api/shop-info', (ctx) => {
    parseQuery(ctx, NoQuery);
    const { SHOP_NAME: name, SHOP_SERVICE_PHONE: phone, SHOP_SERVICE_HOURS: hours } = deps.env;
    ctx.body = { name, phone, hours } satisfies ShopInfo;
  });

  router.post('/api/orders/:id/after-sales', shopper, async (ctx) => {
    const { id } = parseParams(ctx, OrderParams);
    parseQuery(ctx, NoQuery);
    const body = parseBody(ctx, AfterSaleCreateBody);
    ctx.status = 201;
    ctx.body = await createAfterSale(deps, { userId: userId(ctx), orderId: id, body });
  });

  router.post('/api/orders/:id/receive', shopper, async (ctx) => {
    const { id } = parseParams(ctx, OrderParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, NoBody);
    ctx.body = await confirmReceived(deps, { userId: userId(ctx), orderId: id });
  });

  router.get('/api/after-sales', shopper, async (ctx) => {
    const { orderId } = parseQuery(ctx, MyListQuery);
    ctx.body = await listMyAfterSales(deps.db, userId(ctx), orderId);
  });

  router.get('/api/after-sales/:id', shopper, async (ctx) => {
    const { id } = parseParams(ctx, AfterSaleParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await readView(deps, id, userId(ctx));
  });

  router.post('/api/after-sales/:id/cancel', shopper, async (ctx) => {
    const { id } = parseParams(ctx, AfterSaleParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, NoBody);
    ctx.body = await cancelAfterSale(deps, { userId: userId(ctx), afterSaleId: id });
  });

  router.post('/api/after-sales/:id/return', shopper, async (ctx) => {
    const { id } = parseParams(ctx, AfterSaleParams);
    parseQuery(ctx, NoQuery);
    const body = parseBody(ctx, AfterSaleReturnBody);
    ctx.body = await submitReturn(deps, { userId: userId(ctx), afterSaleId: id, body });
  });

  return router;
}

/** `/api/admin/after-sales...`: list with the badge count and detail (readers), approve, refuse, receive (owner). */
export function adminAfterSaleRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const access = adminAccess(deps);
  const readers = access.requirePermission('orders.read');
  const deciders = access.requirePermission('orders.refund');

  router.get('/api/admin/after-sales', readers, async (ctx) => {
    ctx.body = await listAdminAfterSales(deps.db, parseQuery(ctx, AdminAfterSaleListQuery));
  });

  router.get('/api/admin/after-sales/:id', readers, async (ctx) => {
    const { id } = parseParams(ctx, AfterSaleParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await readView(deps, id);
  });

  router.post('/api/admin/after-sales/:id/approve', deciders, async (ctx) => {
    const { id } = parseParams(ctx, AfterSaleParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, NoBody);
    ctx.body = await approveAfterSale(deps, access.actor(ctx), id);
  });

  router.post('/api/admin/after-sales/:id/refuse', deciders, async (ctx) => {
    const { id } = parseParams(ctx, AfterSaleParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await refuseAfterSale(deps, access.actor(ctx), id, parseBody(ctx, AfterSaleRefuseBody));
  });

  router.post('/api/admin/after-sales/:id/receive', deciders, async (ctx) => {
    const { id } = parseParams(ctx, AfterSaleParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, NoBody);
    ctx.body = await confirmReturnReceived(deps, access.actor(ctx), id);
  });

  return router;
}
