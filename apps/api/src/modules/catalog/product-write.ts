import type { SpecDimension } from '@shop/contract';
import type { ProductStatus } from '@shop/db';
import type { DbOrTx } from '../../db';
import { specKeyOf, type SpecValues } from './specs';

export interface NewSku {
  /** One value per dimension, e.g. { 颜色: '黑色', 尺码: 'M' }; {} (the default) for a single-SKU product. */
  specs?: SpecValues;
  priceFen: number;
  stock: number;
}

export interface NewProduct {
  categoryId: string;
  title: string;
  subtitle?: string;
  description?: string;
  status?: ProductStatus;
  featured?: boolean;
  salesCount?: number;
  createdAt?: Date;
  /** Spec dimensions in display order; derived from the SKUs (first-seen order) when left out. */
  specs?: SpecDimension[];
  skus: NewSku[];
  /** How many generated images (/images/products/:id/:index.svg) the product shows; default 3. */
  imageCount?: number;
}

export const MAX_PRODUCT_IMAGES = 10;

export function productImagePath(productId: string, index: number): string {
  return `/images/products/${productId}/${index}.svg`;
}

export function categoryIconPath(slug: string): string {
  return `/images/categories/${slug}.svg`;
}

/** Dimensions in the order their names and values first appear on the SKUs. */
function dimensionsOf(skus: readonly NewSku[]): SpecDimension[] {
  const dimensions: SpecDimension[] = [];
  for (const sku of skus) {
    for (const [name, value] of Object.entries(sku.specs ?? {})) {
      let dimension = dimensions.find((d) => d.name === name);
      if (!dimension) dimensions.push((dimension = { name, values: [] }));
      if (!dimension.values.includes(value)) dimension.values.push(value);
    }
  }
  return dimensions;
}

/** A product `insertProduct` refuses (no SKUs, a bad price or stock, SKUs that do not fit the specs). */
export class InvalidProductError extends Error {
  override readonly name = 'InvalidProductError';
}

/** Refuses a product whose SKUs do not fit its dimensions: such a product could never be ordered correctly. */
function checkProduct(input: NewProduct, dimensions: readonly SpecDimension[]): void {
  if (input.skus.length === 0)
    throw new InvalidProductError(`product "${input.title}" needs at least one SKU`);
  const keys = new Set<string>();
  for (const sku of input.skus) {
    const specs = sku.specs ?? {};
    if (!Number.isSafeInteger(sku.priceFen) || sku.priceFen < 1) {
      throw new InvalidProductError(
        `product "${input.title}": priceFen must be a positive integer, got ${sku.priceFen}`,
      );
    }
    if (!Number.isSafeInteger(sku.stock) || sku.stock < 0) {
      throw new InvalidProductError(
        `product "${input.title}": stock must be a non-negative integer, got ${sku.stock}`,
      );
    }
    const names = Object.keys(specs);
    const fits =
      names.length === dimensions.length &&
      dimensions.every((d) => specs[d.name] !== undefined && d.values.includes(specs[d.name]!));
    if (!fits)
      throw new InvalidProductError(
        `product "${input.title}": SKU ${JSON.stringify(specs)} does not fit its specs`,
      );
    const key = specKeyOf(specs);
    if (keys.has(key))
      throw new InvalidProductError(`product "${input.title}": two SKUs share ${key || 'no specs'}`);
    keys.add(key);
  }
}

/**
 * Writes a product and its SKUs with the derived columns kept in step: minPriceFen (listings sort by it), each SKU's
 * canonical specKey, and the generated image paths (known only once the product has its id). Used by the demo seed
 * and the test factories; two statements, so callers that need atomicity pass a transaction.
 */
export async function insertProduct(
  db: DbOrTx,
  input: NewProduct,
): Promise<{ id: string; skuIds: string[] }> {
  const dimensions = input.specs ?? dimensionsOf(input.skus);
  checkProduct(input, dimensions);
  const imageCount = Math.min(Math.max(input.imageCount ?? 3, 1), MAX_PRODUCT_IMAGES);
  const product = await db.product.create({
    data: {
      categoryId: input.categoryId,
      title: input.title,
      subtitle: input.subtitle ?? '',
      description: input.description ?? '',
      status: input.status ?? 'PUBLISHED',
      featured: input.featured ?? false,
      salesCount: input.salesCount ?? 0,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
      specsJson: JSON.stringify(dimensions),
      minPriceFen: Math.min(...input.skus.map((s) => s.priceFen)),
      skus: {
        create: input.skus.map((sku) => ({
          specsJson: JSON.stringify(sku.specs ?? {}),
          specKey: specKeyOf(sku.specs ?? {}),
          priceFen: sku.priceFen,
          stock: sku.stock,
        })),
      },
    },
    select: { id: true, skus: { select: { id: true, specKey: true } } },
  });
  const images = Array.from({ length: imageCount }, (_, i) => productImagePath(product.id, i));
  await db.product.update({ where: { id: product.id }, data: { imagesJson: JSON.stringify(images) } });
  // Return SKU ids in the caller's order (the nested create does not promise one).
  const byKey = new Map(product.skus.map((s) => [s.specKey, s.id]));
  return { id: product.id, skuIds: input.skus.map((s) => byKey.get(specKeyOf(s.specs ?? {}))!) };
}
