import type { Address, SessionResponse } from '@shop/contract';
import type { Db } from '@shop/db';
import { insertProduct } from 'api';
import { mapConcurrent, requestJson, type HttpClient } from './http';

/**
 * What the loads need: a bench catalog and signed-in buyers with an address each.
 *
 * The catalog is written with the API's own `insertProduct` (the path the demo seed and the test factories use, which
 * keeps minPriceFen, spec keys and image paths in step) through a second connection to the API's database file,
 * after the API has started, migrated and seeded it: the shop has no product-creation endpoint for shoppers, and the
 * admin's is not the subject here. Orders read stock from the database, never from the catalog cache, so products
 * written this way are orderable at once.
 *
 * Buyers are real: each is a sandbox buyer, signed in through a real auth code (`POST /sandbox/auth-codes`, then
 * `POST /api/session`), with an address created through `POST /api/addresses`.
 */

/** The SKUs of one flash sale: `count` SKUs over products of five sizes each. */
export interface BenchSkus {
  productIds: string[];
  skuIds: string[];
  /** Stock each SKU started with. */
  initialStock: number;
  priceFen: number;
}

const SIZES = ['S', 'M', 'L', 'XL', 'XXL'];

async function benchCategory(db: Db): Promise<string> {
  const existing = await db.category.findUnique({ where: { slug: 'bench' }, select: { id: true } });
  if (existing) return existing.id;
  const created = await db.category.create({
    data: { slug: 'bench', name: '秒杀', iconPath: '/images/categories/bench.svg', sortOrder: 999 },
    select: { id: true },
  });
  return created.id;
}

/** Writes `count` SKUs (a multiple of five) with `stock` each, as published products in the bench category. */
export async function writeBenchSkus(
  db: Db,
  label: string,
  options: { count: number; stock: number; priceFen: number },
): Promise<BenchSkus> {
  const categoryId = await benchCategory(db);
  const productIds: string[] = [];
  const skuIds: string[] = [];
  for (let p = 0; p < Math.ceil(options.count / SIZES.length); p++) {
    const product = await insertProduct(db, {
      categoryId,
      title: `秒杀 T恤 ${label} ${p + 1}`,
      subtitle: 'flash sale',
      skus: SIZES.map((size) => ({
        specs: { 尺码: size },
        priceFen: options.priceFen,
        stock: options.stock,
      })),
    });
    productIds.push(product.id);
    skuIds.push(...product.skuIds);
  }
  return {
    productIds,
    skuIds: skuIds.slice(0, options.count),
    initialStock: options.stock,
    priceFen: options.priceFen,
  };
}

export interface BenchBuyer {
  /** The sandbox buyer's Alipay user id (2088...). */
  alipayUserId: string;
  /** The shop's user id. */
  userId: string;
  token: string;
  addressId: string;
}

/** Creates `count` sandbox buyers and signs each in through a real auth code; each gets one address. */
export async function signInBuyers(
  http: HttpClient,
  urls: { api: string; sandbox: string },
  count: number,
): Promise<BenchBuyer[]> {
  return mapConcurrent(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const buyer = await requestJson<{ userId: string }>(
        http,
        urls.sandbox,
        'POST',
        '/sandbox/buyers',
        201,
        {
          body: { nickname: `买家${i + 1}`, balanceFen: 100_000_000 },
        },
      );
      const code = await requestJson<{ authCode: string }>(
        http,
        urls.sandbox,
        'POST',
        '/sandbox/auth-codes',
        201,
        {
          body: { buyerId: buyer.userId },
        },
      );
      const session = await requestJson<SessionResponse>(http, urls.api, 'POST', '/api/session', 201, {
        body: { authCode: code.authCode },
      });
      const address = await requestJson<Address>(http, urls.api, 'POST', '/api/addresses', 201, {
        token: session.token,
        body: {
          name: `买家${i + 1}`,
          phone: `138${String(i).padStart(8, '0')}`,
          province: '浙江省',
          city: '杭州市',
          district: '西湖区',
          detail: `文三路 ${i + 1} 号`,
          isDefault: true,
        },
      });
      return {
        alipayUserId: buyer.userId,
        userId: session.user.id,
        token: session.token,
        addressId: address.id,
      };
    },
  );
}
