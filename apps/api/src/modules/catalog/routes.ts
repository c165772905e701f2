import Router from '@koa/router';
import { NoQuery, ProductListQuery, ProductParams } from '@shop/contract';
import type { ApiDeps } from '../../deps';
import { parseParams, parseQuery } from '../../http/validate';
import { CATALOG_CACHE_TTL_MS, CatalogCache } from './cache';
import { getProduct, listCategories, listProducts } from './service';

/**
 * The public catalog: no session needed, so shoppers can browse before signing in. Reads are cached for a second
 * (see cache.ts); the cart and orders never read through this cache.
 */
export function catalogRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const cache = new CatalogCache({ ttlMs: CATALOG_CACHE_TTL_MS, maxEntries: 2_000 });

  router.get('/api/categories', async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await cache.get('categories', () => listCategories(deps.db));
  });

  router.get('/api/products', async (ctx) => {
    const query = parseQuery(ctx, ProductListQuery);
    ctx.body = await cache.get(`products:${JSON.stringify(query)}`, () => listProducts(deps.db, query));
  });

  router.get('/api/products/:id', async (ctx) => {
    const { id } = parseParams(ctx, ProductParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await cache.get(`product:${id}`, () => getProduct(deps.db, id));
  });

  return router;
}
