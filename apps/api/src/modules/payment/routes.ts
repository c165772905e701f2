import Router from '@koa/router';
import { NOTIFY_ACK } from '@shop/alipay';
import { OrderParams, PaymentQrBody, PaymentWapBody, WapReturnBody } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { currentUser, requireShopper } from '../../http/auth';
import { readRawBody } from '../../http/body';
import { parseBody, parseParams } from '../../http/validate';
import { countNotify } from '../../lib/metrics';
import { receiveNotify } from './notify.service';
import { createPayment } from './payment.service';
import { createQrPayment, createWapPayment, verifyWapReturn } from './web-pay.service';

/** Notifies are a couple of kilobytes; anything near this is not one. */
const NOTIFY_BODY_LIMIT_BYTES = 64 * 1024;

export function paymentRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const shopper = requireShopper(deps.db, { ttlMs: deps.env.SESSION_TTL_MS });

  router.post('/api/orders/:id/payment', shopper, async (ctx) => {
    const { id } = parseParams(ctx, OrderParams);
    ctx.body = await createPayment(deps, { userId: currentUser(ctx.state).id, orderId: id });
  });

  router.post('/api/orders/:id/payment/wap', shopper, async (ctx) => {
    const { id } = parseParams(ctx, OrderParams);
    const body = parseBody(ctx, PaymentWapBody);
    ctx.body = await createWapPayment(deps, { userId: currentUser(ctx.state).id, orderId: id, ...body });
  });

  router.post('/api/orders/:id/payment/qr', shopper, async (ctx) => {
    const { id } = parseParams(ctx, OrderParams);
    parseBody(ctx, PaymentQrBody);
    ctx.body = await createQrPayment(deps, { userId: currentUser(ctx.state).id, orderId: id });
  });

  router.post('/api/payments/wap-return', shopper, async (ctx) => {
    const { params } = parseBody(ctx, WapReturnBody);
    ctx.body = await verifyWapReturn(deps, { userId: currentUser(ctx.state).id, params });
  });

  // Alipay's async notify. The body is read here, raw (this path skips the JSON parser), because Alipay has sent
  // it with a malformed Content-Type. The answer is exactly `success` (text, 7 bytes) once the notify's effect has
  // committed; anything else makes Alipay send it again later (https://opendocs.alipay.com/open/203/105286).
  router.post('/api/alipay/notify', async (ctx) => {
    let raw: Buffer = Buffer.alloc(0);
    let readError: string | undefined;
    try {
      raw = await readRawBody(ctx, NOTIFY_BODY_LIMIT_BYTES);
    } catch (error) {
      readError = `body could not be read: ${(error as Error).message}`;
    }
    const receipt = await receiveNotify(deps, { raw, contentType: ctx.get('content-type'), readError });
    countNotify(receipt.outcome, receipt.rejectReason);
    ctx.status = receipt.status;
    ctx.type = 'text/plain';
    ctx.body = receipt.ack ? NOTIFY_ACK : 'failure';
  });

  return router;
}
