import {
  MAX_STOCK,
  type AdminProductCreateBody,
  type AdminProductUpdateBody,
  type AdminStockAdjustmentBody,
} from '@shop/contract';
import type { Prisma } from '@shop/db';
import { inTransaction, sql, type Db, type Tx } from '../../../db';
import { AppError, notFound } from '../../../errors';
import { insertProduct, InvalidProductError } from '../../catalog/product-write';
import { parseImagePaths } from '../../catalog/specs';
import { adjustStock as adjustSkuStock } from '../../order/stock';
import { audit, type AdminActor } from '../audit/service';
import { imageChoices } from './service';

/**
 * What an owner changes in the catalog: products (through the catalog's `insertProduct`, which keeps minPriceFen,
 * spec keys and image paths in step), their texts and pictures, publishing, SKU prices (minPriceFen follows) and
 * stock adjustments (a guarded increment plus a StockAdjustment row). Each change and its audit row share one
 * transaction.
 *
 * The shop's catalog reads go through a one-second in-process cache (catalog/cache.ts), one per API process; these
 * writes do not reach into it. Shoppers may see the old title, price or listing for up to a second, which is
 * harmless: the cart and orders read prices and stock from the database, never through the cache.
 */

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_ERROR', `${path} ${message}`, { details: { fields: [{ path, message }] } });
}

async function assertCategory(tx: Tx, categoryId: string): Promise<void> {
  const category = await tx.category.findUnique({ where: { id: categoryId }, select: { id: true } });
  if (!category) throw invalid('body.categoryId', 'is not a category');
}

export async function createProduct(
  db: Db,
  actor: AdminActor,
  body: AdminProductCreateBody,
): Promise<string> {
  return inTransaction(db, async (tx) => {
    await assertCategory(tx, body.categoryId);
    let created: { id: string; skuIds: string[] };
    try {
      created = await insertProduct(tx, {
        categoryId: body.categoryId,
        title: body.title,
        subtitle: body.subtitle,
        description: body.description,
        status: body.status,
        featured: body.featured,
        ...(body.specs ? { specs: body.specs } : {}),
        skus: body.skus,
        imageCount: body.imageCount,
      });
    } catch (error) {
      if (error instanceof InvalidProductError) {
        throw new AppError('VALIDATION_ERROR', error.message, {
          details: { fields: [{ path: 'body.skus', message: error.message }] },
        });
      }
      throw error;
    }
    await audit(tx, actor, {
      action: 'product.create',
      targetType: 'Product',
      targetId: created.id,
      after: {
        title: body.title,
        status: body.status,
        categoryId: body.categoryId,
        featured: body.featured,
        skus: body.skus.map((sku, i) => ({ id: created.skuIds[i], ...sku })),
      },
    });
    return created.id;
  });
}

/** Changes texts, category, featured flag and pictures; only fields that differ are written and audited. */
export async function updateProduct(
  db: Db,
  actor: AdminActor,
  productId: string,
  body: AdminProductUpdateBody,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const product = await tx.product.findUnique({ where: { id: productId } });
    if (!product) throw notFound('Product');
    if (body.categoryId !== undefined && body.categoryId !== product.categoryId) {
      await assertCategory(tx, body.categoryId);
    }
    if (body.images) {
      const allowed = new Set(imageChoices(productId));
      const stranger = body.images.find((path) => !allowed.has(path));
      if (stranger !== undefined) {
        throw invalid('body.images', `${JSON.stringify(stranger)} is not one of this product's images`);
      }
    }
    const current = {
      title: product.title,
      subtitle: product.subtitle,
      description: product.description,
      categoryId: product.categoryId,
      featured: product.featured,
      images: parseImagePaths(product.imagesJson),
    };
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const key of Object.keys(current) as Array<keyof typeof current>) {
      const next = body[key];
      if (next === undefined || JSON.stringify(next) === JSON.stringify(current[key])) continue;
      before[key] = current[key];
      after[key] = next;
    }
    if (Object.keys(after).length === 0) return;
    const { images, ...columns } = after as Partial<typeof current>;
    const data: Prisma.ProductUpdateInput = { ...columns };
    if (images) data.imagesJson = JSON.stringify(images);
    await tx.product.update({ where: { id: productId }, data });
    await audit(tx, actor, {
      action: 'product.update',
      targetType: 'Product',
      targetId: productId,
      before,
      after,
    });
  });
}

