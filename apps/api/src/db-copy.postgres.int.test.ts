import type { AfterSaleView, OrderView } from '@shop/contract';
import { closeDb, copySqliteToPostgres, createDb, type CopyReport, type Db } from '@shop/db';
import { MODEL_NAMES, rowsOfEveryModel, unusedPostgresDatabase } from '@shop/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { signInAdmin } from './modules/admin/test-support';
import {
  openTrade,
  payAtSandbox,
  seedSku,
  signUpShopper,
  startPayment,
  waitForStatus,
  type Shopper,
} from './modules/payment/test-support';
import { paidAfterClose, paidOrder, reconcile, today } from './modules/reconciliation/test-support';
import { seedIfEmpty } from './seed';
import { startApi, type ApiServer } from './server';
import { startTestSystem, type TestSystem } from './testing/harness';

/*
 * `pnpm db:copy` on a shop that has lived: the API runs on a SQLite file (inside the integration-postgres project,
 * which provides the PostgreSQL cluster the copy goes to), with the demo catalog and admins, orders paid, shipped,
 * refunded by the merchant, refunded through an after-sale, paid after close and refunded automatically, left unpaid
 * and cancelled, and a day reconciled. The copy must hold the same rows, the same money, and serve the same orders
 * through a second API started on it, and refuse a second copy into the same database.
 */

let sys: TestSystem;
let owner: string;
let alice: Shopper;
let bob: Shopper;
const orders: Array<{ id: string; shopper: Shopper }> = [];
const expected = { orders: 0, paidFen: 0, refundedFen: 0 };
const target = { url: '', drop: async () => {} };
let report: CopyReport;

async function adminRequest<T>(method: string, path: string, body: unknown = {}) {
  const res = await sys.request<T>(method, path, { token: owner, body });
  expect(res.status, res.text).toBeLessThan(300);
  return res.body;
}

beforeAll(async () => {
  sys = await startTestSystem({
    engine: 'sqlite',
    billsSameDay: true,
    env: { PAYMENT_QUERY_DELAY_MS: '1', REFUND_RETRY_DELAY_MS: '1' },
  });
  await seedIfEmpty(sys.db, { admins: true });
  owner = await signInAdmin(sys, { username: 'owner', password: 'owner-demo-2026' });
  alice = await signUpShopper(sys);
  bob = await signUpShopper(sys, '2088000000000002');

  // Paid, then shipped by the merchant.
  const shipped = await paidOrder(sys, alice, 12_345);
  await adminRequest('POST', `/api/admin/orders/${shipped.order.id}/ship`, {
    carrier: '顺丰速运',
    trackingNo: 'SF1234567890',
  });
  // Paid, then partly refunded by the merchant.
  const refunded = await paidOrder(sys, alice, 9_900);
  await adminRequest('POST', `/api/admin/orders/${refunded.order.id}/refunds`, {
    amountFen: 2_345,
    reason: '尺码不合',
  });
  // Paid, then wholly refunded through an after-sale the merchant approved.
  const { skuId } = await seedSku(sys, { priceFen: 7_000 });
  const placed = await sys.request<OrderView>('POST', '/api/orders', {
    token: bob.token,
    body: { items: [{ skuId, quantity: 1 }], addressId: bob.addressId },
  });
  expect(placed.status, placed.text).toBe(201);
  await payAtSandbox(sys, (await startPayment(sys, bob, placed.body.id)).tradeNo);
  await waitForStatus(sys, placed.body.id, 'PAID');
  const asked = await sys.request<AfterSaleView>('POST', `/api/orders/${placed.body.id}/after-sales`, {
    token: bob.token,
    body: { kind: 'REFUND_ONLY', reason: '不想要了', description: '买重了' },
  });
  expect(asked.status, asked.text).toBe(201);
  const approved = await adminRequest<AfterSaleView>(
    'POST',
    `/api/admin/after-sales/${asked.body.id}/approve`,
  );
  expect(approved.status).toBe('REFUNDED');
  // Paid after the shopper cancelled: refunded automatically.
  const late = await paidAfterClose(sys, bob, 500);
  // Placed and left unpaid; placed and cancelled.
  const unpaid = await openTrade(sys, alice, { priceFen: 4_200 });
  const cancelled = await openTrade(sys, alice, { priceFen: 300 });
  const cancel = await sys.request('POST', `/api/orders/${cancelled.order.id}/cancel`, {
    token: alice.token,
    body: {},
  });
  expect(cancel.status, cancel.text).toBe(200);
  // Today's bill matched against the ledger: a reconciliation run with its lines and the day's settlement.
  await reconcile(sys, today());

  orders.push(
    { id: shipped.order.id, shopper: alice },
    { id: refunded.order.id, shopper: alice },
    { id: placed.body.id, shopper: bob },
    { id: late.order.id, shopper: bob },
    { id: unpaid.order.id, shopper: alice },
    { id: cancelled.order.id, shopper: alice },
  );
  Object.assign(expected, {
    orders: 6,
    paidFen: 12_345 + 9_900 + 7_000 + 500,
    refundedFen: 2_345 + 7_000 + 500,
  });

  Object.assign(target, unusedPostgresDatabase('copy'));
  report = await copySqliteToPostgres({ from: sys.api.deps.env.DATABASE, to: target.url });
});
afterAll(async () => {
  await sys.close();
  await target.drop();
});

