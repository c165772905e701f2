import { chinaDayRange } from '@shop/alipay';
import {
  AfterSaleRefuseBody,
  ProductPhotoOrderBody,
  AdminOrderExportQuery,
  AdminOrderListQuery,
  AdminProductCreateBody,
  AdminProductListQuery,
  AdminProductUpdateBody,
  AdminShipBody,
  AdminSignInBody,
  AdminSkuPriceBody,
  AdminStaffCreateBody,
  AdminStockAdjustmentBody,
  AuditLogQuery,
  RefundCreateBody,
} from '@shop/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkListQueries,
  describeBodyProperties,
  describeEndpointChecks,
  expectRefused,
  queryArb,
  wrongTypes,
  type BadInputTarget,
  type Endpoint,
} from '../../testing/bad-input';
import { createCategory, createProduct } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { signUpShopper } from '../payment/test-support';
import { paidOrder } from '../reconciliation/test-support';
import { demoAdmins, type DemoAdmins } from './test-support';

/**
 * Every admin endpoint fed malformed, oversized, wrongly typed, incomplete and unexpected input answers a 4xx with
 * an error code from the closed list (never a 5xx) and changes nothing; then properties throw generated bodies and
 * query strings at them with the contract's schemas as the oracle.
 */

let sys: TestSystem;
let admins: DemoAdmins;
let ids: { order: string; product: string; sku: string; category: string; staff: string };
let before: unknown;

/** Everything an admin request could change. */
async function snapshot() {
  const db = sys.db;
  return {
    orders: await db.order.findMany({
      select: { id: true, status: true, refundedFen: true, carrier: true },
      orderBy: { id: 'asc' },
    }),
    refunds: await db.refund.count(),
    products: await db.product.findMany({
      select: { id: true, title: true, status: true, minPriceFen: true, imagesJson: true, featured: true },
      orderBy: { id: 'asc' },
    }),
    skus: await db.sku.findMany({
      select: { id: true, priceFen: true, stock: true },
      orderBy: { id: 'asc' },
    }),
    adjustments: await db.stockAdjustment.count(),
    admins: await db.admin.findMany({ select: { id: true, active: true }, orderBy: { id: 'asc' } }),
    sessions: await db.adminSession.findMany({
      select: { id: true, revokedAt: true },
      orderBy: { id: 'asc' },
    }),
    loginAttempts: await db.loginAttempt.count(),
    audit: await db.auditLog.count(),
  };
}

beforeAll(async () => {
  sys = await startTestSystem();
  admins = await demoAdmins(sys);
  const shopper = await signUpShopper(sys);
  const { order } = await paidOrder(sys, shopper, 2_500);
  const category = await createCategory(sys.db);
  const product = await createProduct(sys.db, { categoryId: category.id });
  ids = {
    order: order.id,
    product: product.id,
    sku: product.skuIds[0]!,
    category: category.id,
    staff: admins.staff.id,
  };
  before = await snapshot();
});
afterAll(() => sys.close());

/** Test names are built before the data exists; paths are built again when the tests run. */
const skuId = () => (ids as typeof ids | undefined)?.sku ?? '{skuId}';

const EMPTY = { schema: z.strictObject({}), valid: () => ({}), wrong: () => [{ force: true }, { id: 'x' }] };

