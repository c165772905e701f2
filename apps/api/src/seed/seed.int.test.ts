import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CategoryList, ProductDetail, ProductList } from '@shop/contract';
import { closeDb, createDb, type Db } from '@shop/db';
import { createTestDatabase, type TestDatabase } from '@shop/db/testing';
import { DEMO_ADMINS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../env';
import { verifyPassword } from '../lib/password';
import { startApi } from '../server';
import { seedIfEmpty } from './index';

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.location);
});
afterAll(async () => {
  await closeDb(db);
  await database.drop();
});

describe('seedIfEmpty', () => {
  it('writes a believable demo catalog and the demo admins, once', async () => {
    const first = await seedIfEmpty(db, { admins: true });
    expect(first.categories).toBeGreaterThanOrEqual(6);
    expect(first.products).toBeGreaterThanOrEqual(32);
    expect(first.admins).toBe(DEMO_ADMINS.length);

    const published = await db.product.findMany({
      where: { status: 'PUBLISHED' },
      include: { skus: true, category: true },
    });
    expect(published.length).toBeGreaterThanOrEqual(32);
    expect(new Set(published.map((p) => p.category.slug)).size).toBeGreaterThanOrEqual(6);
    for (const p of published) {
      expect(p.skus.length, p.title).toBeGreaterThan(0);
      expect(p.minPriceFen, p.title).toBe(Math.min(...p.skus.map((s) => s.priceFen)));
      expect(p.description.length, p.title).toBeGreaterThan(20);
      expect(JSON.parse(p.imagesJson)).toHaveLength(3);
    }
    // Multi-spec products (颜色 x 尺码, 颜色 x 容量), some combinations sold out, a few products featured.
    const dims = (p: { specsJson: string }) =>
      (JSON.parse(p.specsJson) as Array<{ name: string }>).map((d) => d.name);
    expect(published.some((p) => dims(p).join() === '颜色,尺码')).toBe(true);
    expect(published.some((p) => dims(p).join() === '颜色,容量')).toBe(true);
    expect(published.some((p) => p.skus.some((s) => s.stock === 0) && p.skus.some((s) => s.stock > 0))).toBe(
      true,
    );
    expect(published.filter((p) => p.featured).length).toBeGreaterThanOrEqual(6);
    expect(published.every((p) => p.skus.every((s) => Number.isInteger(s.priceFen) && s.priceFen > 0))).toBe(
      true,
    );

    for (const demo of DEMO_ADMINS) {
      const admin = await db.admin.findUniqueOrThrow({ where: { username: demo.username } });
      expect(admin.role).toBe(demo.role);
      expect(admin.passwordHash).not.toContain(demo.password);
      expect(await verifyPassword(demo.password, admin.passwordHash)).toBe(true);
    }

    const again = await seedIfEmpty(db, { admins: true });
    expect(again).toEqual({ categories: 0, products: 0, skus: 0, admins: 0 });
    expect(await db.product.count()).toBe(first.products);
  });

  it('creates no admin account when not asked to (production)', async () => {
    const production = await createTestDatabase();
    const prod = createDb(production.location);
    try {
      const result = await seedIfEmpty(prod, { admins: false });
      expect(result.products).toBeGreaterThan(0);
      expect(await prod.admin.count()).toBe(0);
    } finally {
      await closeDb(prod);
      await production.drop();
    }
  });
});

describe('startApi({ seed: true })', () => {
  it('serves the seeded catalog from an empty data folder, no gateway needed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shop-start-'));
    const empty = await createTestDatabase({ dir: dataDir, migrate: false });
    const env = loadEnv({
      NODE_ENV: 'development',
      API_PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: empty.location.url,
      LOG_LEVEL: 'silent',
      JOBS_ENABLED: 'false',
    });
    const api = await startApi(env, { seed: true });
    try {
      const categories = (await (await fetch(`${api.url}/api/categories`)).json()) as CategoryList;
      expect(categories.items.map((c) => c.name)).toEqual([
        '服饰',
        '鞋靴',
        '数码',
        '食品',
        '家居',
        '美妆',
        '运动',
      ]);
      const list = (await (await fetch(`${api.url}/api/products?limit=50`)).json()) as ProductList;
      expect(list.items.length).toBeGreaterThanOrEqual(32);
      const detail = (await (
        await fetch(`${api.url}/api/products/${list.items[0]!.id}`)
      ).json()) as ProductDetail;
      expect(detail.skus.length).toBeGreaterThan(0);
      const image = await fetch(`${api.url}${detail.images[0]}`);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toContain('image/svg+xml');
      const icon = await fetch(`${api.url}${categories.items[0]!.iconUrl}`);
      expect(icon.status).toBe(200);
    } finally {
      await api.close();
      await empty.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