/** The shop on another database: the same keys, sandbox and settings as the test system's API. */
async function apiOn(databaseUrl: string): Promise<ApiServer> {
  const env = sys.api.deps.env;
  return startApi(
    loadEnv({
      NODE_ENV: 'test',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      DATA_DIR: env.DATA_DIR,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      ALIPAY_GATEWAY: env.ALIPAY_GATEWAY,
      JOBS_ENABLED: 'false',
      RECONCILE_ENABLED: 'false',
      ...sys.alipayEnv,
    }),
  );
}

async function getJson(baseUrl: string, path: string, token: string): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

/** What the shopper and the merchant see of every order, through an API at `baseUrl`. */
async function views(baseUrl: string): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (const { id, shopper } of orders) {
    seen.push(await getJson(baseUrl, `/api/orders/${id}`, shopper.token));
    seen.push(await getJson(baseUrl, `/api/admin/orders/${id}`, owner));
  }
  seen.push(await getJson(baseUrl, '/api/orders', alice.token));
  seen.push(await getJson(baseUrl, '/api/admin/orders', owner));
  seen.push(await getJson(baseUrl, `/api/admin/reconciliation/runs/${today()}`, owner));
  seen.push(await getJson(baseUrl, '/api/admin/reconciliation/settlements', owner));
  return seen;
}

describe('pnpm db:copy on a shop with orders, refunds, after-sales and a reconciliation', () => {
  it('copies the order count, the paid total and the refunded total exactly', async () => {
    const fromPrisma = {
      orders: await sys.db.order.count(),
      paidFen: (await sys.db.payment.aggregate({ _sum: { amountFen: true }, where: { status: 'PAID' } }))._sum
        .amountFen,
      refundedFen: (
        await sys.db.refund.aggregate({ _sum: { amountFen: true }, where: { status: 'SUCCEEDED' } })
      )._sum.amountFen,
    };
    expect(fromPrisma).toEqual(expected);
    const asBigInts = {
      orders: BigInt(expected.orders),
      paidFen: BigInt(expected.paidFen),
      refundedFen: BigInt(expected.refundedFen),
    };
    expect(report.figures).toEqual({ source: asBigInts, target: asBigInts });
    expect(report.matches).toBe(true);
    expect(report.sourceChanged).toBe(false);
  });

  it('copies every table of the schema with its row count, the shop’s own tables not empty', () => {
    expect(report.tables.map((t) => t.table).sort()).toEqual(MODEL_NAMES);
    for (const table of report.tables) expect(table.target, table.table).toBe(table.source);
    const lived = Object.fromEntries(report.tables.map((t) => [t.table, t.source]));
    for (const table of [
      'Admin',
      'AdminSession',
      'AfterSale',
      'AuditLog',
      'Category',
      'GatewayCall',
      'NotifyInbox',
      'Order',
      'OrderEvent',
      'OrderItem',
      'Payment',
      'Product',
      'ReconciliationLine',
      'ReconciliationRun',
      'Refund',
      'Session',
      'Settlement',
      'Sku',
      'User',
    ]) {
      expect(lived[table], table).toBeGreaterThan(0);
    }
  });

  it('holds the same rows as the source, field for field, read through Prisma on each engine', async () => {
    const copy: Db = createDb(target.url);
    try {
      expect(await rowsOfEveryModel(copy)).toEqual(await rowsOfEveryModel(sys.db));
    } finally {
      await closeDb(copy);
    }
  });

  it('serves the same orders, timelines and reconciliation through an API on the copy, to the same sessions', async () => {
    const before = await views(sys.apiUrl);
    const api = await apiOn(target.url);
    try {
      expect(await views(api.url)).toEqual(before);
    } finally {
      await api.close();
    }
  });

  it('refuses a second copy into the same database and leaves it as it was', async () => {
    const copy: Db = createDb(target.url);
    try {
      const rowsBefore = await rowsOfEveryModel(copy);
      await expect(copySqliteToPostgres({ from: sys.api.deps.env.DATABASE, to: target.url })).rejects.toThrow(
        /^the target already holds data \(Address 2, Admin 2, .*, Order 6, .*\); nothing was copied/,
      );
      expect(await rowsOfEveryModel(copy)).toEqual(rowsBefore);
    } finally {
      await closeDb(copy);
    }
  });
});