const ENDPOINTS: Endpoint[] = [
  {
    name: 'sign in',
    method: 'POST',
    path: () => '/api/admin/session',
    auth: false,
    body: {
      schema: AdminSignInBody,
      valid: () => ({ username: 'owner', password: 'not-tried' }),
      wrong: () => [
        {},
        { username: 'owner' },
        { password: 'x' },
        { username: '', password: 'x' },
        { username: 'owner', password: '' },
        { username: 'x'.repeat(65), password: 'x' },
        { username: 'owner', password: 'x'.repeat(257) },
        ...wrongTypes({ username: 'owner', password: 'secret' }),
      ],
    },
  },
  { name: 'me', method: 'GET', path: () => '/api/admin/me', auth: true },
  { name: 'orders', method: 'GET', path: () => '/api/admin/orders', auth: true },
  { name: 'orders csv', method: 'GET', path: () => '/api/admin/orders.csv', auth: true },
  {
    name: 'order detail',
    method: 'GET',
    path: (id) => `/api/admin/orders/${id ?? ids.order}`,
    auth: true,
    hasPathId: true,
  },
  {
    name: 'refund',
    method: 'POST',
    path: (id) => `/api/admin/orders/${id ?? ids.order}/refunds`,
    auth: true,
    hasPathId: true,
    body: {
      schema: RefundCreateBody,
      valid: () => ({ amountFen: 100, reason: '不会执行' }),
      wrong: () => [
        {},
        { amountFen: 100 },
        { reason: 'x' },
        { amountFen: 0, reason: 'x' },
        { amountFen: -1, reason: 'x' },
        { amountFen: 1.5, reason: 'x' },
        { amountFen: 1e20, reason: 'x' },
        { amountFen: 100, reason: '' },
        { amountFen: 100, reason: 'x'.repeat(257) },
        ...wrongTypes({ amountFen: 100, reason: 'x' }),
      ],
    },
  },
  {
    name: 'ship',
    method: 'POST',
    path: (id) => `/api/admin/orders/${id ?? ids.order}/ship`,
    auth: true,
    hasPathId: true,
    body: {
      schema: AdminShipBody,
      valid: () => ({ carrier: '顺丰速运', trackingNo: 'SF0000000001' }),
      wrong: () => [
        {},
        { carrier: '顺丰速运' },
        { carrier: '', trackingNo: 'SF0000000001' },
        { carrier: '顺丰速运', trackingNo: 'SF 1' },
        { carrier: '顺丰\u0007', trackingNo: 'SF0000000001' },
        { carrier: 'x'.repeat(33), trackingNo: 'SF0000000001' },
        ...wrongTypes({ carrier: '顺丰速运', trackingNo: 'SF0000000001' }),
      ],
    },
  },
  {
    name: 'complete',
    method: 'POST',
    path: (id) => `/api/admin/orders/${id ?? ids.order}/complete`,
    auth: true,
    hasPathId: true,
    body: EMPTY,
  },
  { name: 'categories', method: 'GET', path: () => '/api/admin/categories', auth: true },
  { name: 'products', method: 'GET', path: () => '/api/admin/products', auth: true },
  {
    name: 'product detail',
    method: 'GET',
    path: (id) => `/api/admin/products/${id ?? ids.product}`,
    auth: true,
    hasPathId: true,
  },
  {
    name: 'create product',
    method: 'POST',
    path: () => '/api/admin/products',
    auth: true,
    body: {
      schema: AdminProductCreateBody,
      valid: () => ({ categoryId: 'bad id!', title: '不会创建', skus: [{ priceFen: 100, stock: 1 }] }),
      wrong: () => [
        {},
        { categoryId: ids.category, title: '无规格' },
        { categoryId: ids.category, title: '空', skus: [] },
        { categoryId: ids.category, title: '', skus: [{ priceFen: 100, stock: 1 }] },
        { categoryId: ids.category, title: 'x', skus: [{ priceFen: 100, stock: 1, id: 'x' }] },
        { categoryId: ids.category, title: 'x', skus: [{ priceFen: 100, stock: 1 }], imageCount: 11 },
        { categoryId: ids.category, title: 'x', skus: [{ priceFen: 100, stock: 1 }], status: 'UNPUBLISHED' },
        {
          categoryId: ids.category,
          title: 'x',
          skus: Array.from({ length: 101 }, () => ({ priceFen: 1, stock: 1 })),
        },
        ...wrongTypes({ categoryId: ids.category, title: 'x', skus: [{ priceFen: 100, stock: 1 }] }),
      ],
    },
  },
  {
    name: 'edit product',
    method: 'PATCH',
    path: (id) => `/api/admin/products/${id ?? ids.product}`,
    auth: true,
    hasPathId: true,
    body: {
      schema: AdminProductUpdateBody,
      valid: () => ({ subtitle: 'x'.repeat(121) }),
      wrong: () => [
        {},
        { title: '' },
        { images: [] },
        { images: ['/a', '/a'] },
        { status: 'PUBLISHED' },
        { minPriceFen: 1 },
        ...wrongTypes({ title: 'x', featured: true, images: ['/a'] }),
      ],
    },
  },
  ...(['publish', 'unpublish'] as const).map((action): Endpoint => ({
    name: action,
    method: 'POST',
    path: (id) => `/api/admin/products/${id ?? ids.product}/${action}`,
    auth: true,
    hasPathId: true,
    body: EMPTY,
  })),
  {
    name: 'sku price',
    method: 'PUT',
    path: (id) => `/api/admin/products/${id ?? ids.product}/skus/${skuId()}/price`,
    auth: true,
    hasPathId: true,
    body: {
      schema: AdminSkuPriceBody,
      valid: () => ({ priceFen: 0 }),
      wrong: () => [
        {},
        { priceFen: -5 },
        { priceFen: 1.25 },
        { priceFen: 2e9 },
        ...wrongTypes({ priceFen: 100 }),
      ],
    },
  },
  {
    name: 'stock adjustment',
    method: 'POST',
    path: (id) => `/api/admin/products/${id ?? ids.product}/skus/${skuId()}/stock-adjustments`,
    auth: true,
    hasPathId: true,
    body: {
      schema: AdminStockAdjustmentBody,
      valid: () => ({ deltaQty: 0, reason: '不会执行' }),
      wrong: () => [
        {},
        { deltaQty: 1 },
        { reason: 'x' },
        { deltaQty: 0, reason: 'x' },
        { deltaQty: 2_000_000, reason: 'x' },
        { deltaQty: 1, reason: '\u0000' },
        ...wrongTypes({ deltaQty: 1, reason: 'x' }),
      ],
    },
  },
  { name: 'dashboard', method: 'GET', path: () => '/api/admin/dashboard', auth: true },
  { name: 'audit log', method: 'GET', path: () => '/api/admin/audit-logs', auth: true },
  { name: 'staff', method: 'GET', path: () => '/api/admin/staff', auth: true },
  {
    name: 'create staff',
    method: 'POST',
    path: () => '/api/admin/staff',
    auth: true,
    body: {
      schema: AdminStaffCreateBody,
      valid: () => ({ username: 'x', displayName: '不会创建', password: 'long enough password' }),
      wrong: () => [
        {},
        { username: 'newclerk', displayName: '新', password: 'short' },
        { username: 'NEW CLERK', displayName: '新', password: 'long enough password' },
        { username: 'newclerk', displayName: '', password: 'long enough password' },
        { username: 'newclerk', displayName: '新', password: 'long enough password', role: 'owner' },
        ...wrongTypes({ username: 'newclerk', displayName: '新', password: 'long enough password' }),
      ],
    },
  },
  {
    name: 'deactivate staff',
    method: 'POST',
    path: (id) => `/api/admin/staff/${id ?? ids.staff}/deactivate`,
    auth: true,
    hasPathId: true,
    body: EMPTY,
  },
  // After-sales and product photos. The photo upload reads raw bytes, not JSON: media.int.test.ts covers it.
  { name: 'after-sales', method: 'GET', path: () => '/api/admin/after-sales', auth: true },
  {
    name: 'after-sale detail',
    method: 'GET',
    path: (id) => `/api/admin/after-sales/${id ?? 'cnosuchaftersale00000000'}`,
    auth: true,
    hasPathId: true,
  },
  ...(['approve', 'receive'] as const).map((action): Endpoint => ({
    name: `after-sale ${action}`,
    method: 'POST',
    path: (id) => `/api/admin/after-sales/${id ?? 'cnosuchaftersale00000000'}/${action}`,
    auth: true,
    hasPathId: true,
    body: EMPTY,
  })),
  {
    name: 'after-sale refuse',
    method: 'POST',
    path: (id) => `/api/admin/after-sales/${id ?? 'cnosuchaftersale00000000'}/refuse`,
    auth: true,
    hasPathId: true,
    body: {
      schema: AfterSaleRefuseBody,
      valid: () => ({ reason: '不会写入' }),
      wrong: () => [
        {},
        { reason: '' },
        { reason: '   ' },
        { reason: 'x'.repeat(201) },
        { reason: '坏\u0000了' },
        ...wrongTypes({ reason: '理由' }),
      ],
    },
  },
  {
    name: 'product photos',
    method: 'GET',
    path: (id) => `/api/admin/products/${id ?? ids.product}/photos`,
    auth: true,
    hasPathId: true,
  },
  {
    name: 'order product photos',
    method: 'PUT',
    path: (id) => `/api/admin/products/${id ?? ids.product}/photos`,
    auth: true,
    hasPathId: true,
    body: {
      schema: ProductPhotoOrderBody,
      valid: () => ({ photoIds: ['cnosuchphoto000000000000'] }),
      wrong: () => [
        {},
        { photoIds: [] },
        { photoIds: ['a', 'a'] },
        { photoIds: ['bad id'] },
        { photoIds: Array.from({ length: 10 }, (_, i) => `photo${i}`) },
        ...wrongTypes({ photoIds: ['p1'] }),
      ],
    },
  },
  {
    name: 'delete product photo',
    method: 'DELETE',
    path: (id) => `/api/admin/products/${id ?? ids.product}/photos/cnosuchphoto000000000000`,
    auth: true,
    hasPathId: true,
  },
];

