import {
  AddressBody,
  AfterSaleCreateBody,
  AfterSaleReturnBody,
  AddressUpdateBody,
  CartItemPutBody,
  CartSelectBody,
  Id,
  OrderCreateBody,
  OrderListQuery,
  ProductListQuery,
  SessionCreateBody,
  type OrderView,
} from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  RUNS,
  callEndpoint,
  checkListQueries,
  describeBodyProperties,
  describeEndpointChecks,
  expectRefused,
  queryArb,
  wrongTypes,
  type BadInputTarget,
  type Endpoint,
} from '../testing/bad-input';
import { addressBody, createProduct, shopperWithAddress } from '../testing/factories';
import { startTestSystem, type TestSystem } from '../testing/harness';

/**
 * Every shop endpoint, fed malformed, oversized, wrongly typed, incomplete and unexpected input, must answer a 4xx
 * with an error code from the closed list (never a 5xx) and change nothing. The table covers the known shapes of
 * bad input; the properties throw generated bodies, ids and query strings at the same endpoints, with the contract's
 * own schemas as the oracle for what must be refused.
 */

let sys: TestSystem;
let token: string;
let ids: { sku: string; address: string; order: string };
let before: unknown;

/** Everything a request could disturb: stock, orders and their events, carts, addresses, keys, sessions. */
async function snapshot() {
  const db = sys.db;
  return {
    skus: await db.sku.findMany({
      select: { id: true, stock: true, priceFen: true },
      orderBy: { id: 'asc' },
    }),
    orders: await db.order.findMany({ select: { id: true, status: true }, orderBy: { id: 'asc' } }),
    events: await db.orderEvent.count(),
    cart: await db.cartItem.findMany({
      select: { userId: true, skuId: true, quantity: true, selected: true },
      orderBy: { id: 'asc' },
    }),
    addresses: await db.address.findMany({
      select: { id: true, name: true, isDefault: true, deletedAt: true, updatedAt: true },
      orderBy: { id: 'asc' },
    }),
    keys: await db.idempotencyKey.count(),
    sessions: await db.session.findMany({ select: { id: true, revokedAt: true }, orderBy: { id: 'asc' } }),
    users: await db.user.count(),
  };
}

beforeAll(async () => {
  sys = await startTestSystem();
  const shopper = await shopperWithAddress(sys, DEV_BUYERS[0]!.userId);
  token = shopper.token;
  const product = await createProduct(sys.db, { skus: [{ priceFen: 1200, stock: 10 }] });
  const sku = product.skuIds[0]!;
  await sys.request('PUT', `/api/cart/items/${sku}`, { token, body: { quantity: 2 } });
  const order = await sys.request<OrderView>('POST', '/api/orders', {
    token,
    body: { items: [{ skuId: sku, quantity: 1 }], addressId: shopper.addressId },
  });
  ids = { sku, address: shopper.addressId, order: order.body.id };
  before = await snapshot();
});

afterAll(() => sys.close());

