import {
  AdminCategoryList,
  AdminProductDetail,
  AdminProductList,
  type AdminProductCreateBody,
  type ErrorBody,
} from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createProduct } from '../../../testing/factories';
import { startTestSystem, type TestSystem } from '../../../testing/harness';
import { eventually } from '../../payment/test-support';
import { demoAdmins, type DemoAdmins } from '../test-support';

/** The admin's catalog over HTTP: create, edit, publish, prices and stock, each audited, seen by the shop. */

let sys: TestSystem;
let admins: DemoAdmins;
let categoryId: string;

beforeAll(async () => {
  sys = await startTestSystem();
  admins = await demoAdmins(sys);
  categoryId = (await createCategory(sys.db, { name: '服饰' })).id;
});
afterAll(() => sys.close());

type Answer = AdminProductDetail & ErrorBody;

function asOwner(method: string, path: string, body?: unknown) {
  return sys.request<Answer>(method, path, {
    token: admins.owner.token,
    ...(body === undefined ? {} : { body }),
  });
}

function tee(overrides: Partial<AdminProductCreateBody> = {}): Record<string, unknown> {
  return {
    categoryId,
    title: '纯棉圆领 T 恤',
    subtitle: '100% 新疆长绒棉',
    description: '宽松版型。\n可机洗。',
    specs: [
      { name: '颜色', values: ['白色', '黑色'] },
      { name: '尺码', values: ['M', 'L'] },
    ],
    skus: [
      { specs: { 颜色: '白色', 尺码: 'M' }, priceFen: 7_900, stock: 10 },
      { specs: { 颜色: '白色', 尺码: 'L' }, priceFen: 8_900, stock: 0 },
      { specs: { 颜色: '黑色', 尺码: 'M' }, priceFen: 6_900, stock: 3 },
      { specs: { 颜色: '黑色', 尺码: 'L' }, priceFen: 7_900, stock: 4 },
    ],
    ...overrides,
  };
}

async function created(overrides: Partial<AdminProductCreateBody> = {}): Promise<AdminProductDetail> {
  const res = await asOwner('POST', '/api/admin/products', tee(overrides));
  expect(res.status, res.text).toBe(201);
  return AdminProductDetail.parse(res.body);
}

