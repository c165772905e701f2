import type Router from '@koa/router';
import Koa from 'koa';
import type { ApiDeps } from './deps';
import { jsonBody } from './http/body';
import { compileTrust, trustProxies } from './http/client-address';
import { errorMiddleware } from './http/errors';
import { requestMetrics } from './http/metrics';
import { requestContext } from './http/request-context';
import { corsFor, securityHeaders } from './http/security';
import { addressRoutes } from './modules/address/routes';
import { afterSaleRoutes } from './modules/after-sales/routes';
import { ADMIN_ROUTES } from './modules/admin/routes';
import { cartRoutes } from './modules/cart/routes';
import { catalogRoutes } from './modules/catalog/routes';
import { healthRoutes } from './modules/health/routes';
import { imageRoutes } from './modules/images/routes';
import { mediaRoutes, UPLOAD_PATHS } from './modules/media/routes';
import { shopOutboxRoutes } from './modules/outbox/shop.routes';
import { metricsRoutes } from './modules/metrics/routes';
import { openApiRoutes } from './modules/openapi/routes';
import { orderRoutes } from './modules/order/routes';
import { paymentRoutes } from './modules/payment/routes';
import { sessionRoutes } from './modules/session/routes';

/** Routes whose bodies are read raw by their handler (not JSON). */
export const RAW_BODY_PATHS = ['/api/alipay/notify', ...UPLOAD_PATHS];

/** Each domain module contributes one router; order does not matter (paths do not overlap). */
const MODULE_ROUTES: ReadonlyArray<(deps: ApiDeps) => Router> = [
  healthRoutes,
  sessionRoutes,
  catalogRoutes,
  imageRoutes,
  cartRoutes,
  addressRoutes,
  orderRoutes,
  paymentRoutes,
  afterSaleRoutes,
  mediaRoutes,
  shopOutboxRoutes,
  ...ADMIN_ROUTES,
  metricsRoutes,
  openApiRoutes,
];

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa({ proxy: false });
  // ctx.ip and ctx.protocol come from X-Forwarded-* only when the peer is in TRUSTED_PROXIES.
  trustProxies(app, compileTrust(deps.env.TRUSTED_PROXIES));
  // Errors are logged by errorMiddleware with the request id; Koa's default printer would log them twice.
  app.silent = true;
  app.use(requestContext(deps.logger));
  app.use(requestMetrics());
  app.use(errorMiddleware(deps.logger));
  app.use(securityHeaders());
  app.use(corsFor(deps.env.CORS_ORIGINS));
  app.use(jsonBody({ skipPaths: RAW_BODY_PATHS }));
  for (const routes of MODULE_ROUTES) {
    const router = routes(deps);
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
