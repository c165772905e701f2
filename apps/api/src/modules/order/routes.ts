import Router from '@koa/router';
import { IdempotencyKeyHeader, NoQuery, OrderCreateBody, OrderListQuery, OrderParams } from '@shop/contract';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { currentUser, requireShopper } from '../../http/auth';
import { validationError } from '../../errors';
import { parseBody, parseParams, parseQuery } from '../../http/validate';
import { cancelOrder, createOrder } from './service';
import { getOrderView, listOrders } from './view';

/** The optional Idempotency-Key header; present but malformed is a 400 like any other bad field. */
function idempotencyKey(ctx: Context): string | null {
  const raw = ctx.get('idempotency-key');
  if (raw === '') return null;
  const result = IdempotencyKeyHeader.safeParse(raw);
  if (!result.success) throw validationError(result.error, 'header.idempotency-key');
  return result.data;
}

export function orderRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const shopper = requireShopper(deps.db, { ttlMs: deps.env.SESSION_TTL_MS });
  const orderDeps = { db: deps.db, cipher: deps.cipher, orderTtlMs: deps.env.ORDER_TTL_MS };

  router.post('/api/orders', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    const body = parseBody(ctx, OrderCreateBody);
    const key = idempotencyKey(ctx);
    const result = await createOrder(orderDeps, {
      userId: currentUser(ctx.state).id,
      body,
      idempotencyKey: key,
    });
    // A replay answers 200 with the first order, so a client can tell "created now" from "already created".
    ctx.status = result.created ? 201 : 200;
    ctx.body = result.order;
  });

  router.get('/api/orders', shopper, async (ctx) => {
    const query = parseQuery(ctx, OrderListQuery);
    ctx.body = await listOrders(deps.db, currentUser(ctx.state).id, query);
  });

  router.get('/api/orders/:id', shopper, async (ctx) => {
    const { id } = parseParams(ctx, OrderParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await getOrderView(deps, currentUser(ctx.state).id, id);
  });

  router.post('/api/orders/:id/cancel', shopper, async (ctx) => {
    const { id } = parseParams(ctx, OrderParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, z.strictObject({}));
    ctx.body = await cancelOrder(deps, { userId: currentUser(ctx.state).id, orderId: id });
  });

  return router;
}
