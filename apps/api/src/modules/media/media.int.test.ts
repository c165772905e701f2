import {
  MAX_PRODUCT_PHOTOS,
  type ProductDetail,
  type ProductPhotoList,
  type UploadResult,
} from '@shop/contract';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { demoAdmins, type DemoAdmins } from '../admin/test-support';
import { signUpShopper, type Shopper } from '../payment/test-support';

/*
 * Photos against the real API and a fresh database: the type is read from the bytes (a text file called a JPEG is
 * refused, whatever its Content-Type), variants are resized WebP with a year's immutable caching, and the order of
 * the merchant's photos is the shop's (the first is the cover); without photos the drawings come back.
 */

let sys: TestSystem;
let admins: DemoAdmins;
let alice: Shopper;

beforeAll(async () => {
  sys = await startTestSystem();
  admins = await demoAdmins(sys);
  alice = await signUpShopper(sys);
});
afterAll(() => sys.close());

function picture(format: 'jpeg' | 'png' | 'webp', width = 1200, height = 900): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 40 } } })
    .toFormat(format)
    .toBuffer();
}

async function upload(path: string, bytes: Buffer, token: string, contentType = 'image/jpeg') {
  const res = await fetch(`${sys.apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

const photos = (productId: string, bytes: Buffer, token = admins.owner.token, type?: string) =>
  upload(`/api/admin/photos?productId=${productId}`, bytes, token, type);

describe('product photos', () => {
  it('takes JPEG, PNG and WebP by their bytes, orders them, picks the cover, and the shop shows them', async () => {
    const product = await createProduct(sys.db);
    const jpeg = await photos(product.id, await picture('jpeg'));
    expect(jpeg.status, jpeg.text).toBe(201);
    // A PNG sent as "image/jpeg": the bytes decide.
    const png = await photos(product.id, await picture('png', 600, 800), admins.owner.token, 'image/jpeg');
    expect(png.status, png.text).toBe(201);
    const webp = await photos(
      product.id,
      await picture('webp', 400, 400),
      admins.owner.token,
      'application/octet-stream',
    );
    const list = webp.body as unknown as ProductPhotoList;
    expect(list.items.map((p) => [p.contentType, p.width, p.height, p.isCover])).toEqual([
      ['image/jpeg', 1200, 900, true],
      ['image/png', 600, 800, false],
      ['image/webp', 400, 400, false],
    ]);

    const reordered = await sys.request<ProductPhotoList>('PUT', `/api/admin/products/${product.id}/photos`, {
      token: admins.owner.token,
      body: { photoIds: [list.items[2]!.id, list.items[0]!.id, list.items[1]!.id] },
    });
    expect(reordered.body.items[0]).toMatchObject({ id: list.items[2]!.id, isCover: true });

    const detail = await sys.request<ProductDetail>('GET', `/api/products/${product.id}`);
    expect(detail.body.images).toEqual(reordered.body.items.map((p) => `/media/p/${p.id}/detail.webp`));

    for (const [variant, width] of [
      ['list', 360],
      ['detail', 750],
      ['cart', 160],
    ] as const) {
      const res = await fetch(`${sys.apiUrl}/media/p/${list.items[0]!.id}/${variant}.webp`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/webp');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect([meta.format, meta.width]).toEqual(['webp', width]);
    }
    // Never enlarged: the 400-pixel WebP stays 400 wide in the detail variant.
    const small = await fetch(`${sys.apiUrl}/media/p/${list.items[2]!.id}/detail.webp`);
    expect((await sharp(Buffer.from(await small.arrayBuffer())).metadata()).width).toBe(400);
    expect((await fetch(`${sys.apiUrl}/media/p/${list.items[0]!.id}/huge.webp`)).status).toBe(404);
    expect((await fetch(`${sys.apiUrl}/media/p/nosuchphoto/list.webp`)).status).toBe(404);
    expect(await sys.db.auditLog.count({ where: { action: 'product.photos', targetId: product.id } })).toBe(
      4,
    );
  });

  it(`keeps ${MAX_PRODUCT_PHOTOS} photos at most, each once in the product's pictures, when uploads race`, async () => {
    const product = await createProduct(sys.db);
    const jpeg = await picture('jpeg', 320, 240);
    const answers = await Promise.all(
      Array.from({ length: MAX_PRODUCT_PHOTOS + 3 }, () => photos(product.id, jpeg)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(MAX_PRODUCT_PHOTOS);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(3);
    const rows = await sys.db.productPhoto.findMany({ where: { productId: product.id } });
    expect(new Set(rows.map((r) => r.sortOrder)).size).toBe(MAX_PRODUCT_PHOTOS);
    const detail = await sys.request<ProductDetail>('GET', `/api/products/${product.id}`);
    expect(new Set(detail.body.images)).toEqual(new Set(rows.map((r) => `/media/p/${r.id}/detail.webp`)));
    // The refused uploads' files went again: every photo folder on disk belongs to a photo row.
    const stored = readdirSync(join(sys.api.deps.env.MEDIA_DIR, 'p'));
    const kept = new Set((await sys.db.productPhoto.findMany({ select: { id: true } })).map((r) => r.id));
    for (const row of rows) expect(stored).toContain(row.id);
    expect(stored.filter((dir) => !kept.has(dir))).toEqual([]);
  });

  it('refuses a file that claims to be a JPEG and is not, a broken JPEG, a GIF, an empty and an oversized file', async () => {
    const product = await createProduct(sys.db);
    const fake = await photos(product.id, Buffer.from('这不是一张图片，只是改了扩展名的文本文件'));
    expect(fake.status).toBe(422);
    expect(fake.body).toMatchObject({ error: { code: 'UNSUPPORTED_IMAGE', details: { detected: null } } });
    const real = await picture('jpeg');
    const broken = await photos(product.id, Buffer.concat([real.subarray(0, 200), Buffer.alloc(2000, 7)]));
    expect(broken.status).toBe(422);
    const gif = await photos(
      product.id,
      Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'),
    );
    expect(gif.body).toMatchObject({
      error: { code: 'UNSUPPORTED_IMAGE', details: { detected: 'image/gif' } },
    });
    expect((await photos(product.id, Buffer.alloc(0))).status).toBe(422);
    expect((await photos(product.id, Buffer.alloc(5 * 1024 * 1024 + 1, 1))).status).toBe(413);
    expect(await sys.db.productPhoto.count({ where: { productId: product.id } })).toBe(0);
    const detail = await sys.request<ProductDetail>('GET', `/api/products/${product.id}`);
    expect(detail.body.images[0]).toMatch(/^\/images\/products\/.+\/0\.svg$/);
  });

  it('checks the rest: the staff may not upload (403), bad ids and orders are 400, unknown products 404, delete falls back to drawings', async () => {
    const product = await createProduct(sys.db);
    expect((await photos(product.id, await picture('jpeg'), admins.staff.token)).status).toBe(403);
    expect((await photos('not an id', await picture('jpeg'))).status).toBe(400);
    expect((await photos('nosuchproduct', await picture('jpeg'))).status).toBe(404);
    const added = (await photos(product.id, await picture('jpeg'))).body as unknown as ProductPhotoList;
    const id = added.items[0]!.id;
    for (const body of [
      {},
      { photoIds: [] },
      { photoIds: [id, id] },
      { photoIds: ['other'] },
      { photoIds: [id], x: 1 },
    ]) {
      const res = await sys.request('PUT', `/api/admin/products/${product.id}/photos`, {
        token: admins.owner.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const removed = await sys.request<ProductPhotoList>(
      'DELETE',
      `/api/admin/products/${product.id}/photos/${id}`,
      {
        token: admins.owner.token,
      },
    );
    expect(removed.body.items).toEqual([]);
    expect((await fetch(`${sys.apiUrl}/media/p/${id}/list.webp`)).status).toBe(404);
    const detail = await sys.request<ProductDetail>('GET', `/api/products/${product.id}`);
    expect(detail.body.images).toHaveLength(3);
    expect(
      (
        await sys.request('DELETE', `/api/admin/products/${product.id}/photos/${id}`, {
          token: admins.owner.token,
        })
      ).status,
    ).toBe(404);
  });
});

describe('a shopper uploads after-sale photos', () => {
  it('answers a path to give the request, served resized; refuses a fake JPEG and a visitor', async () => {
    const res = await upload('/api/uploads', await picture('jpeg', 2000, 1500), alice.token);
    expect(res.status, res.text).toBe(201);
    const uploaded = res.body as unknown as UploadResult;
    expect(uploaded).toMatchObject({ width: 2000, height: 1500 });
    expect(uploaded.path).toMatch(/^\/media\/u\/[A-Za-z0-9_-]+$/);
    const served = await fetch(`${sys.apiUrl}${uploaded.path}`);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(750);
    expect((await upload('/api/uploads', Buffer.from('GIF? no, text'), alice.token)).status).toBe(422);
    expect((await upload('/api/uploads', await picture('png'), 'not-a-token')).status).toBe(401);
  });
});
