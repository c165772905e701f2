import {
  MAX_PRODUCT_IMAGE_CHOICES,
  type AdminCategoryList,
  type AdminProductDetail,
  type AdminProductList,
  type AdminProductListQuery,
  type AdminProductSummary,
  type StockAdjustmentView,
} from '@shop/contract';
import { readInt, type SqlParam } from '@shop/db';
import { sql, type Db, type DbOrTx } from '../../../db';
import { notFound } from '../../../errors';
import { productImagePath } from '../../catalog/product-write';
import {
  compareBySpecs,
  parseDimensions,
  parseImagePaths,
  parseSpecValues,
  specTextOf,
} from '../../catalog/specs';

/** Reading products for the merchant: every status, with stock totals, SKUs and the latest stock adjustments. */

/** The generated pictures a product may show: `/images/products/:id/0.svg` to `9.svg`. */
export function imageChoices(productId: string): string[] {
  return Array.from({ length: MAX_PRODUCT_IMAGE_CHOICES }, (_, i) => productImagePath(productId, i));
}

const STOCK_HISTORY = 50;

/** Newest first; `q` matches title or subtitle as plain text (the dialect's text search, not LIKE's wildcards). */
export async function listAdminProducts(db: Db, query: AdminProductListQuery): Promise<AdminProductList> {
  const { total, ids } = await sql(db).read(async (q) => {
    const parts = ['1 = 1'];
    const params: SqlParam[] = [];
    if (query.status) {
      parts.push('p."status" = ?');
      params.push(query.status);
    }
    if (query.categoryId) {
      parts.push('p."categoryId" = ?');
      params.push(query.categoryId);
    }
    if (query.q) {
      parts.push(`(${q.dialect.containsText('p."title"')} OR ${q.dialect.containsText('p."subtitle"')})`);
      params.push(query.q, query.q);
    }
    const where = parts.join(' AND ');
    const counted = await q.get<{ n: number | string }>(
      `SELECT count(*) AS "n" FROM "Product" p WHERE ${where}`,
      ...params,
    );
    const page = await q.all<{ id: string }>(
      `SELECT p."id" FROM "Product" p WHERE ${where} ORDER BY p."createdAt" DESC, p."id" DESC LIMIT ? OFFSET ?`,
      ...params,
      query.pageSize,
      (query.page - 1) * query.pageSize,
    );
    return { total: readInt(counted?.n ?? 0), ids: page.map((row) => row.id) };
  });
  const rows = await db.product.findMany({
    where: { id: { in: ids } },
    include: { category: { select: { name: true } }, skus: { select: { priceFen: true, stock: true } } },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const items = ids.flatMap((id): AdminProductSummary[] => {
    const product = byId.get(id);
    if (!product) return [];
    const prices = product.skus.map((sku) => sku.priceFen);
    return [
      {
        id: product.id,
        title: product.title,
        subtitle: product.subtitle,
        status: product.status,
        featured: product.featured,
        categoryId: product.categoryId,
        categoryName: product.category.name,
        minPriceFen: product.minPriceFen,
        maxPriceFen: prices.length > 0 ? Math.max(...prices) : product.minPriceFen,
        skuCount: product.skus.length,
        totalStock: product.skus.reduce((sum, sku) => sum + sku.stock, 0),
        soldOutSkuCount: product.skus.filter((sku) => sku.stock === 0).length,
        salesCount: product.salesCount,
        imageUrl: parseImagePaths(product.imagesJson)[0] ?? null,
        createdAt: product.createdAt.toISOString(),
        updatedAt: product.updatedAt.toISOString(),
      },
    ];
  });
  return { items, total, page: query.page, pageSize: query.pageSize };
}

export async function getAdminProduct(db: DbOrTx, productId: string): Promise<AdminProductDetail> {
  const product = await db.product.findUnique({
    where: { id: productId },
    include: { category: { select: { name: true } }, skus: true },
  });
  if (!product) throw notFound('Product');
  const specs = parseDimensions(product.specsJson);
  const skus = product.skus
    .map((sku) => ({ sku, values: parseSpecValues(sku.specsJson) }))
    .sort((a, b) => compareBySpecs(specs)(a.values, b.values));
  const specTextById = new Map(skus.map(({ sku, values }) => [sku.id, specTextOf(values, specs)]));
  const adjustments = await db.stockAdjustment.findMany({
    where: { skuId: { in: product.skus.map((sku) => sku.id) } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: STOCK_HISTORY,
  });
  const adminIds = [...new Set(adjustments.flatMap((a) => (a.adminId ? [a.adminId] : [])))];
  const admins = await db.admin.findMany({
    where: { id: { in: adminIds } },
    select: { id: true, displayName: true },
  });
  const adminNames = new Map(admins.map((admin) => [admin.id, admin.displayName]));
  return {
    id: product.id,
    title: product.title,
    subtitle: product.subtitle,
    description: product.description,
    status: product.status,
    featured: product.featured,
    categoryId: product.categoryId,
    categoryName: product.category.name,
    images: parseImagePaths(product.imagesJson),
    imageChoices: imageChoices(product.id),
    specs,
    skus: skus.map(({ sku, values }) => ({
      id: sku.id,
      specs: values,
      specText: specTextById.get(sku.id) ?? '',
      priceFen: sku.priceFen,
      stock: sku.stock,
    })),
    minPriceFen: product.minPriceFen,
    salesCount: product.salesCount,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
    stockAdjustments: adjustments.map((a): StockAdjustmentView => ({
      id: a.id,
      skuId: a.skuId,
      specText: specTextById.get(a.skuId) ?? '',
      deltaQty: a.deltaQty,
      stockAfter: a.stockAfter,
      reason: a.reason,
      adminId: a.adminId,
      adminName: a.adminId ? (adminNames.get(a.adminId) ?? null) : null,
      createdAt: a.createdAt.toISOString(),
    })),
  };
}

export async function listAdminCategories(db: DbOrTx): Promise<AdminCategoryList> {
  const rows = await db.category.findMany({ orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }] });
  return {
    items: rows.map((row) => ({ id: row.id, slug: row.slug, name: row.name, iconUrl: row.iconPath })),
  };
}
