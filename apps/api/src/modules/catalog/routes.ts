import Router from '@koa/router';
import { ProductListQuery, ProductParams } from '@shop/contract';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { parseParams, parseQuery } from '../../http/validate';
import { getProduct, listCategories, listProducts } from './service';

const NoQuery = z.strictObject({});

/** The public catalog: no session needed, so shoppers can browse before signing in. */
export function catalogRoutes(deps: ApiDeps): Router {
  const router = new Router();

  router.get('/api/categories', async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await listCategories(deps.db);
  });

  router.get('/api/products', async (ctx) => {
    const query = parseQuery(ctx, ProductListQuery);
    ctx.body = await listProducts(deps.db, query);
  });

  router.get('/api/products/:id', async (ctx) => {
    const { id } = parseParams(ctx, ProductParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await getProduct(deps.db, id);
  });

  return router;
}
