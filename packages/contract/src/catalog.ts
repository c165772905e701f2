import { z } from 'zod';
import { Cursor, cursorPage, Fen, Id, Limit } from './common';

export const Category = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  iconUrl: z.string(),
});
export type Category = z.infer<typeof Category>;

export const CategoryList = z.object({ items: z.array(Category) });
export type CategoryList = z.infer<typeof CategoryList>;

export const ProductSort = z.enum(['newest', 'price_asc', 'price_desc', 'sales']);
export type ProductSort = z.infer<typeof ProductSort>;

export const ProductListQuery = z.strictObject({
  categoryId: Id.optional(),
  q: z.string().trim().min(1).max(50).optional(),
  sort: ProductSort.default('newest'),
  featured: z.enum(['true', 'false']).optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});
export type ProductListQuery = z.infer<typeof ProductListQuery>;

export const ProductSummary = z.object({
  id: Id,
  title: z.string(),
  subtitle: z.string(),
  /** The lowest SKU price. */
  priceFen: Fen,
  /** A path on the API (`/images/...`); clients prefix the API's base URL. */
  imageUrl: z.string(),
  salesCount: z.number().int(),
  /** Every SKU has stock 0. */
  soldOut: z.boolean(),
  featured: z.boolean(),
  categoryId: Id,
});
export type ProductSummary = z.infer<typeof ProductSummary>;

export const ProductList = cursorPage(ProductSummary);
export type ProductList = z.infer<typeof ProductList>;

/** `/api/products/:id`. */
export const ProductParams = z.strictObject({ id: Id });
export type ProductParams = z.infer<typeof ProductParams>;

export const SpecDimension = z.object({ name: z.string(), values: z.array(z.string()) });
export type SpecDimension = z.infer<typeof SpecDimension>;

export const SkuView = z.object({
  id: Id,
  /** Spec values by dimension name, e.g. { "颜色": "黑", "尺码": "M" }; {} for a single-SKU product. */
  specs: z.record(z.string(), z.string()),
  priceFen: Fen,
  stock: z.number().int().min(0),
});
export type SkuView = z.infer<typeof SkuView>;

export const ProductDetail = z.object({
  id: Id,
  title: z.string(),
  subtitle: z.string(),
  description: z.string(),
  images: z.array(z.string()),
  categoryId: Id,
  categoryName: z.string(),
  /** The lowest SKU price. */
  priceFen: Fen,
  salesCount: z.number().int(),
  soldOut: z.boolean(),
  featured: z.boolean(),
  /** Spec dimensions in display order; each SKU names one value per dimension. */
  specs: z.array(SpecDimension),
  skus: z.array(SkuView),
});
export type ProductDetail = z.infer<typeof ProductDetail>;
