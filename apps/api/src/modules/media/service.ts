import { MAX_PRODUCT_PHOTOS, type ProductPhotoList, type UploadResult } from '@shop/contract';
import { newId, type ProductPhoto } from '@shop/db';
import { inTransaction, type Db, type Tx } from '../../db';
import { lockKeys } from '../../lib/locks';
import { AppError, notFound } from '../../errors';
import { audit, type AdminActor } from '../admin/audit/service';
import { productImagePath } from '../catalog/product-write';
import { inspectImage, renderVariant, type Variant } from './image';
import type { PhotoStorage } from './storage';

/*
 * Uploaded photos: a shopper's after-sale photos and the merchant's product photos. The bytes go to the storage;
 * product photos also get a ProductPhoto row, and the product's image list (what the shop shows) is rewritten from
 * its photos in order, the first being the cover. A product with no photos shows its generated drawings again.
 */

export interface MediaDeps {
  db: Db;
  storage: PhotoStorage;
}

/** How many drawings a product falls back to, as the catalog writes them. */
const DRAWINGS = 3;

export function productPhotoUrl(photoId: string, variant: Variant = 'detail'): string {
  return `/media/p/${photoId}/${variant}.webp`;
}

/** A shopper's photo for an after-sale request; the answer's path goes in the request's `photos`. */
export async function uploadShopperPhoto(deps: MediaDeps, bytes: Buffer): Promise<UploadResult> {
  const image = await inspectImage(bytes);
  const id = newId();
  await deps.storage.put(`u/${id}/original`, bytes);
  return { path: `/media/u/${id}`, width: image.width, height: image.height };
}

function viewOf(photos: readonly ProductPhoto[]): ProductPhotoList {
  return {
    items: photos.map((photo, index) => ({
      id: photo.id,
      url: productPhotoUrl(photo.id),
      contentType: photo.contentType,
      width: photo.width,
      height: photo.height,
      byteSize: photo.byteSize,
      isCover: index === 0,
    })),
  };
}

async function photosOf(db: Db, productId: string): Promise<ProductPhoto[]> {
  return db.productPhoto.findMany({
    where: { productId },
    orderBy: [{ sortOrder: 'asc' }, { createdAt: 'asc' }],
  });
}

async function requireProduct(db: Db, productId: string): Promise<void> {
  const product = await db.product.findUnique({ where: { id: productId }, select: { id: true } });
  if (!product) throw notFound('Product');
}

export async function listProductPhotos(deps: MediaDeps, productId: string): Promise<ProductPhotoList> {
  await requireProduct(deps.db, productId);
  return viewOf(await photosOf(deps.db, productId));
}

/** The product's images in the shop: its photos in order, or its drawings when it has none. */
/**
 * Every change to a product's photos takes the product's photo lock first (lib/locks.ts): the limit, the order and
 * Product.imagesJson are computed from all of its photos, which two concurrent uploads on PostgreSQL would each read
 * before the other wrote.
 */
function lockPhotos(tx: Tx, productId: string): Promise<void> {
  return lockKeys(tx, [`product-photos:${productId}`]);
}

function imagesJsonOf(productId: string, photoIds: readonly string[]): string {
  const images = photoIds.length
    ? photoIds.map((id) => productPhotoUrl(id))
    : Array.from({ length: DRAWINGS }, (_, i) => productImagePath(productId, i));
  return JSON.stringify(images);
}