const ENDPOINTS: Endpoint[] = [
  {
    name: 'create session',
    method: 'POST',
    path: () => '/api/session',
    auth: false,
    body: {
      schema: SessionCreateBody,
      valid: () => ({ authCode: 'will-not-be-used' }),
      wrong: () => [
        {},
        { authCode: '' },
        { authCode: 'has space' },
        { authCode: 'x'.repeat(129) },
        { authCode: 42 },
      ],
    },
  },
  { name: 'end session', method: 'DELETE', path: () => '/api/session', auth: true },
  { name: 'categories', method: 'GET', path: () => '/api/categories', auth: false },
  { name: 'products', method: 'GET', path: () => '/api/products', auth: false },
  {
    name: 'product detail',
    method: 'GET',
    path: (id) => `/api/products/${id ?? 'cnosuchproduct0000000000'}`,
    auth: false,
    hasPathId: true,
  },
  { name: 'cart', method: 'GET', path: () => '/api/cart', auth: true },
  {
    name: 'put cart item',
    method: 'PUT',
    path: (id) => `/api/cart/items/${id ?? ids.sku}`,
    auth: true,
    hasPathId: true,
    body: {
      schema: CartItemPutBody,
      valid: () => ({ quantity: 3 }),
      wrong: () => [
        {},
        { quantity: 0 },
        { quantity: 100 },
        { quantity: 2.5 },
        { quantity: '3' },
        { quantity: 1e308 },
        { quantity: 3, selected: 'yes' },
        ...wrongTypes({ quantity: 3, selected: true }),
      ],
    },
  },
  {
    name: 'delete cart item',
    method: 'DELETE',
    path: (id) => `/api/cart/items/${id ?? 'cnotinthecart00000000000'}`,
    auth: true,
    hasPathId: true,
  },
  {
    name: 'select cart items',
    method: 'POST',
    path: () => '/api/cart/select',
    auth: true,
    body: {
      schema: CartSelectBody,
      valid: () => ({ skuIds: [ids.sku], selected: false }),
      wrong: () => [
        {},
        { skuIds: [ids.sku] },
        { selected: true },
        { skuIds: ['bad id'], selected: true },
        { skuIds: Array.from({ length: 101 }, (_, i) => `sku${i}`), selected: true },
        ...wrongTypes({ skuIds: [ids.sku], selected: false }),
      ],
    },
  },
  { name: 'addresses', method: 'GET', path: () => '/api/addresses', auth: true },
  {
    name: 'create address',
    method: 'POST',
    path: () => '/api/addresses',
    auth: true,
    body: {
      schema: AddressBody,
      valid: () => addressBody(),
      wrong: () => [
        {},
        addressBody({ phone: '12345' }),
        addressBody({ phone: '23800138000' }),
        addressBody({ name: '' }),
        addressBody({ name: '   ' }),
        addressBody({ name: '名'.repeat(21) }),
        addressBody({ detail: 'x' }),
        addressBody({ detail: '街'.repeat(121) }),
        addressBody({ name: '张\u0000三' }),
        addressBody({ detail: '文三路\u001b[31m 90 号' }),
        ...wrongTypes(addressBody()),
      ],
    },
  },
  {
    name: 'update address',
    method: 'PUT',
    path: (id) => `/api/addresses/${id ?? ids.address}`,
    auth: true,
    hasPathId: true,
    body: {
      schema: AddressUpdateBody,
      valid: () => addressBody({ name: '不会写入' }),
      wrong: () => [{}, { name: '李四' }, addressBody({ phone: '1380013800O' }), addressBody({ city: '' })],
    },
  },
  {
    name: 'delete address',
    method: 'DELETE',
    path: (id) => `/api/addresses/${id ?? 'cnosuchaddress0000000000'}`,
    auth: true,
    hasPathId: true,
  },
  {
    name: 'create order',
    method: 'POST',
    path: () => '/api/orders',
    auth: true,
    body: {
      schema: OrderCreateBody,
      valid: () => ({ items: [{ skuId: ids.sku, quantity: 1 }], addressId: ids.address }),
      wrong: () => [
        {},
        { addressId: ids.address },
        { items: [], addressId: ids.address },
        { items: [{ skuId: ids.sku, quantity: 0 }], addressId: ids.address },
        { items: [{ skuId: ids.sku, quantity: 1, priceFen: 1 }], addressId: ids.address },
        { items: [{ skuId: ids.sku, quantity: 1 }], addressId: ids.address, totalFen: 1 },
        { items: [{ skuId: ids.sku }], addressId: ids.address },
        {
          items: [
            { skuId: ids.sku, quantity: 1 },
            { skuId: ids.sku, quantity: 1 },
          ],
          addressId: ids.address,
        },
        {
          items: Array.from({ length: 51 }, (_, i) => ({ skuId: `sku${i}`, quantity: 1 })),
          addressId: ids.address,
        },
        { fromCart: false, addressId: ids.address },
        { fromCart: 'true', addressId: ids.address },
        { fromCart: true, items: [{ skuId: ids.sku, quantity: 1 }], addressId: ids.address },
        { fromCart: true, addressId: ids.address, note: 'x'.repeat(201) },
        { fromCart: true, addressId: ids.address, note: '\u0007' },
        ...wrongTypes({ items: [{ skuId: ids.sku, quantity: 1 }], addressId: ids.address, note: '' }),
      ],
    },
  },
  { name: 'orders', method: 'GET', path: () => '/api/orders', auth: true },
  {
    name: 'order detail',
    method: 'GET',
    path: (id) => `/api/orders/${id ?? 'cnosuchorder000000000000'}`,
    auth: true,
    hasPathId: true,
  },
  {
    name: 'cancel order',
    method: 'POST',
    path: (id) => `/api/orders/${id ?? ids.order}/cancel`,
    auth: true,
    hasPathId: true,
    body: {
      schema: z.strictObject({}),
      valid: () => ({}),
      wrong: () => [{ reason: 'x' }, { id: ids.order }],
    },
  },
  // After-sales (after-sales/routes.ts). The upload route reads raw bytes, not JSON: media.int.test.ts covers it.
  {
    name: 'ask for an after-sale',
    method: 'POST',
    path: (id) => `/api/orders/${id ?? ids.order}/after-sales`,
    auth: true,
    hasPathId: true,
    body: {
      schema: AfterSaleCreateBody,
      valid: () => ({ kind: 'REFUND_ONLY', reason: '其他' }),
      wrong: () => [
        {},
        { kind: 'REFUND_ONLY' },
        { kind: 'EXCHANGE', reason: '其他' },
        { kind: 'REFUND_ONLY', reason: 'changed my mind' },
        { kind: 'REFUND_ONLY', reason: '其他', amountFen: 0 },
        { kind: 'REFUND_ONLY', reason: '其他', lines: [] },
        {
          kind: 'REFUND_ONLY',
          reason: '其他',
          lines: [
            { skuId: ids.sku, quantity: 1 },
            { skuId: ids.sku, quantity: 1 },
          ],
        },
        { kind: 'REFUND_ONLY', reason: '其他', photos: ['/images/products/x/0.svg'] },
        { kind: 'REFUND_ONLY', reason: '其他', description: '坏\u0007了' },
        ...wrongTypes({ kind: 'REFUND_ONLY', reason: '其他', amountFen: 100, description: '说明' }),
      ],
    },
  },
  {
    name: 'confirm received',
    method: 'POST',
    path: (id) => `/api/orders/${id ?? ids.order}/receive`,
    auth: true,
    hasPathId: true,
    body: { schema: z.strictObject({}), valid: () => ({}), wrong: () => [{ received: true }] },
  },
  { name: 'my after-sales', method: 'GET', path: () => '/api/after-sales', auth: true },
  {
    name: 'one after-sale',
    method: 'GET',
    path: (id) => `/api/after-sales/${id ?? 'cnosuchaftersale00000000'}`,
    auth: true,
    hasPathId: true,
  },
  {
    name: 'cancel an after-sale',
    method: 'POST',
    path: (id) => `/api/after-sales/${id ?? 'cnosuchaftersale00000000'}/cancel`,
    auth: true,
    hasPathId: true,
    body: { schema: z.strictObject({}), valid: () => ({}), wrong: () => [{ reason: '不要了' }] },
  },
  {
    name: "an after-sale's return",
    method: 'POST',
    path: (id) => `/api/after-sales/${id ?? 'cnosuchaftersale00000000'}/return`,
    auth: true,
    hasPathId: true,
    body: {
      schema: AfterSaleReturnBody,
      valid: () => ({ carrier: '顺丰速运', trackingNo: 'SF1234567890' }),
      wrong: () => [
        {},
        { carrier: '顺丰速运' },
        { carrier: '', trackingNo: 'SF1234567890' },
        { carrier: '顺丰速运', trackingNo: 'SF 123' },
        { carrier: '顺丰速运', trackingNo: 'x'.repeat(41) },
        ...wrongTypes({ carrier: '顺丰速运', trackingNo: 'SF1234567890' }),
      ],
    },
  },
  { name: 'shop info', method: 'GET', path: () => '/api/shop-info', auth: false },
];

