import { Router } from '@koa/router';
import { createBuyer } from '../buyers';
import type { Deps } from '../deps';
import { NotFoundError } from '../errors';
import { readJson, readParams } from '../http/body';
import { HttpError } from '../http/http-error';
import { issueAuthCode } from '../oauth/oauth.service';
import { CreateBuyer, IssueAuthCode, RegisterApp, UpdateBuyer, UserIdParam } from './schemas';
import { buyerView } from './views';

/** Control API: apps, buyers and auth codes. */
export function accountsRouter(deps: Deps): Router {
  const router = new Router({ prefix: '/sandbox' });
  const { accounts } = deps.store;

  router.get('/apps', (ctx) => {
    ctx.body = {
      items: accounts.listApps().map((app) => ({
        appId: app.appId,
        openIdMode: app.openIdMode,
        mode: app.appCertSn ? 'certificate' : 'public-key',
        appCertSn: app.appCertSn,
        publicKey: app.publicKeyPem,
        updatedAt: app.updatedAt.toISOString(),
      })),
    };
  });

  router.post('/apps', async (ctx) => {
    const input = await readJson(ctx, RegisterApp);
    const app = accounts.upsertApp(
      input.appId,
      input.publicKey.trim(),
      input.openIdMode ?? false,
      deps.clock.now(),
    );
    deps.logger.info({ appId: app.appId, openIdMode: app.openIdMode }, 'app registered');
    ctx.body = { appId: app.appId, openIdMode: app.openIdMode, updatedAt: app.updatedAt.toISOString() };
  });

  router.get('/buyers', (ctx) => {
    ctx.body = { items: accounts.listBuyers().map(buyerView) };
  });

  router.get('/buyers/:userId', (ctx) => {
    const { userId } = readParams(ctx.params, UserIdParam);
    const buyer = accounts.findBuyer(userId);
    if (!buyer) throw new NotFoundError(`buyer ${userId} does not exist`);
    ctx.body = buyerView(buyer);
  });

  router.post('/buyers', async (ctx) => {
    const input = await readJson(ctx, CreateBuyer);
    ctx.status = 201;
    ctx.body = buyerView(createBuyer(deps, input));
  });

  router.patch('/buyers/:userId', async (ctx) => {
    const { userId } = readParams(ctx.params, UserIdParam);
    const input = await readJson(ctx, UpdateBuyer);
    if (!accounts.updateBuyer(userId, input)) throw new NotFoundError(`buyer ${userId} does not exist`);
    ctx.body = buyerView(accounts.findBuyer(userId) as NonNullable<ReturnType<typeof accounts.findBuyer>>);
  });

  router.post('/auth-codes', async (ctx) => {
    const input = await readJson(ctx, IssueAuthCode);
    const appId = input.appId ?? deps.config.appId;
    if (!accounts.findApp(appId)) {
      throw new HttpError(
        400,
        'VALIDATION_ERROR',
        `app ${appId} is not registered (POST /sandbox/apps first)`,
      );
    }
    if (!accounts.findBuyer(input.buyerId)) throw new NotFoundError(`buyer ${input.buyerId} does not exist`);
    const code = issueAuthCode(deps, { appId, userId: input.buyerId, scope: input.scope ?? 'auth_base' });
    ctx.status = 201;
    ctx.body = {
      authCode: code.code,
      appId,
      buyerId: code.userId,
      scope: code.scope,
      expiresAt: code.expiresAt.toISOString(),
    };
  });
  return router;
}
