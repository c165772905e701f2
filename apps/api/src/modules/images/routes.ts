import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { Id } from '@shop/contract';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { notFound } from '../../errors';
import { parseParams } from '../../http/validate';
import { categoryIconSvg, productImageSvg } from './service';

export const ProductImageParams = z.strictObject({
  productId: Id,
  file: z.string().regex(/^\d\.svg$/, 'must be <digit>.svg'),
});
export const CategoryIconParams = z.strictObject({
  file: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}\.svg$/, 'must be <slug>.svg'),
});

/**
 * A week in caches, then revalidated by ETag: the pictures change only when a product's title, category or colours
 * do, and a revalidation that matches costs a 304 with no body.
 */
const CACHE_CONTROL = 'public, max-age=604800';

function sendSvg(ctx: Context, svg: string): void {
  ctx.status = 200;
  ctx.set('Cache-Control', CACHE_CONTROL);
  ctx.set('ETag', `"${createHash('sha256').update(svg).digest('base64url').slice(0, 32)}"`);
  ctx.type = 'image/svg+xml; charset=utf-8';
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.body = svg;
}

/** Generated product and category pictures (see svg.ts), served by the API since the shop cannot load remote ones. */
export function imageRoutes(deps: ApiDeps): Router {
  const router = new Router();

  router.get('/images/products/:productId/:file', async (ctx) => {
    const { productId, file } = parseParams(ctx, ProductImageParams);
    const svg = await productImageSvg(deps.db, productId, Number(file.slice(0, -4)));
    if (svg === null) throw notFound('Image');
    sendSvg(ctx, svg);
  });

  router.get('/images/categories/:file', async (ctx) => {
    const { file } = parseParams(ctx, CategoryIconParams);
    const svg = await categoryIconSvg(deps.db, file.slice(0, -4));
    if (svg === null) throw notFound('Image');
    sendSvg(ctx, svg);
  });

  return router;
}
