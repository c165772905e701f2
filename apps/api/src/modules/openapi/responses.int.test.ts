import type { OrderView } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressBody, createProduct } from '../../testing/factories';
import {
  startTestSystem,
  type JsonResponse,
  type RequestOptions,
  type TestSystem,
} from '../../testing/harness';
import { ResponseChecker } from '../../testing/openapi';
import { createAdmin, signInAdmin } from '../admin/test-support';
import type { OpenApiDocument } from './document';

let sys: TestSystem;
let checker: ResponseChecker;

beforeAll(async () => {
  sys = await startTestSystem({ billsSameDay: true });
  const res = await sys.request<OpenApiDocument>('GET', '/api/openapi.json');
  checker = new ResponseChecker(res.body);
});

afterAll(async () => {
  await sys?.close();
});

/** A request through the harness whose response must conform to the document; returns it for the flow to go on. */
async function call<T>(
  method: string,
  path: string,
  options: RequestOptions & { expectStatus: number },
): Promise<JsonResponse<T>> {
  const res = await sys.request<T>(method, path, options);
  expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBe(options.expectStatus);
  expect(checker.check(method, path, res), `${method} ${path} against the document`).toEqual([]);
  return res;
}

describe('real responses against the OpenAPI document', () => {
  it('a shopper buys and pays, the merchant reads, refunds and ships: every response conforms', async () => {
    const product = await createProduct(sys.db, { skus: [{ priceFen: 1250, stock: 10 }] });
    const skuId = product.skuIds[0]!;

    await call('GET', '/healthz', { expectStatus: 200 });
    await call('GET', '/readyz', { expectStatus: 200 });
    await call('GET', '/api/ping', { expectStatus: 200 });

    // Sign-in with a real auth code from the sandbox.
    const code = await sys.sandbox<{ authCode: string }>('POST', '/sandbox/auth-codes', {
      buyerId: DEV_BUYERS[0]!.userId,
    });
    const session = await call<{ token: string }>('POST', '/api/session', {
      body: { authCode: code.body.authCode },
      expectStatus: 201,
    });
    const token = session.body.token;

    await call('GET', '/api/categories', { expectStatus: 200 });
    await call('GET', `/api/products?categoryId=${product.categoryId}`, { expectStatus: 200 });
    await call('GET', `/api/products/${product.id}`, { expectStatus: 200 });
    await call('GET', '/api/shop-info', { expectStatus: 200 });
    const image = await sys.request('GET', `/images/products/${product.id}/0.svg`);
    expect(checker.check('GET', `/images/products/${product.id}/0.svg`, image)).toEqual([]);

    await call('PUT', `/api/cart/items/${skuId}`, { token, body: { quantity: 2 }, expectStatus: 200 });
    await call('POST', '/api/cart/select', {
      token,
      body: { skuIds: [skuId], selected: true },
      expectStatus: 200,
    });
    await call('GET', '/api/cart', { token, expectStatus: 200 });

    const address = await call<{ id: string }>('POST', '/api/addresses', {
      token,
      body: addressBody(),
      expectStatus: 201,
    });
    await call('PUT', `/api/addresses/${address.body.id}`, {
      token,
      body: addressBody({ isDefault: true }),
      expectStatus: 200,
    });
    await call('GET', '/api/addresses', { token, expectStatus: 200 });

    // An order, its replay by Idempotency-Key (200 with the same order), the list and the order.
    const orderBody = { fromCart: true, addressId: address.body.id };
    const headers = { 'Idempotency-Key': 'openapi-flow-0001' };
    const order = await call<OrderView>('POST', '/api/orders', {
      token,
      body: orderBody,
      headers,
      expectStatus: 201,
    });
    await call('POST', '/api/orders', { token, body: orderBody, headers, expectStatus: 200 });
    await call('GET', '/api/orders', { token, expectStatus: 200 });
    await call('DELETE', `/api/cart/items/${skuId}`, { token, expectStatus: 200 });

    // Pay inside Alipay: the trade at the sandbox, the buyer pays there, the notify moves the order.
    const payment = await call<{ tradeNo: string }>('POST', `/api/orders/${order.body.id}/payment`, {
      token,
      expectStatus: 200,
    });
    const paid = await sys.sandbox('POST', `/sandbox/trades/${payment.body.tradeNo}/pay`, {});
    expect(paid.status, paid.text).toBe(200);
    let status = order.body.status;
    for (let i = 0; i < 100 && status !== 'PAID'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await call<OrderView>('GET', `/api/orders/${order.body.id}`, { token, expectStatus: 200 }))
        .body.status;
    }
    expect(status).toBe('PAID');

    // A second order, paid by QR code at the counter, then cancelled.
    await call('PUT', `/api/cart/items/${skuId}`, { token, body: { quantity: 1 }, expectStatus: 200 });
    const second = await call<OrderView>('POST', '/api/orders', {
      token,
      body: { items: [{ skuId, quantity: 1 }], addressId: address.body.id },
      expectStatus: 201,
    });
    await call('POST', `/api/orders/${second.body.id}/payment/qr`, { token, body: {}, expectStatus: 200 });
    await call('POST', `/api/orders/${second.body.id}/cancel`, { token, body: {}, expectStatus: 200 });

    // Errors answer the one error shape the document describes.
    await call('GET', '/api/orders/no-such-order', { token, expectStatus: 404 });
    await call('POST', '/api/orders', { token, body: { items: [] }, expectStatus: 400 });
    await call('GET', '/api/cart', { expectStatus: 401 });
    await call('GET', '/api/after-sales', { token, expectStatus: 200 });

    // The merchant.
    const owner = await createAdmin(sys, { role: 'owner' });
    const adminRes = await sys.request('POST', '/api/admin/session', {
      body: { username: owner.username, password: owner.password },
    });
    expect(checker.check('POST', '/api/admin/session', adminRes)).toEqual([]);
    const adminToken = await signInAdmin(sys, owner);
    const asAdmin = { token: adminToken };
    await call('GET', '/api/admin/me', { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/dashboard', { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/orders?status=PAID', { ...asAdmin, expectStatus: 200 });
    await call('GET', `/api/admin/orders/${order.body.id}`, { ...asAdmin, expectStatus: 200 });
    await call('POST', `/api/admin/orders/${order.body.id}/refunds`, {
      ...asAdmin,
      body: { amountFen: 500, reason: '少发一件赠品' },
      expectStatus: 201,
    });
    await call('POST', `/api/admin/orders/${order.body.id}/ship`, {
      ...asAdmin,
      body: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
      expectStatus: 200,
    });
    await call('GET', '/api/admin/orders.csv', { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/categories', { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/products', { ...asAdmin, expectStatus: 200 });
    await call('GET', `/api/admin/products/${product.id}`, { ...asAdmin, expectStatus: 200 });
    await call('POST', `/api/admin/products/${product.id}/skus/${skuId}/stock-adjustments`, {
      ...asAdmin,
      body: { deltaQty: 5, reason: '盘点补货' },
      expectStatus: 201,
    });
    await call('GET', `/api/admin/products/${product.id}/photos`, { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/after-sales', { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/audit-logs', { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/staff', { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/reconciliation/days', { ...asAdmin, expectStatus: 200 });
    await call('GET', '/api/admin/reconciliation/settlements', { ...asAdmin, expectStatus: 200 });
    await call('DELETE', '/api/admin/session', { ...asAdmin, expectStatus: 204 });
    await call('DELETE', '/api/session', { token, expectStatus: 204 });

    const operations = new Set(checker.checked.map((c) => `${c.method} ${c.template}`));
    expect(operations.size).toBeGreaterThanOrEqual(40);
  });

  it('finds a response that does not match its schema (the check can fail)', async () => {
    const res = await sys.request('GET', '/api/categories');
    expect(res.status).toBe(200);
    const changed = JSON.stringify({ ...(res.body as object), items: 'not a list' });
    const errors = checker.check('GET', '/api/categories', { ...res, text: changed });
    expect(errors.join('\n')).toMatch(/\/items must be array/);
    const unknown = checker.check('GET', '/api/no-such-route', res);
    expect(unknown).toEqual(['GET /api/no-such-route is not an operation of the document']);
  });
});