const target: BadInputTarget = { sys: () => sys, token: () => token };

describe('bad input, table-driven', () => {
  describeEndpointChecks(ENDPOINTS, target, {
    repeatedQuery: '?limit=1&limit=2',
    refusedAuthorizations: [undefined, 'Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${'A'.repeat(43)}`],
  });

  it('refuses methods a path does not have with 405', async () => {
    for (const [method, path] of [
      ['PATCH', '/api/cart'],
      ['POST', '/api/categories'],
      ['DELETE', '/api/products'],
      ['PUT', '/api/orders'],
      ['PATCH', `/api/addresses/${ids.address}`],
    ] as const) {
      expectRefused(
        await sys.request(method, path, { token }),
        `${method} ${path}`,
        405,
        'METHOD_NOT_ALLOWED',
      );
    }
  });

  it('refuses a malformed Idempotency-Key even with a valid body', async () => {
    const res = await sys.request('POST', '/api/orders', {
      token,
      headers: { 'idempotency-key': 'no' },
      body: { items: [{ skuId: ids.sku, quantity: 1 }], addressId: ids.address },
    });
    expectRefused(res, 'idempotency key', 400, 'VALIDATION_ERROR');
  });

  it('refuses bad list queries', async () => {
    const products = [
      'limit=0',
      'limit=51',
      'limit=abc',
      'limit=1.5',
      'limit=',
      'sort=cheapest',
      'featured=yes',
      'categoryId=a%20b',
      'q=',
      'q=%20%20',
      `q=${'长'.repeat(51)}`,
      'cursor=!!!',
      `cursor=${'a'.repeat(201)}`,
      `cursor=${Buffer.from('{"s":"newest","k":1,"id":"x"}').toString('base64url')}`,
      `cursor=${Buffer.from('not json').toString('base64url')}`,
    ];
    for (const query of products)
      expectRefused(await sys.request('GET', `/api/products?${query}`), query, 400);
    for (const query of ['status=LOST', 'status=pending_payment', 'limit=-1', 'cursor=%%%', 'cursor=e30']) {
      expectRefused(await sys.request('GET', `/api/orders?${query}`, { token }), query, 400);
    }
  });
});

describe('bad input, property-based', () => {
  describeBodyProperties(ENDPOINTS, target, {
    keys: ['items', 'fromCart', 'quantity', 'extra'],
    values: () => [[{ skuId: ids.sku, quantity: 1 }]],
  });

  for (const endpoint of ENDPOINTS.filter((e) => e.hasPathId)) {
    it(`${endpoint.method} ${endpoint.path('{id}')}: any path id is a 400 when malformed, never a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).filter((s) => s !== '.' && s !== '..'),
          async (id) => {
            const res = await callEndpoint(target, endpoint, {
              path: endpoint.path(encodeURIComponent(id)),
              ...(endpoint.body ? { body: endpoint.body.valid() } : {}),
            });
            if (Id.safeParse(id).success) {
              // A well-formed id that names nothing of ours: 404, or for removing a cart line, a no-op.
              if (endpoint.name === 'delete cart item') expect(res.status).toBe(200);
              else expectRefused(res, id, 404, 'NOT_FOUND');
            } else {
              expectRefused(res, id, 400, 'VALIDATION_ERROR');
            }
          },
        ),
        { numRuns: RUNS },
      );
    });
  }

  const queries = (keys: string[]) =>
    queryArb(keys, fc.oneof(fc.string({ maxLength: 60 }), fc.integer({ min: -5, max: 80 }).map(String)), 4);
  /** The schema accepts it, and it has no cursor: a random cursor that passes the schema names no position. */
  const usable = (schema: z.ZodType<{ cursor?: string }>) => (query: Record<string, string>) => {
    const parsed = schema.safeParse(query);
    return parsed.success && parsed.data.cursor === undefined;
  };

  it('GET /api/products: any query is answered, 400 exactly when the contract refuses it', async () => {
    await checkListQueries(
      (search) => sys.request('GET', `/api/products?${search}`),
      queries(['categoryId', 'q', 'sort', 'featured', 'cursor', 'limit']),
      usable(ProductListQuery),
    );
  });

  it('GET /api/orders: any query is answered, 400 exactly when the contract refuses it', async () => {
    await checkListQueries(
      (search) => sys.request('GET', `/api/orders?${search}`, { token }),
      queries(['status', 'refunds', 'cursor', 'limit']),
      usable(OrderListQuery),
    );
  });
});

describe('after all of the above', () => {
  // Tests in a file run in order, so this one sees the state every bad request above left behind.
  it('nothing changed: stock, orders, events, carts, addresses, idempotency keys, sessions, users', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