async function auditOf(targetId: string) {
  return sys.db.auditLog.findMany({ where: { targetId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

describe('creating products', () => {
  it('creates a draft through insertProduct: SKUs in spec order, minPriceFen, generated images, an audit row', async () => {
    const product = await created();
    expect(product).toMatchObject({
      title: '纯棉圆领 T 恤',
      status: 'DRAFT',
      featured: false,
      categoryName: '服饰',
      minPriceFen: 6_900,
      images: [0, 1, 2].map((i) => `/images/products/${product.id}/${i}.svg`),
      stockAdjustments: [],
    });
    expect(product.imageChoices).toHaveLength(10);
    expect(product.skus.map((s) => [s.specText, s.priceFen, s.stock])).toEqual([
      ['白色 / M', 7_900, 10],
      ['白色 / L', 8_900, 0],
      ['黑色 / M', 6_900, 3],
      ['黑色 / L', 7_900, 4],
    ]);
    const [row] = await auditOf(product.id);
    expect(row).toMatchObject({ action: 'product.create', adminId: admins.owner.id, targetType: 'Product' });
    // A draft is not in the shop.
    expect((await sys.request('GET', `/api/products/${product.id}`)).status).toBe(404);
  });

  it('refuses products that could not be sold correctly, with 400 and the field', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [
        'a SKU outside the specs',
        tee({ skus: [{ specs: { 颜色: '红色', 尺码: 'M' }, priceFen: 100, stock: 1 }] }),
        'body.skus',
      ],
      [
        'two SKUs with the same specs',
        tee({
          specs: [{ name: '颜色', values: ['白色'] }],
          skus: [
            { specs: { 颜色: '白色' }, priceFen: 100, stock: 1 },
            { specs: { 颜色: '白色' }, priceFen: 200, stock: 1 },
          ],
        }),
        'body.skus',
      ],
      ['an unknown category', tee({ categoryId: 'no-such-category' }), 'body.categoryId'],
      ['no SKUs', tee({ skus: [] }), 'body.skus'],
      [
        'a zero price',
        tee({ specs: [], skus: [{ specs: {}, priceFen: 0, stock: 1 }] }),
        'body.skus.0.priceFen',
      ],
      [
        'negative stock',
        tee({ specs: [], skus: [{ specs: {}, priceFen: 10, stock: -1 }] }),
        'body.skus.0.stock',
      ],
      ['an empty title', tee({ title: '  ' }), 'body.title'],
      ['an unknown key', { ...tee(), minPriceFen: 1 }, 'body'],
    ];
    const before = await sys.db.product.count();
    for (const [label, body, path] of cases) {
      const res = await asOwner('POST', '/api/admin/products', body);
      expect(res.status, `${label}: ${res.text}`).toBe(400);
      expect(res.body.error.code, label).toBe('VALIDATION_ERROR');
      const fields = (res.body.error.details as { fields: Array<{ path: string }> }).fields;
      expect(
        fields.some((f) => f.path.startsWith(path)),
        `${label}: ${res.text}`,
      ).toBe(true);
    }
    expect(await sys.db.product.count()).toBe(before);
  });
});

describe('editing and publishing', () => {
  it('publishes to the shop and takes off sale again; repeats change nothing', async () => {
    const product = await created();
    const published = await asOwner('POST', `/api/admin/products/${product.id}/publish`, {});
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('PUBLISHED');
    expect((await sys.request('GET', `/api/products/${product.id}`)).status).toBe(200);
    expect((await asOwner('POST', `/api/admin/products/${product.id}/publish`, {})).status).toBe(200);

    const unpublished = await asOwner('POST', `/api/admin/products/${product.id}/unpublish`, {});
    expect(unpublished.body.status).toBe('UNPUBLISHED');
    // The shop's catalog cache may answer from the last second; after that the product is gone.
    await eventually('the shop to drop the product', async () =>
      (await sys.request('GET', `/api/products/${product.id}`)).status === 404 ? true : undefined,
    );
    expect((await asOwner('POST', `/api/admin/products/${product.id}/unpublish`, {})).status).toBe(200);
    expect((await auditOf(product.id)).map((r) => [r.action, r.beforeJson, r.afterJson])).toEqual([
      ['product.create', null, expect.any(String)],
      ['product.publish', '{"status":"DRAFT"}', '{"status":"PUBLISHED"}'],
      ['product.unpublish', '{"status":"PUBLISHED"}', '{"status":"UNPUBLISHED"}'],
    ]);
  });

  it('edits texts, category, featured and the pictures chosen from its own images; audits only what changed', async () => {
    const product = await created();
    const other = await createCategory(sys.db, { name: '运动' });
    const res = await asOwner('PATCH', `/api/admin/products/${product.id}`, {
      title: '重磅纯棉 T 恤',
      subtitle: product.subtitle,
      categoryId: other.id,
      featured: true,
      images: [`/images/products/${product.id}/5.svg`, `/images/products/${product.id}/0.svg`],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      title: '重磅纯棉 T 恤',
      categoryName: '运动',
      featured: true,
      images: [`/images/products/${product.id}/5.svg`, `/images/products/${product.id}/0.svg`],
    });
    // The shop serves the newly chosen picture.
    const image = await fetch(`${sys.apiUrl}/images/products/${product.id}/5.svg`);
    expect(image.status).toBe(200);
    const update = (await auditOf(product.id)).find((r) => r.action === 'product.update')!;
    expect(JSON.parse(update.beforeJson!)).toEqual({
      title: '纯棉圆领 T 恤',
      categoryId,
      featured: false,
      images: product.images,
    });
    expect(Object.keys(JSON.parse(update.afterJson!) as object)).toEqual([
      'title',
      'categoryId',
      'featured',
      'images',
    ]);
  });

  it('refuses pictures that are not its own, unknown categories, empty edits and unknown products', async () => {
    const product = await created();
    const stranger = await created();
    for (const body of [
      { images: [`/images/products/${stranger.id}/0.svg`] },
      { images: [`/images/products/${product.id}/10.svg`] },
      { images: [`/images/products/${product.id}/0.svg`, `/images/products/${product.id}/0.svg`] },
      { images: [] },
      { categoryId: 'no-such-category' },
      {},
      { status: 'PUBLISHED' },
      { title: 'x'.repeat(61) },
    ]) {
      const res = await asOwner('PATCH', `/api/admin/products/${product.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await asOwner('PATCH', '/api/admin/products/no-such-product', { title: '新' })).status).toBe(404);
    expect((await asOwner('POST', '/api/admin/products/no-such-product/publish', {})).status).toBe(404);
    expect((await auditOf(product.id)).map((r) => r.action)).toEqual(['product.create']);
  });
});

describe('SKU prices', () => {
  it('changes a price and keeps minPriceFen in step, both ways', async () => {
    const product = await created();
    const blackM = product.skus.find((s) => s.specText === '黑色 / M')!;
    const price = (priceFen: number) =>
      asOwner('PUT', `/api/admin/products/${product.id}/skus/${blackM.id}/price`, { priceFen });
    const lower = await price(5_500);
    expect(lower.status).toBe(200);
    expect(lower.body.minPriceFen).toBe(5_500);
    expect(lower.body.skus.find((s) => s.id === blackM.id)!.priceFen).toBe(5_500);
    const higher = await price(9_900);
    expect(higher.body.minPriceFen).toBe(7_900);
    const row = await sys.db.product.findUniqueOrThrow({ where: { id: product.id } });
    expect(row.minPriceFen).toBe(7_900);
    expect((await price(9_900)).status).toBe(200);
    const audit = (await sys.db.auditLog.findMany({ where: { targetId: blackM.id } })).map((r) => [
      r.action,
      JSON.parse(r.beforeJson!) as unknown,
      JSON.parse(r.afterJson!) as unknown,
    ]);
    expect(audit).toEqual([
      [
        'sku.price',
        { productId: product.id, priceFen: 6_900 },
        { productId: product.id, priceFen: 5_500, minPriceFen: 5_500 },
      ],
      [
        'sku.price',
        { productId: product.id, priceFen: 5_500 },
        { productId: product.id, priceFen: 9_900, minPriceFen: 7_900 },
      ],
    ]);
  });

  it("refuses another product's SKU and bad prices", async () => {
    const product = await created();
    const other = await createProduct(sys.db);
    const path = `/api/admin/products/${product.id}/skus/${other.skuIds[0]}/price`;
    expect((await asOwner('PUT', path, { priceFen: 100 })).status).toBe(404);
    const own = `/api/admin/products/${product.id}/skus/${product.skus[0]!.id}/price`;
    for (const body of [
      { priceFen: 0 },
      { priceFen: 12.5 },
      { priceFen: '100' },
      { priceFen: 100_000_001 },
      {},
    ]) {
      expect((await asOwner('PUT', own, body)).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('stock adjustments', () => {
  it('adds and removes with a reason, writes StockAdjustment rows, and never goes below zero', async () => {
    const product = await created();
    const sku = product.skus.find((s) => s.specText === '黑色 / M')!;
    const adjust = (deltaQty: number, reason = '盘点') =>
      asOwner('POST', `/api/admin/products/${product.id}/skus/${sku.id}/stock-adjustments`, {
        deltaQty,
        reason,
      });
    const added = await adjust(5, '到货');
    expect(added.status, added.text).toBe(201);
    expect(added.body.skus.find((s) => s.id === sku.id)!.stock).toBe(8);
    expect(added.body.stockAdjustments[0]).toMatchObject({
      deltaQty: 5,
      stockAfter: 8,
      reason: '到货',
      specText: '黑色 / M',
      adminName: '店主',
    });
    const tooMany = await adjust(-9);
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'OUT_OF_STOCK', details: { stock: 8, deltaQty: -9 } });
    expect((await adjust(-8, '报损')).status).toBe(201);
    const row = await sys.db.sku.findUniqueOrThrow({ where: { id: sku.id } });
    expect(row.stock).toBe(0);
    expect(await sys.db.stockAdjustment.count({ where: { skuId: sku.id } })).toBe(2);
    const audit = await sys.db.auditLog.findMany({
      where: { targetId: sku.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(audit.map((r) => [r.action, JSON.parse(r.beforeJson!) as unknown])).toEqual([
      ['sku.stock', { productId: product.id, stock: 3 }],
      ['sku.stock', { productId: product.id, stock: 8 }],
    ]);
    for (const body of [
      { deltaQty: 0, reason: 'x' },
      { deltaQty: 1 },
      { deltaQty: 1.5, reason: 'x' },
      { deltaQty: 1, reason: '' },
    ]) {
      const res = await asOwner(
        'POST',
        `/api/admin/products/${product.id}/skus/${sku.id}/stock-adjustments`,
        body,
      );
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('loses no update under 30 concurrent adjustments and never goes below zero', async () => {
    const product = await created({ specs: [], skus: [{ specs: {}, priceFen: 1_000, stock: 20 }] });
    const skuId = product.skus[0]!.id;
    const path = `/api/admin/products/${product.id}/skus/${skuId}/stock-adjustments`;
    const deltas = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 4 : -3));
    const answers = await Promise.all(
      deltas.map((deltaQty) => asOwner('POST', path, { deltaQty, reason: '并发' })),
    );
    const applied = deltas.filter((_, i) => answers[i]!.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(applied.length + refused.length).toBe(30);
    const stock = (await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock;
    expect(stock).toBe(20 + applied.reduce((sum, d) => sum + d, 0));
    expect(stock).toBeGreaterThanOrEqual(0);
    // The rows tell a consistent story: each stockAfter is the previous one plus its delta.
    const rows = await sys.db.stockAdjustment.findMany({ where: { skuId }, orderBy: { stockAfter: 'asc' } });
    expect(rows).toHaveLength(applied.length);
    const ordered = await sys.db.stockAdjustment.findMany({
      where: { skuId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    let running = 20;
    for (const row of ordered) {
      running += row.deltaQty;
      expect(row.stockAfter).toBe(running);
    }
  });
});

describe('reading products', () => {
  it('lists every status with stock totals, searches as plain text, filters and pages; staff may read', async () => {
    const category = await createCategory(sys.db, { name: '搜索' });
    const draft = await created({ categoryId: category.id, title: '50%_折扣 帆布袋' });
    await createProduct(sys.db, {
      categoryId: category.id,
      title: '帆布鞋',
      skus: [{ priceFen: 100, stock: 0 }],
    });
    const page = await sys.request<AdminProductList>('GET', `/api/admin/products?categoryId=${category.id}`, {
      token: admins.staff.token,
    });
    expect(page.status).toBe(200);
    const parsed = AdminProductList.parse(page.body);
    expect(parsed.total).toBe(2);
    expect(parsed.items.map((p) => p.status).sort()).toEqual(['DRAFT', 'PUBLISHED']);
    expect(parsed.items.find((p) => p.id === draft.id)).toMatchObject({
      minPriceFen: 6_900,
      maxPriceFen: 8_900,
      skuCount: 4,
      totalStock: 17,
      soldOutSkuCount: 1,
      imageUrl: `/images/products/${draft.id}/0.svg`,
    });
    const search = async (q: string) =>
      (
        await sys.request<AdminProductList>('GET', `/api/admin/products?q=${encodeURIComponent(q)}`, {
          token: admins.owner.token,
        })
      ).body.items.map((p) => p.id);
    expect(await search('%_')).toEqual([draft.id]);
    expect(await search('帆布')).toHaveLength(2);
    const drafts = await sys.request<AdminProductList>(
      'GET',
      `/api/admin/products?categoryId=${category.id}&status=DRAFT&pageSize=1&page=1`,
      { token: admins.owner.token },
    );
    expect(drafts.body).toMatchObject({ total: 1, page: 1, pageSize: 1 });
    const detail = await sys.request<AdminProductDetail>('GET', `/api/admin/products/${draft.id}`, {
      token: admins.staff.token,
    });
    expect(detail.status).toBe(200);
    const categories = await sys.request<AdminCategoryList>('GET', '/api/admin/categories', {
      token: admins.staff.token,
    });
    expect(AdminCategoryList.parse(categories.body).items.map((c) => c.name)).toContain('搜索');
    for (const query of ['status=GONE', 'page=0', 'pageSize=500', 'sort=price', 'q=']) {
      const res = await sys.request('GET', `/api/admin/products?${query}`, { token: admins.owner.token });
      expect(res.status, query).toBe(400);
    }
    expect(
      (await sys.request('GET', '/api/admin/products/unknown-id', { token: admins.owner.token })).status,
    ).toBe(404);
  });
});
