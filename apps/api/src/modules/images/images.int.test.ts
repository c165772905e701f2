import type { ErrorBody, ProductDetail } from '@shop/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createProduct } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

describe('GET /images/products/:productId/:index.svg', () => {
  it('serves every image the product lists as a cacheable SVG with an ETag, and 304 when unchanged', async () => {
    const category = await createCategory(sys.db, { slug: 'apparel', name: '服饰' });
    const product = await createProduct(sys.db, {
      categoryId: category.id,
      title: '纯棉T恤',
      skus: [{ specs: { 颜色: '黑色' } }, { specs: { 颜色: '白色' } }],
    });
    const detail = await sys.request<ProductDetail>('GET', `/api/products/${product.id}`);
    for (const path of detail.body.images) {
      const res = await fetch(`${sys.apiUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('public, max-age=604800');
      const body = await res.text();
      expect(body).toMatch(/^<svg [^>]*width="750" height="750"/);
      expect(body).toContain('纯棉T恤');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      // A browser revalidating sends max-age=0; without it, fetch adds `no-cache`, which (rightly) forces a 200.
      const again = await fetch(`${sys.apiUrl}${path}`, {
        headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' },
      });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it('serves every picture a product may choose from, so the admin can preview them', async () => {
    const product = await createProduct(sys.db);
    expect((await fetch(`${sys.apiUrl}/images/products/${product.id}/9.svg`)).status).toBe(200);
  });

  it('is 404 for a product that does not exist, and 400 beyond the ten pictures a product may choose from', async () => {
    const missing = await sys.request<ErrorBody>('GET', '/images/products/cnosuchproduct00000000/0.svg');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const product = await createProduct(sys.db);
    const beyond = await sys.request<ErrorBody>('GET', `/images/products/${product.id}/10.svg`);
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('still serves the images of a product taken off sale (orders keep showing them)', async () => {
    const product = await createProduct(sys.db, { status: 'UNPUBLISHED' });
    expect((await fetch(`${sys.apiUrl}/images/products/${product.id}/0.svg`)).status).toBe(200);
  });

  it('refuses malformed names with 400', async () => {
    const product = await createProduct(sys.db);
    for (const path of [
      `/images/products/${product.id}/0.png`,
      `/images/products/${product.id}/10.svg`,
      `/images/products/${product.id}/..%2F0.svg`,
      `/images/products/${'x'.repeat(65)}/0.svg`,
      `/images/products/a%20b/0.svg`,
    ]) {
      const res = await sys.request<ErrorBody>('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('GET /images/categories/:slug.svg', () => {
  it('serves the icon of an existing category and 404 otherwise', async () => {
    const category = await createCategory(sys.db, { slug: 'digital', name: '数码' });
    const res = await fetch(`${sys.apiUrl}/images/categories/${category.slug}.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeTruthy();
    expect(await res.text()).toContain('<title>数码</title>');
    expect((await sys.request('GET', '/images/categories/no-such-slug.svg')).status).toBe(404);
    expect((await sys.request('GET', '/images/categories/Bad_Slug.svg')).status).toBe(400);
  });
});
