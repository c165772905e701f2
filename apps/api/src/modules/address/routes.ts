import Router from '@koa/router';
import { AddressBody, AddressParams, AddressUpdateBody, NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { currentUser, requireShopper } from '../../http/auth';
import { parseBody, parseParams, parseQuery } from '../../http/validate';
import { createAddress, deleteAddress, listAddresses, updateAddress } from './service';

export function addressRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const shopper = requireShopper(deps.db, { ttlMs: deps.env.SESSION_TTL_MS });

  router.get('/api/addresses', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await listAddresses(deps, currentUser(ctx.state).id);
  });

  router.post('/api/addresses', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    const body = parseBody(ctx, AddressBody);
    ctx.body = await createAddress(deps, currentUser(ctx.state).id, body);
    ctx.status = 201;
  });

  router.put('/api/addresses/:id', shopper, async (ctx) => {
    const { id } = parseParams(ctx, AddressParams);
    parseQuery(ctx, NoQuery);
    const body = parseBody(ctx, AddressUpdateBody);
    ctx.body = await updateAddress(deps, currentUser(ctx.state).id, id, body);
  });

  router.delete('/api/addresses/:id', shopper, async (ctx) => {
    const { id } = parseParams(ctx, AddressParams);
    parseQuery(ctx, NoQuery);
    await deleteAddress(deps, currentUser(ctx.state).id, id);
    ctx.status = 204;
  });

  return router;
}
