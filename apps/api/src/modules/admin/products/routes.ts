import Router from '@koa/router';
import {
  AdminIdParams,
  AdminProductCreateBody,
  AdminProductListQuery,
  AdminProductUpdateBody,
  AdminPublishBody,
  AdminSkuParams,
  AdminSkuPriceBody,
  AdminStockAdjustmentBody,
  NoQuery,
} from '@shop/contract';
import type { ApiDeps } from '../../../deps';
import { parseBody, parseParams, parseQuery } from '../../../http/validate';
import { adminAccess } from '../access';
import { getAdminProduct, listAdminCategories, listAdminProducts } from './service';
import { adjustStock, createProduct, setPublished, setSkuPrice, updateProduct } from './write.service';

/** `/api/admin/products...` and `/api/admin/categories`: owners and staff read, owners change. */
export function adminProductRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const access = adminAccess(deps);
  const readers = access.requirePermission('products.read');
  const writers = access.requirePermission('products.write');

  router.get('/api/admin/categories', readers, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.body = await listAdminCategories(deps.db);
  });

  router.get('/api/admin/products', readers, async (ctx) => {
    ctx.body = await listAdminProducts(deps.db, parseQuery(ctx, AdminProductListQuery));
  });

  router.get('/api/admin/products/:id', readers, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await getAdminProduct(deps.db, id);
  });

  router.post('/api/admin/products', writers, async (ctx) => {
    parseQuery(ctx, NoQuery);
    const id = await createProduct(deps.db, access.actor(ctx), parseBody(ctx, AdminProductCreateBody));
    ctx.status = 201;
    ctx.body = await getAdminProduct(deps.db, id);
  });

  router.patch('/api/admin/products/:id', writers, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    await updateProduct(deps.db, access.actor(ctx), id, parseBody(ctx, AdminProductUpdateBody));
    ctx.body = await getAdminProduct(deps.db, id);
  });

  for (const [action, publish] of [
    ['publish', true],
    ['unpublish', false],
  ] as const) {
    router.post(`/api/admin/products/:id/${action}`, writers, async (ctx) => {
      const { id } = parseParams(ctx, AdminIdParams);
      parseQuery(ctx, NoQuery);
      parseBody(ctx, AdminPublishBody);
      await setPublished(deps.db, access.actor(ctx), id, publish);
      ctx.body = await getAdminProduct(deps.db, id);
    });
  }

  router.put('/api/admin/products/:id/skus/:skuId/price', writers, async (ctx) => {
    const { id, skuId } = parseParams(ctx, AdminSkuParams);
    parseQuery(ctx, NoQuery);
    const { priceFen } = parseBody(ctx, AdminSkuPriceBody);
    await setSkuPrice(deps.db, access.actor(ctx), id, skuId, priceFen);
    ctx.body = await getAdminProduct(deps.db, id);
  });

  router.post('/api/admin/products/:id/skus/:skuId/stock-adjustments', writers, async (ctx) => {
    const { id, skuId } = parseParams(ctx, AdminSkuParams);
    parseQuery(ctx, NoQuery);
    await adjustStock(deps.db, access.actor(ctx), id, skuId, parseBody(ctx, AdminStockAdjustmentBody));
    ctx.status = 201;
    ctx.body = await getAdminProduct(deps.db, id);
  });

  return router;
}
