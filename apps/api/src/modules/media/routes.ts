import Router from '@koa/router';
import {
  AdminIdParams,
  Id,
  MAX_UPLOAD_BYTES,
  NoQuery,
  ProductPhotoOrderBody,
  ProductPhotoUploadQuery,
} from '@shop/contract';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { requireShopper } from '../../http/auth';
import { readRawBody } from '../../http/body';
import { parseBody, parseParams, parseQuery } from '../../http/validate';
import { adminAccess } from '../admin/access';
import { isVariant } from './image';
import {
  addProductPhoto,
  deleteProductPhoto,
  listProductPhotos,
  orderProductPhotos,
  photoVariant,
  uploadShopperPhoto,
  type MediaDeps,
} from './service';
import { diskStorage } from './storage';

/** Upload routes read the request body as the file's bytes (app.ts keeps the JSON parser off them). */
export const UPLOAD_PATHS = ['/api/uploads', '/api/admin/photos'];

export const VariantParams = z.strictObject({
  id: Id,
  file: z.string().regex(/^[a-z]{1,16}\.webp$/, 'must be a variant'),
});
export const UploadParams = z.strictObject({ id: Id });
export const PhotoParams = z.strictObject({ id: Id, photoId: Id });

/** A year, and `immutable`: a photo's URL names its id, and an id's bytes never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

async function send(ctx: Context, media: MediaDeps, scope: 'p' | 'u', id: string, variant: string) {
  const bytes = isVariant(variant) ? await photoVariant(media, scope, id, variant) : null;
  if (!bytes) {
    ctx.status = 404;
    ctx.body = { error: { code: 'NOT_FOUND', message: 'Photo not found' } };
    return;
  }
  ctx.set('Cache-Control', IMMUTABLE);
  ctx.type = 'image/webp';
  ctx.body = bytes;
}

/** Shoppers upload after-sale photos; everyone reads photos (product photos are public, like the drawings). */
export function mediaRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const media: MediaDeps = { db: deps.db, storage: diskStorage(deps.env.MEDIA_DIR) };
  const shopper = requireShopper(deps.db, { ttlMs: deps.env.SESSION_TTL_MS });

  router.post('/api/uploads', shopper, async (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.status = 201;
    ctx.body = await uploadShopperPhoto(media, await readRawBody(ctx, MAX_UPLOAD_BYTES));
  });

  router.get('/media/p/:id/:file', async (ctx) => {
    const { id, file } = parseParams(ctx, VariantParams);
    await send(ctx, media, 'p', id, file.replace(/\.webp$/, ''));
  });

  router.get('/media/u/:id', async (ctx) => {
    const { id } = parseParams(ctx, UploadParams);
    await send(ctx, media, 'u', id, 'detail');
  });

  return router;
}

/** The merchant's photo manager: upload (bytes), list, order (the first is the cover), delete. */
export function adminMediaRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const media: MediaDeps = { db: deps.db, storage: diskStorage(deps.env.MEDIA_DIR) };
  const access = adminAccess(deps);
  const writers = access.requirePermission('products.write');

  router.post('/api/admin/photos', writers, async (ctx) => {
    const { productId } = parseQuery(ctx, ProductPhotoUploadQuery);
    const bytes = await readRawBody(ctx, MAX_UPLOAD_BYTES);
    ctx.status = 201;
    ctx.body = await addProductPhoto(media, access.actor(ctx), productId, bytes);
  });

  router.get('/api/admin/products/:id/photos', access.requirePermission('products.read'), async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await listProductPhotos(media, id);
  });

  router.put('/api/admin/products/:id/photos', writers, async (ctx) => {
    const { id } = parseParams(ctx, AdminIdParams);
    parseQuery(ctx, NoQuery);
    const { photoIds } = parseBody(ctx, ProductPhotoOrderBody);
    ctx.body = await orderProductPhotos(media, access.actor(ctx), id, photoIds);
  });

  router.delete('/api/admin/products/:id/photos/:photoId', writers, async (ctx) => {
    const { id, photoId } = parseParams(ctx, PhotoParams);
    parseQuery(ctx, NoQuery);
    ctx.body = await deleteProductPhoto(media, access.actor(ctx), id, photoId);
  });

  return router;
}