/**
 * Puts a product on sale (from DRAFT or UNPUBLISHED) or takes it off (from PUBLISHED) with a guarded update. Asking
 * for the status it already has changes nothing; so does unpublishing a draft, which was never on sale.
 */
export async function setPublished(
  db: Db,
  actor: AdminActor,
  productId: string,
  publish: boolean,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const product = await tx.product.findUnique({ where: { id: productId }, select: { status: true } });
    if (!product) throw notFound('Product');
    const to = publish ? 'PUBLISHED' : 'UNPUBLISHED';
    if (publish ? product.status === 'PUBLISHED' : product.status !== 'PUBLISHED') return;
    const { count } = await tx.product.updateMany({
      where: { id: productId, status: product.status },
      data: { status: to },
    });
    if (count !== 1) throw new AppError('CONFLICT', 'The product changed at the same moment; try again');
    await audit(tx, actor, {
      action: publish ? 'product.publish' : 'product.unpublish',
      targetType: 'Product',
      targetId: productId,
      before: { status: product.status },
      after: { status: to },
    });
  });
}

async function findSku(tx: Tx, productId: string, skuId: string) {
  const sku = await tx.sku.findFirst({
    where: { id: skuId, productId },
    select: { id: true, priceFen: true, stock: true },
  });
  if (!sku) throw notFound('SKU');
  return sku;
}

/** A SKU's new price, with the product's minPriceFen recomputed in the same transaction. */
export async function setSkuPrice(
  db: Db,
  actor: AdminActor,
  productId: string,
  skuId: string,
  priceFen: number,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const sku = await findSku(tx, productId, skuId);
    if (sku.priceFen === priceFen) return;
    await tx.sku.update({ where: { id: skuId }, data: { priceFen } });
    const { _min } = await tx.sku.aggregate({ where: { productId }, _min: { priceFen: true } });
    const minPriceFen = _min.priceFen ?? priceFen;
    const product = await tx.product.update({
      where: { id: productId },
      data: { minPriceFen },
      select: { minPriceFen: true },
    });
    await audit(tx, actor, {
      action: 'sku.price',
      targetType: 'Sku',
      targetId: skuId,
      before: { productId, priceFen: sku.priceFen },
      after: { productId, priceFen, minPriceFen: product.minPriceFen },
    });
  });
}

/**
 * Adds `deltaQty` to a SKU's stock (negative removes) through the stock module's guarded update (`stock + delta
 * BETWEEN 0 AND MAX_STOCK`), so concurrent adjustments and orders reserving stock never overwrite each other and
 * stock never goes below zero (409 OUT_OF_STOCK). The StockAdjustment row and the audit row share its transaction.
 */
export async function adjustStock(
  db: Db,
  actor: AdminActor,
  productId: string,
  skuId: string,
  input: AdminStockAdjustmentBody,
): Promise<void> {
  const { deltaQty, reason } = input;
  await sql(db).transaction(async (tx) => {
    const sku = await tx.get<{ id: string }>(
      'SELECT "id" FROM "Sku" WHERE "id" = ? AND "productId" = ?',
      skuId,
      productId,
    );
    if (!sku) throw notFound('SKU');
    const result = await adjustSkuStock(tx, { skuId, deltaQty, reason, adminId: actor.id });
    if (!result.ok) {
      if (result.reason === 'below-zero') {
        throw new AppError('OUT_OF_STOCK', `Only ${result.stock} in stock; cannot remove ${-deltaQty}`, {
          details: { skuId, stock: result.stock, deltaQty },
        });
      }
      throw new AppError('CONFLICT', `Stock may not exceed ${MAX_STOCK}`, {
        details: { skuId, stock: result.stock, deltaQty, maxStock: MAX_STOCK },
      });
    }
    const { adjustment } = result;
    await audit(tx, actor, {
      action: 'sku.stock',
      targetType: 'Sku',
      targetId: skuId,
      before: { productId, stock: adjustment.stockAfter - deltaQty },
      after: { productId, stock: adjustment.stockAfter, deltaQty, reason, adjustmentId: adjustment.id },
    });
  });
}