/** Adds a photo at the end (the cover when it is the first). At most MAX_PRODUCT_PHOTOS per product. */
export async function addProductPhoto(
  deps: MediaDeps,
  actor: AdminActor,
  productId: string,
  bytes: Buffer,
): Promise<ProductPhotoList> {
  await requireProduct(deps.db, productId);
  const image = await inspectImage(bytes);
  const id = newId();
  const storageKey = `p/${id}/original`;
  // The file first: a row never points at bytes that are not there. When the row is refused (the limit), the file
  // goes again; one left by a crash in between is unreferenced and never served.
  await deps.storage.put(storageKey, bytes);
  await inTransaction(deps.db, async (tx) => {
    await lockPhotos(tx, productId);
    const existing = await tx.productPhoto.findMany({ where: { productId }, orderBy: { sortOrder: 'asc' } });
    if (existing.length >= MAX_PRODUCT_PHOTOS) {
      throw new AppError('VALIDATION_ERROR', `A product shows at most ${MAX_PRODUCT_PHOTOS} photos`, {
        details: { fields: [{ path: 'body', message: `at most ${MAX_PRODUCT_PHOTOS} photos` }] },
      });
    }
    await tx.productPhoto.create({
      data: {
        id,
        productId,
        storageKey,
        contentType: image.contentType,
        width: image.width,
        height: image.height,
        byteSize: bytes.length,
        sortOrder: (existing.at(-1)?.sortOrder ?? -1) + 1,
      },
    });
    const ids = [...existing.map((p) => p.id), id];
    await tx.product.update({ where: { id: productId }, data: { imagesJson: imagesJsonOf(productId, ids) } });
    await audit(tx, actor, {
      action: 'product.photos',
      targetType: 'Product',
      targetId: productId,
      before: { photoIds: existing.map((p) => p.id) },
      after: { photoIds: ids, added: id, contentType: image.contentType, byteSize: bytes.length },
    });
  }).catch(async (error: unknown) => {
    await deps.storage.remove(`p/${id}`);
    throw error;
  });
  return viewOf(await photosOf(deps.db, productId));
}

/** Puts the product's photos in the given order (every one of them, once); the first becomes the cover. */
export async function orderProductPhotos(
  deps: MediaDeps,
  actor: AdminActor,
  productId: string,
  photoIds: readonly string[],
): Promise<ProductPhotoList> {
  await requireProduct(deps.db, productId);
  await inTransaction(deps.db, async (tx) => {
    await lockPhotos(tx, productId);
    const existing = await tx.productPhoto.findMany({ where: { productId }, orderBy: { sortOrder: 'asc' } });
    const known = new Set(existing.map((p) => p.id));
    if (photoIds.length !== known.size || photoIds.some((id) => !known.has(id))) {
      throw new AppError('VALIDATION_ERROR', "photoIds must list each of the product's photos once", {
        details: {
          fields: [{ path: 'body.photoIds', message: "must list each of the product's photos once" }],
        },
      });
    }
    for (const [index, id] of photoIds.entries()) {
      await tx.productPhoto.update({ where: { id }, data: { sortOrder: index } });
    }
    await tx.product.update({
      where: { id: productId },
      data: { imagesJson: imagesJsonOf(productId, photoIds) },
    });
    await audit(tx, actor, {
      action: 'product.photos',
      targetType: 'Product',
      targetId: productId,
      before: { photoIds: existing.map((p) => p.id) },
      after: { photoIds },
    });
  });
  return viewOf(await photosOf(deps.db, productId));
}

/** Removes a photo; its files go after the row, so the shop never links to a missing file. */
export async function deleteProductPhoto(
  deps: MediaDeps,
  actor: AdminActor,
  productId: string,
  photoId: string,
): Promise<ProductPhotoList> {
  await requireProduct(deps.db, productId);
  const removed = await inTransaction(deps.db, async (tx) => {
    await lockPhotos(tx, productId);
    const existing = await tx.productPhoto.findMany({ where: { productId }, orderBy: { sortOrder: 'asc' } });
    if (!existing.some((p) => p.id === photoId)) return false;
    await tx.productPhoto.delete({ where: { id: photoId } });
    const ids = existing.filter((p) => p.id !== photoId).map((p) => p.id);
    await tx.product.update({ where: { id: productId }, data: { imagesJson: imagesJsonOf(productId, ids) } });
    await audit(tx, actor, {
      action: 'product.photos',
      targetType: 'Product',
      targetId: productId,
      before: { photoIds: existing.map((p) => p.id) },
      after: { photoIds: ids, removed: photoId },
    });
    return true;
  });
  if (!removed) throw notFound('Photo');
  await deps.storage.remove(`p/${photoId}`);
  return viewOf(await photosOf(deps.db, productId));
}

/**
 * The bytes of a variant, rendered from the original on first request and kept beside it. Null when there is no
 * such photo. The same key always gives the same picture, so its URL can be cached for a year.
 */
export async function photoVariant(
  deps: MediaDeps,
  scope: 'p' | 'u',
  id: string,
  variant: Variant,
): Promise<Buffer | null> {
  const key = `${scope}/${id}/${variant}.webp`;
  const cached = await deps.storage.get(key);
  if (cached) return cached;
  const original = await deps.storage.get(`${scope}/${id}/original`);
  if (!original) return null;
  const rendered = await renderVariant(original, variant);
  await deps.storage.put(key, rendered);
  return rendered;
}
