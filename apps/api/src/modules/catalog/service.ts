import type {
  CategoryList,
  ProductDetail,
  ProductList,
  ProductListQuery,
  ProductSort,
  ProductSummary,
} from '@shop/contract';
import { Id, ProductSort as ProductSortSchema } from '@shop/contract';
import { Prisma } from '@shop/db';
import { z } from 'zod';
import type { DbOrTx } from '../../db';
import { notFound } from '../../http/errors';
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
 * compares createdAt as the stored text (taken from the row itself into the cursor), so the keyset comparison uses
 * exactly the format SQLite orders by.
 */
const SORTS: Record<ProductSort, { column: string; key: string; descending: boolean }> = {
  newest: { column: 'createdAt', key: 'CAST(p."createdAt" AS TEXT)', descending: true },
  price_asc: { column: 'minPriceFen', key: 'p."minPriceFen"', descending: false },
  price_desc: { column: 'minPriceFen', key: 'p."minPriceFen"', descending: true },
  sales: { column: 'salesCount', key: 'p."salesCount"', descending: true },
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
  imageUrl: string | null;
  salesCount: number;
  featured: boolean;
  categoryId: string;
  sortKey: number | string;
  soldOut: bigint | number;
}

/**
 * Published products, filtered and sorted, a page at a time. One statement: the sold-out flag is a correlated
 * EXISTS on the SKU's (productId, ...) index rather than a second round trip, and only the listed columns are read.
 * The keyword is matched with instr() rather than LIKE so `%` and `_` in a search are plain characters.
 */
export async function listProducts(db: DbOrTx, query: ProductListQuery): Promise<ProductList> {
  const sort = SORTS[query.sort];
  const conditions: Prisma.Sql[] = [Prisma.sql`p."status" = 'PUBLISHED'`];
  if (query.categoryId) conditions.push(Prisma.sql`p."categoryId" = ${query.categoryId}`);
  if (query.featured) conditions.push(Prisma.sql`p."featured" = ${query.featured === 'true' ? 1 : 0}`);
  if (query.q) {
    conditions.push(
      Prisma.sql`(instr(lower(p."title"), lower(${query.q})) > 0 OR instr(lower(p."subtitle"), lower(${query.q})) > 0)`,
    );
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, ProductCursor);
    const keyIsText = query.sort === 'newest';
    if (cursor.s !== query.sort || typeof cursor.k !== (keyIsText ? 'string' : 'number')) {
      // A cursor from another sort would silently skip rows; refuse it like any undecodable cursor.
      throw invalidCursorError();
    }
    const key = Prisma.raw(sort.key);
    const op = Prisma.raw(sort.descending ? '<' : '>');
    conditions.push(
      Prisma.sql`(${key} ${op} ${cursor.k} OR (${key} = ${cursor.k} AND p."id" ${op} ${cursor.id}))`,
    );
  }
  const direction = Prisma.raw(sort.descending ? 'DESC' : 'ASC');
  const rows = await db.$queryRaw<ProductRow[]>`
    SELECT p."id", p."title", p."subtitle", p."minPriceFen", p."salesCount", p."featured", p."categoryId",
           json_extract(p."imagesJson", '$[0]') AS "imageUrl",
           ${Prisma.raw(sort.key)} AS "sortKey",
           NOT EXISTS (SELECT 1 FROM "Sku" s WHERE s."productId" = p."id" AND s."stock" > 0) AS "soldOut"
    FROM "Product" p
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY p.${Prisma.raw(`"${sort.column}"`)} ${direction}, p."id" ${direction}
    LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toSummary),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ s: query.sort, k: last.sortKey, id: last.id })
        : null,
  };
}

function toSummary(row: ProductRow): ProductSummary {
  return {
    id: row.id,
    title: row.title,
    subtitle: row.subtitle,
    priceFen: row.minPriceFen,
    imageUrl: row.imageUrl ?? '',
    salesCount: row.salesCount,
    soldOut: Number(row.soldOut) === 1,
    featured: Boolean(row.featured),
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
