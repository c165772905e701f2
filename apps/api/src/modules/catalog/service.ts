import type {
  CategoryList,
  ProductDetail,
  ProductList,
  ProductListQuery,
  ProductSort,
  ProductSummary,
} from '@shop/contract';
import { Id, ProductSort as ProductSortSchema } from '@shop/contract';
import { readBool, readDate, type SqlParam } from '@shop/db';
import { z } from 'zod';
import { sql, type Db, type DbOrTx } from '../../db';
import { notFound } from '../../errors';
import { decodeCursor, encodeCursor, invalidCursorError } from '../../lib/cursor';
import { compareBySpecs, parseDimensions, parseImagePaths, parseSpecValues } from './specs';

export async function listCategories(db: DbOrTx): Promise<CategoryList> {
  const rows = await db.category.findMany({
    orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }],
    select: { id: true, slug: true, name: true, iconPath: true },
  });
  return { items: rows.map((c) => ({ id: c.id, slug: c.slug, name: c.name, iconUrl: c.iconPath })) };
}

/**
 * Each sort is one indexed column plus the id as tie-breaker. The column names are constants, never input. Newest
 * keeps the row's creation time in the cursor as an ISO instant and compares it as a DateTime on either engine.
 */
const SORTS: Record<ProductSort, { column: string; descending: boolean }> = {
  newest: { column: 'createdAt', descending: true },
  price_asc: { column: 'minPriceFen', descending: false },
  price_desc: { column: 'minPriceFen', descending: true },
  sales: { column: 'salesCount', descending: true },
};

const ProductCursor = z.strictObject({
  s: ProductSortSchema,
  k: z.union([z.number().int(), z.string().max(40)]),
  id: Id,
});

interface ProductRow {
  id: string;
  title: string;
  subtitle: string;
  minPriceFen: number;
  imagesJson: string;
  salesCount: number;
  featured: boolean | number;
  categoryId: string;
  createdAt: string | Date;
  soldOut: boolean | number;
}

/** The cursor key of a row under a sort: the sort column's value, a creation time as an ISO instant. */
function sortKeyOf(row: ProductRow, sort: ProductSort): number | string {
  switch (sort) {
    case 'newest':
      return readDate(row.createdAt).toISOString();
    case 'sales':
      return row.salesCount;
    default:
      return row.minPriceFen;
  }
}

/**
 * Published products, filtered and sorted, a page at a time. One statement: the sold-out flag is a correlated
 * EXISTS on the SKU's (productId, ...) index rather than a second round trip, and only the listed columns are read.
 * The keyword is matched as plain characters (the dialect's text search, not LIKE), so `%` and `_` in a search are
 * not wildcards.
 */
export async function listProducts(db: Db, query: ProductListQuery): Promise<ProductList> {
  const sort = SORTS[query.sort];
  return sql(db).read(async (q) => {
    const conditions: string[] = [`p."status" = 'PUBLISHED'`];
    const params: SqlParam[] = [];
    if (query.categoryId) {
      conditions.push('p."categoryId" = ?');
      params.push(query.categoryId);
    }
    if (query.featured) {
      conditions.push('p."featured" = ?');
      params.push(query.featured === 'true');
    }
    if (query.q) {
      conditions.push(
        `(${q.dialect.containsText('p."title"')} OR ${q.dialect.containsText('p."subtitle"')})`,
      );
      params.push(query.q, query.q);
    }
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, ProductCursor);
      const keyIsTime = query.sort === 'newest';
      const key: SqlParam | undefined = keyIsTime
        ? typeof cursor.k === 'string' && !Number.isNaN(Date.parse(cursor.k))
          ? new Date(cursor.k)
          : undefined
        : typeof cursor.k === 'number'
          ? cursor.k
          : undefined;
      if (cursor.s !== query.sort || key === undefined) {
        // A cursor from another sort would silently skip rows; refuse it like any undecodable cursor.
        throw invalidCursorError();
      }
      const op = sort.descending ? '<' : '>';
      conditions.push(`(p."${sort.column}" ${op} ? OR (p."${sort.column}" = ? AND p."id" ${op} ?))`);
      params.push(key, key, cursor.id);
    }
    const direction = sort.descending ? 'DESC' : 'ASC';
    const rows = await q.all<ProductRow>(
      `SELECT p."id", p."title", p."subtitle", p."minPriceFen", p."salesCount", p."featured", p."categoryId",
              p."imagesJson", p."createdAt",
              NOT EXISTS (SELECT 1 FROM "Sku" s WHERE s."productId" = p."id" AND s."stock" > 0) AS "soldOut"
       FROM "Product" p
       WHERE ${conditions.join(' AND ')}
       ORDER BY p."${sort.column}" ${direction}, p."id" ${direction}
       LIMIT ?`,
      ...params,
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toSummary),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ s: query.sort, k: sortKeyOf(last, query.sort), id: last.id })
          : null,
    };
  });
}

function toSummary(row: ProductRow): ProductSummary {
  return {
    id: row.id,
    title: row.title,
    subtitle: row.subtitle,
    priceFen: row.minPriceFen,
    imageUrl: parseImagePaths(row.imagesJson)[0] ?? '',
    salesCount: row.salesCount,
    soldOut: readBool(row.soldOut),
    featured: readBool(row.featured),
    categoryId: row.categoryId,
  };
}

/** A published product with its SKUs and spec dimensions; unpublished and unknown products are both 404. */
export async function getProduct(db: DbOrTx, id: string): Promise<ProductDetail> {
  const product = await db.product.findFirst({
    where: { id, status: 'PUBLISHED' },
    select: {
      id: true,
      title: true,
      subtitle: true,
      description: true,
      imagesJson: true,
      specsJson: true,
      categoryId: true,
      minPriceFen: true,
      salesCount: true,
      featured: true,
      category: { select: { name: true } },
      skus: { select: { id: true, specsJson: true, priceFen: true, stock: true } },
    },
  });
  if (!product) throw notFound('Product');
  const specs = parseDimensions(product.specsJson);
  const order = compareBySpecs(specs);
  const skus = product.skus
    .map((sku) => ({
      id: sku.id,
      specs: parseSpecValues(sku.specsJson),
      priceFen: sku.priceFen,
      stock: sku.stock,
    }))
    .sort((a, b) => order(a.specs, b.specs) || (a.id < b.id ? -1 : 1));
  return {
    id: product.id,
    title: product.title,
    subtitle: product.subtitle,
    description: product.description,
    images: parseImagePaths(product.imagesJson),
    categoryId: product.categoryId,
    categoryName: product.category.name,
    priceFen: product.minPriceFen,
    salesCount: product.salesCount,
    soldOut: skus.every((s) => s.stock === 0),
    featured: product.featured,
    specs,
    skus,
  };
}
