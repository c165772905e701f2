import Router from '@koa/router';
import {
  AdminCompleteBody,
  AdminIdParams,
  AdminOrderExportQuery,
  AdminOrderListQuery,
  AdminShipBody,
  IdempotencyKeyHeader,
  NoQuery,
  PaymentQrBody,
  RefundCreateBody,
} from '@shop/contract';
import type { Context } from 'koa';
import type { ApiDeps } from '../../../deps';
import { currentAdmin } from '../../../http/admin-auth';
import { validationError } from '../../../errors';
import { parseBody, parseParams, parseQuery } from '../../../http/validate';
import { adminAccess } from '../access';
import { createQrPayment } from '../../payment/web-pay.service';
import { completeOrder, refundOrder, shipOrder } from './actions.service';
import { exportOrdersCsv } from './export';
import { getAdminOrder, listAdminOrders } from './service';

/** The optional Idempotency-Key header; malformed is 400 like any other input. */
function idempotencyKey(ctx: Context): string | undefined {
  const header = ctx.get('idempotency-key');
  if (!header) return undefined;
  const parsed = IdempotencyKeyHeader.safeParse(header);
  if (!parsed.success) throw validationError(parsed.error, 'header.idempotency-key');
  return parsed.data;
}

/** `/api/admin/orders...`: list, CSV export, detail, refund (owner), ship and complete. */
export function adminOrderRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const access = adminAccess(deps);
  const readers = access.requirePermission('orders.read');

  router.get('/api/admin/orders', readers, async (ctx) => {
    ctx.body = await listAdminOrders(deps.db, parseQuery(ctx, AdminOrderListQuery));
  });

  router.get('/api/admin/orders.csv', readers, async (ctx) => {
    const { fileName, csv } = await exportOrdersCsv(deps.db, parseQuery(ctx, AdminOrderExportQuery));
    ctx.set('Content-Disposition', `attachment; filename="${fileName}"`);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = csv;
  });

  router.get('/api/admin/orders/:id', readers, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await getAdminOrder(deps, currentAdmin(ctx).role, id);
  });

  router.post('/api/admin/orders/:id/refunds', access.requirePermission('orders.refund'), async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    const body = parseBody(ctx, RefundCreateBody);
    const outcome = await refundOrder(deps, access.actor(ctx), id, body, idempotencyKey(ctx));
    ctx.status = outcome.created ? 201 : 200;
    ctx.body = outcome.refund;
  });

  router.post('/api/admin/orders/:id/ship', access.requirePermission('orders.ship'), async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    await shipOrder(deps.db, access.actor(ctx), id, parseBody(ctx, AdminShipBody));
    ctx.body = await getAdminOrder(deps, currentAdmin(ctx).role, id);
  });

  router.post('/api/admin/orders/:id/complete', access.requirePermission('orders.complete'), async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, AdminCompleteBody);
    await completeOrder(deps.db, access.actor(ctx), id);
    ctx.body = await getAdminOrder(deps, currentAdmin(ctx).role, id);
  });

  // A collection QR code for an unpaid order (当面付): the buyer scans it at the counter. Anyone who can read orders
  // may show one: it takes no money and moves nothing but the payment's code.
  router.post('/api/admin/orders/:id/payment-qr', readers, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    parseBody(ctx, PaymentQrBody);
    const actor = access.actor(ctx);
    ctx.body = await createQrPayment(deps, { orderId: id, actor: { type: 'admin', id: actor.id } });
  });

  return router;
}