/** Valid bodies above are chosen so they fail later (a bad id, a zero): a passing request must never change data. */
const target: BadInputTarget = { sys: () => sys, token: () => admins.owner.token };

describe('bad input to the admin API, table-driven', () => {
  describeEndpointChecks(ENDPOINTS, target, { repeatedQuery: '?page=1&page=2' });

  it('refuses a malformed Idempotency-Key on a refund, and methods a path does not have', async () => {
    const res = await sys.request('POST', `/api/admin/orders/${ids.order}/refunds`, {
      token: admins.owner.token,
      headers: { 'idempotency-key': 'short' },
      body: { amountFen: 100, reason: 'x' },
    });
    expectRefused(res, 'idempotency key', 400, 'VALIDATION_ERROR');
    for (const [method, path] of [
      ['DELETE', '/api/admin/orders'],
      ['PUT', '/api/admin/dashboard'],
      ['PATCH', '/api/admin/staff'],
      ['GET', `/api/admin/orders/${ids.order}/ship`],
    ] as const) {
      expectRefused(await sys.request(method, path, { token: admins.owner.token }), `${method} ${path}`, 405);
    }
  });
});

/** A query the contract accepts may still name an impossible date (2026-02-30): the API refuses those too. */
function calendarOk(parsed: { from?: string | undefined; to?: string | undefined }): boolean {
  return [parsed.from, parsed.to].every((date) => date === undefined || chinaDayRange(date) !== null);
}

