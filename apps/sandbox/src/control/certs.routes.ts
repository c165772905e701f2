import { Router } from '@koa/router';
import { loadPublicKey } from '@shop/alipay';
import { CsrError, publicKeyFromCsr } from '../certs/ca';
import {
  appCertificateBundle,
  ensureCa,
  issueAppCertificate,
  listAlipayCertificates,
  rootBundlePem,
  rootSn,
  rotateAlipayCertificate,
} from '../certs/certs.service';
import type { Deps } from '../deps';
import { NotFoundError } from '../errors';
import { readJson, readParams, readQuery } from '../http/body';
import { HttpError } from '../http/http-error';
import { tradeFromOrder } from '../trades/pending-orders.service';
import {
  AppIdParam,
  EmptyBody,
  IssueAppCertificate,
  PendingOrdersQuery,
  QrTokenParam,
  ScanBody,
} from './schemas';
import { pendingOrderView, tradeView } from './views';

/**
 * Control API: certificate mode (issue an app certificate as Alipay's console does, read the CA, rotate Alipay's
 * certificate) and the orders that are not trades yet (wap.pay and precreate), with a scan for tests.
 */
export function certsRouter(deps: Deps): Router {
  const router = new Router({ prefix: '/sandbox' });

  router.post('/apps/:appId/certificate', async (ctx) => {
    const { appId } = readParams(ctx.params, AppIdParam);
    const input = await readJson(ctx, IssueAppCertificate);
    let publicKey;
    try {
      publicKey = input.csr ? await publicKeyFromCsr(input.csr) : loadPublicKey(input.publicKey as string);
    } catch (error) {
      if (error instanceof CsrError) throw new HttpError(400, 'VALIDATION_ERROR', `csr: ${error.message}`);
      throw error;
    }
    ctx.status = 201;
    ctx.body = await issueAppCertificate(deps, appId, publicKey, input.openIdMode);
  });

  router.get('/apps/:appId/certificate', (ctx) => {
    const { appId } = readParams(ctx.params, AppIdParam);
    ctx.body = appCertificateBundle(deps, appId);
  });

  router.get('/certificates', async (ctx) => {
    await ensureCa(deps);
    ctx.body = {
      alipayRootCertSn: rootSn(deps),
      alipayRootCertificate: rootBundlePem(deps),
      alipayCertificates: listAlipayCertificates(deps).map((cert) => ({
        sn: cert.sn,
        current: cert.current,
        certificate: cert.chainPem,
        notAfter: cert.notAfter.toISOString(),
        createdAt: cert.createdAt.toISOString(),
      })),
    };
  });

  router.post('/certificates/alipay/rotate', async (ctx) => {
    await readJson(ctx, EmptyBody);
    const rotated = await rotateAlipayCertificate(deps);
    ctx.status = 201;
    ctx.body = { alipayCertSn: rotated.sn, alipayCertificate: rotated.chainPem };
  });

  router.get('/pending-orders', (ctx) => {
    const query = readQuery(ctx, PendingOrdersQuery);
    ctx.body = { items: deps.store.pendingOrders.listByOutTradeNo(query.outTradeNo).map(pendingOrderView) };
  });

  // A buyer scans a precreate code (the page /qr/<token> does the same for a person).
  router.post('/qr/:token/scan', async (ctx) => {
    const { token } = readParams(ctx.params, QrTokenParam);
    const input = await readJson(ctx, ScanBody);
    const order = deps.store.pendingOrders.findByQrCode(`${deps.publicUrl()}/qr/${token}`);
    if (!order) throw new NotFoundError(`QR code ${token} does not exist`);
    if (!deps.store.accounts.findBuyer(input.buyerId))
      throw new NotFoundError(`buyer ${input.buyerId} does not exist`);
    ctx.body = tradeView(tradeFromOrder(deps, order.id, input.buyerId));
  });
  return router;
}
