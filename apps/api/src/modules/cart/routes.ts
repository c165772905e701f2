import Router from '@koa/router';
import { CartItemParams, CartItemPutBody, CartSelectBody, NoQuery } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { currentUser, requireShopper } from '../../http/auth';
import { parseBody, parseParams, parseQuery } from '../../http/validate';
import { getCart, putCartItem, removeCartItem, selectCartItems } from './service';

export function cartRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const shopper = requireShopper(deps.db, { ttlMs: deps.env.SESSION_TTL_MS });

  router.get('/api/cart', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await getCart(deps.db, currentUser(ctx.state).id);
  });

  router.put('/api/cart/items/:skuId', shopper, async (ctx) => {
    const { skuId } = parseParams(ctx, CartItemParams);
    parseQuery(ctx, NoQuery);
    const body = parseBody(ctx, CartItemPutBody);
    ctx.body = await putCartItem(deps.db, currentUser(ctx.state).id, skuId, body);
  });

  router.delete('/api/cart/items/:skuId', shopper, async (ctx) => {
    const { skuId } = parseParams(ctx, CartItemParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await removeCartItem(deps.db, currentUser(ctx.state).id, skuId);
  });

  router.post('/api/cart/select', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    const body = parseBody(ctx, CartSelectBody);
    ctx.body = await selectCartItems(deps.db, currentUser(ctx.state).id, body);
  });

  return router;
}
