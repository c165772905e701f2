import { Router } from '@koa/router';
import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import { billsRouter } from './bills/bills.routes';
import { accountsRouter } from './control/accounts.routes';
import { certsRouter } from './control/certs.routes';
import { faultsRouter, type FaultHooks } from './control/faults.routes';
import { messagesRouter } from './control/messages.routes';
import { tradesRouter } from './control/trades.routes';
import type { Deps } from './deps';
import { gatewayRouter } from './gateway/gateway.routes';
import { errorMiddleware } from './http/http-error';
import { authorizeRouter } from './pages/authorize.routes';
import { cashierRouter } from './pages/cashier.routes';
import { messagesPageRouter } from './pages/messages.routes';
import { scanRouter } from './pages/scan.routes';
import { subscribeRouter } from './pages/subscribe.routes';
import { wapCashierRouter } from './pages/wap-cashier.routes';
import { consoleRouter } from './pages/console.routes';
import { schemaVersion } from './store/db';

/**
 * The Koa app: error mapping first, then the gateway, the H5 pages (payments, subscriptions, messages), bills, and
 * the control API.
 */
export function createApp(deps: Deps, hooks: FaultHooks): Koa {
  const app = new Koa();
  // Errors are logged by errorMiddleware; Koa's default handler would print them a second time.
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.requestId = randomUUID();
    await next();
  });
  app.use(errorMiddleware(deps.logger));

  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.body = {
      status: 'ok',
      service: 'alipay-sandbox',
      instance: deps.config.instanceId,
      schemaVersion: schemaVersion(deps.store.db),
    };
  });

  for (const router of [
    health,
    gatewayRouter(deps),
    authorizeRouter(deps),
    cashierRouter(deps),
    wapCashierRouter(deps),
    scanRouter(deps),
    consoleRouter(deps),
    subscribeRouter(deps),
    messagesPageRouter(deps),
    billsRouter(deps),
    accountsRouter(deps),
    certsRouter(deps),
    tradesRouter(deps),
    messagesRouter(deps),
    faultsRouter(deps, hooks),
  ]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