describe('bad input to the admin API, property-based', () => {
  describeBodyProperties(ENDPOINTS, target, { keys: ['skus', 'images', 'extra'], values: () => ['x'] });

  const dates = fc.oneof(
    fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    fc.constantFrom('2026-02-30', '2026-13-01', 'yesterday', ''),
  );
  const values = fc.oneof(fc.string({ maxLength: 70 }), fc.integer({ min: -5, max: 200 }).map(String), dates);
  const LISTS: Array<[string, z.ZodType<object>, string[]]> = [
    [
      '/api/admin/orders',
      AdminOrderListQuery,
      ['status', 'from', 'to', 'q', 'sort', 'order', 'page', 'pageSize'],
    ],
    ['/api/admin/orders.csv', AdminOrderExportQuery, ['status', 'from', 'to', 'q', 'sort', 'order']],
    ['/api/admin/products', AdminProductListQuery, ['q', 'status', 'categoryId', 'page', 'pageSize']],
    [
      '/api/admin/audit-logs',
      AuditLogQuery,
      ['action', 'targetType', 'targetId', 'adminId', 'from', 'to', 'page'],
    ],
  ];
  for (const [path, schema, keys] of LISTS) {
    it(`GET ${path}: any query is answered, 400 exactly when the contract (or the calendar) refuses it`, async () => {
      await checkListQueries(
        (search) => sys.request('GET', `${path}?${search}`, { token: admins.owner.token }),
        queryArb(keys, values, 5),
        (query) => {
          const parsed = schema.safeParse(query);
          return parsed.success && calendarOk(parsed.data);
        },
      );
    });
  }
});

describe('after all of the above', () => {
  it('nothing changed: orders, refunds, products, SKUs, stock adjustments, admins, sessions, attempts, audit', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
