import type { CategoryList, ErrorBody, ProductDetail, ProductList, ProductSummary } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createProduct } from '../../testing/factories';
import { startTestSystem, type JsonResponse, type TestSystem } from '../../testing/harness';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

/** Follows nextCursor to the end and returns every item, in order. */
async function allPages(query: string, limit: number): Promise<ProductSummary[]> {
  const items: ProductSummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const qs: string = `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res: JsonResponse<ProductList> = await sys.request<ProductList>('GET', `/api/products?${qs}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

describe('GET /api/categories', () => {
  it('lists categories in their display order with icon URLs', async () => {
    const second = await createCategory(sys.db, { slug: 'cat-b', name: '第二', sortOrder: 20 });
    const first = await createCategory(sys.db, { slug: 'cat-a', name: '第一', sortOrder: 10 });
    const res = await sys.request<CategoryList>('GET', '/api/categories');
    expect(res.status).toBe(200);
    const ids = res.body.items.map((c) => c.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(res.body.items.find((c) => c.id === first.id)).toEqual({
      id: first.id,
      slug: 'cat-a',
      name: '第一',
      iconUrl: '/images/categories/cat-a.svg',
    });
  });
});

describe('GET /api/products', () => {
  it('lists only published products, with the lowest price and a sold-out flag', async () => {
    const category = await createCategory(sys.db);
    const onSale = await createProduct(sys.db, {
      categoryId: category.id,
      title: '上架商品',
      skus: [
        { specs: { 尺码: 'M' }, priceFen: 12900, stock: 3 },
        { specs: { 尺码: 'L' }, priceFen: 9900, stock: 0 },
      ],
    });
    const soldOut = await createProduct(sys.db, { categoryId: category.id, skus: [{ stock: 0 }] });
    await createProduct(sys.db, { categoryId: category.id, status: 'DRAFT' });
    await createProduct(sys.db, { categoryId: category.id, status: 'UNPUBLISHED' });

    const res = await sys.request<ProductList>('GET', `/api/products?categoryId=${category.id}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((p) => p.id).sort()).toEqual([onSale.id, soldOut.id].sort());
    const item = res.body.items.find((p) => p.id === onSale.id)!;
    expect(item).toMatchObject({
      title: '上架商品',
      priceFen: 9900,
      soldOut: false,
      categoryId: category.id,
    });
    expect(item.imageUrl).toBe(`/images/products/${onSale.id}/0.svg`);
    expect(res.body.items.find((p) => p.id === soldOut.id)!.soldOut).toBe(true);
    expect(res.body.nextCursor).toBeNull();
  });

  it('searches title and subtitle, treating % and _ as plain characters', async () => {
    const category = await createCategory(sys.db);
    const a = await createProduct(sys.db, { categoryId: category.id, title: '100% 纯棉 T恤' });
    const b = await createProduct(sys.db, { categoryId: category.id, title: '衬衫', subtitle: '纯棉免烫' });
    await createProduct(sys.db, { categoryId: category.id, title: '羊毛大衣' });
    const search = async (q: string) =>
      (
        await sys.request<ProductList>(
          'GET',
          `/api/products?categoryId=${category.id}&q=${encodeURIComponent(q)}`,
        )
      ).body.items
        .map((p) => p.id)
        .sort();
    expect(await search('纯棉')).toEqual([a.id, b.id].sort());
    expect(await search('100%')).toEqual([a.id]);
    expect(await search('%')).toEqual([a.id]);
    expect(await search('_')).toEqual([]);
    expect(await search('t恤')).toEqual([a.id]);
  });

  it('filters featured products', async () => {
    const category = await createCategory(sys.db);
    const featured = await createProduct(sys.db, { categoryId: category.id, featured: true });
    const plain = await createProduct(sys.db, { categoryId: category.id });
    const only = async (flag: string) =>
      (await sys.request<ProductList>('GET', `/api/products?categoryId=${category.id}&featured=${flag}`)).body
        .items;
    expect((await only('true')).map((p) => p.id)).toEqual([featured.id]);
    expect((await only('true'))[0]!.featured).toBe(true);
    expect((await only('false')).map((p) => p.id)).toEqual([plain.id]);
  });

  it('sorts by price, sales and newest, and pages through ties without skipping or repeating', async () => {
    const category = await createCategory(sys.db);
    const sameMoment = new Date('2026-01-01T00:00:00Z');
    // Many ties on every sort key: pages must still cover each product exactly once.
    const products = [];
    for (let i = 0; i < 11; i++) {
      products.push(
        await createProduct(sys.db, {
          categoryId: category.id,
          skus: [{ priceFen: [500, 900, 900, 900, 1200][i % 5]! }],
          salesCount: i % 3,
          createdAt: i < 6 ? sameMoment : new Date(sameMoment.getTime() + i * 1000),
        }),
      );
    }
    const expected = await sys.db.product.findMany({
      where: { categoryId: category.id },
      select: { id: true, minPriceFen: true, salesCount: true, createdAt: true },
    });
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    const orders = {
      price_asc: [...expected].sort((a, b) => a.minPriceFen - b.minPriceFen || byId(a, b)),
      price_desc: [...expected].sort((a, b) => b.minPriceFen - a.minPriceFen || byId(b, a)),
      sales: [...expected].sort((a, b) => b.salesCount - a.salesCount || byId(b, a)),
      newest: [...expected].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byId(b, a)),
    };
    for (const [sort, rows] of Object.entries(orders)) {
      for (const limit of [1, 2, 4, 50]) {
        const items = await allPages(`categoryId=${category.id}&sort=${sort}`, limit);
        expect(
          items.map((p) => p.id),
          `${sort} limit ${limit}`,
        ).toEqual(rows.map((r) => r.id));
      }
    }
    expect(products).toHaveLength(11);
  });

  it('refuses a cursor that does not decode, or that belongs to another sort', async () => {
    const category = await createCategory(sys.db);
    for (let i = 0; i < 3; i++) await createProduct(sys.db, { categoryId: category.id });
    const first = await sys.request<ProductList>(
      'GET',
      `/api/products?categoryId=${category.id}&sort=sales&limit=1`,
    );
    expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const otherSort = await sys.request<ErrorBody>(
      'GET',
      `/api/products?categoryId=${category.id}&sort=price_asc&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(otherSort.status).toBe(400);
    expect(otherSort.body.error.code).toBe('VALIDATION_ERROR');
    for (const cursor of ['abc', Buffer.from('{"s":"sales"}').toString('base64url'), 'bnVsbA']) {
      const res = await sys.request<ErrorBody>('GET', `/api/products?cursor=${cursor}`);
      expect(res.status, cursor).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('catalog cache', () => {
  it('shows a change within a second: a product taken off sale leaves the list and its page', async () => {
    const category = await createCategory(sys.db);
    const product = await createProduct(sys.db, { categoryId: category.id });
    const listed = async () =>
      (await sys.request<ProductList>('GET', `/api/products?categoryId=${category.id}`)).body.items.length;
    expect(await listed()).toBe(1);
    expect((await sys.request('GET', `/api/products/${product.id}`)).status).toBe(200);
    await sys.db.product.update({ where: { id: product.id }, data: { status: 'UNPUBLISHED' } });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await listed()).toBe(0);
    expect((await sys.request('GET', `/api/products/${product.id}`)).status).toBe(404);
  });
});

describe('GET /api/products/:id', () => {
  it('shows SKUs in spec order with their specs, prices and stock, the dimensions and the images', async () => {
    const category = await createCategory(sys.db, { name: '服饰' });
    const product = await createProduct(sys.db, {
      categoryId: category.id,
      title: '纯棉T恤',
      description: '舒适透气',
      skus: [
        { specs: { 颜色: '黑色', 尺码: 'M' }, priceFen: 7900, stock: 5 },
        { specs: { 颜色: '黑色', 尺码: 'L' }, priceFen: 8900, stock: 0 },
        { specs: { 颜色: '白色', 尺码: 'M' }, priceFen: 7900, stock: 2 },
        { specs: { 颜色: '白色', 尺码: 'L' }, priceFen: 8900, stock: 1 },
      ],
    });
    const res = await sys.request<ProductDetail>('GET', `/api/products/${product.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: product.id,
      title: '纯棉T恤',
      description: '舒适透气',
      categoryId: category.id,
      categoryName: '服饰',
      priceFen: 7900,
      soldOut: false,
      specs: [
        { name: '颜色', values: ['黑色', '白色'] },
        { name: '尺码', values: ['M', 'L'] },
      ],
    });
    expect(res.body.images).toEqual([0, 1, 2].map((i) => `/images/products/${product.id}/${i}.svg`));
    expect(res.body.skus.map((s) => [s.specs.颜色, s.specs.尺码, s.priceFen, s.stock])).toEqual([
      ['黑色', 'M', 7900, 5],
      ['黑色', 'L', 8900, 0],
      ['白色', 'M', 7900, 2],
      ['白色', 'L', 8900, 1],
    ]);
    expect(new Set(res.body.skus.map((s) => s.id))).toEqual(new Set(product.skuIds));
  });

  it('is 404 for unpublished and unknown products', async () => {
    const draft = await createProduct(sys.db, { status: 'DRAFT' });
    const taken = await createProduct(sys.db, { status: 'UNPUBLISHED' });
    for (const id of [draft.id, taken.id, 'cunknownproduct000000000']) {
      const res = await sys.request<ErrorBody>('GET', `/api/products/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('browsing without a session (the shop signs in only at the cart, checkout and orders)', () => {
  it('serves categories, listings, search, a product and its pictures to an anonymous visitor', async () => {
    const category = await createCategory(sys.db, { slug: 'anon', name: '随便看看' });
    const product = await createProduct(sys.db, {
      categoryId: category.id,
      title: '匿名可见的保温杯',
      skus: [{ specs: { 颜色: '黑色' }, stock: 3 }],
    });
    // No Authorization header on any of these, exactly as the shop sends them before sign-in.
    expect((await sys.request<CategoryList>('GET', '/api/categories')).body.items.map((c) => c.id)).toContain(
      category.id,
    );
    const listed = await sys.request<ProductList>('GET', `/api/products?categoryId=${category.id}`);
    expect(listed.body.items.map((p) => p.id)).toEqual([product.id]);
    const found = await sys.request<ProductList>('GET', `/api/products?q=${encodeURIComponent('保温杯')}`);
    expect(found.body.items.map((p) => p.id)).toContain(product.id);
    const detail = await sys.request<ProductDetail>('GET', `/api/products/${product.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.skus[0]?.stock).toBe(3);
    for (const path of [
      ...detail.body.images,
      listed.body.items[0]!.imageUrl,
      '/images/categories/anon.svg',
    ]) {
      expect((await fetch(`${sys.apiUrl}${path}`)).status, path).toBe(200);
    }
    // What belongs to a shopper still needs one.
    for (const path of ['/api/cart', '/api/orders', '/api/addresses']) {
      const res = await sys.request<ErrorBody>('GET', path);
      expect([res.status, res.body.error.code], path).toEqual([401, 'UNAUTHENTICATED']);
    }
  });
});
