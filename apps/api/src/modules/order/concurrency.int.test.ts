import type { ErrorBody, OrderView } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, shopperWithAddress } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

type OrderOrError = OrderView & ErrorBody;

const stockOf = async (skuId: string) =>
  (await sys.db.sku.findUniqueOrThrow({ where: { id: skuId }, select: { stock: true } })).stock;

/** Units held by orders that still count against stock (everything except closed orders). */
const reservedUnits = async (skuId: string) =>
  (
    await sys.db.orderItem.aggregate({
      where: { skuId, order: { status: { not: 'CLOSED' } } },
      _sum: { quantity: true },
    })
  )._sum.quantity ?? 0;

describe('stock under concurrency', () => {
  it('50 concurrent orders for a SKU with stock 10 give exactly 10 orders and 40 OUT_OF_STOCK', async () => {
    const buyers = await Promise.all(DEV_BUYERS.map((b) => shopperWithAddress(sys, b.userId)));
    const p = await createProduct(sys.db, { skus: [{ priceFen: 1990, stock: 10 }] });
    const skuId = p.skuIds[0]!;

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const buyer = buyers[i % buyers.length]!;
        return sys.request<OrderOrError>('POST', '/api/orders', {
          token: buyer.token,
          body: { items: [{ skuId, quantity: 1 }], addressId: buyer.addressId },
        });
      }),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(created).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      expect([r.status, r.body.error.code]).toEqual([409, 'OUT_OF_STOCK']);
      expect(r.body.error.details).toMatchObject({ skuId });
    }
    expect(new Set(created.map((r) => r.body.orderNo)).size).toBe(10);
    expect(await stockOf(skuId)).toBe(0);
    // On hand = reserved + available: nothing oversold, nothing leaked.
    expect((await stockOf(skuId)) + (await reservedUnits(skuId))).toBe(10);
    expect(await sys.db.order.count({ where: { items: { some: { skuId } } } })).toBe(10);
  });

  it('a cancelled order’s stock returns once even when cancel is sent twice at the same time', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[1]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 10 }] });
    const skuId = p.skuIds[0]!;
    const created = await sys.request<OrderView>('POST', '/api/orders', {
      token,
      body: { items: [{ skuId, quantity: 4 }], addressId },
    });
    expect(await stockOf(skuId)).toBe(6);

    const cancels = await Promise.all(
      Array.from({ length: 2 }, () =>
        sys.request<OrderView>('POST', `/api/orders/${created.body.id}/cancel`, { token }),
      ),
    );
    for (const c of cancels) expect([c.status, c.body.status]).toEqual([200, 'CLOSED']);
    expect(await stockOf(skuId)).toBe(10);
    expect(await reservedUnits(skuId)).toBe(0);
    const closes = await sys.db.orderEvent.count({ where: { orderId: created.body.id, toStatus: 'CLOSED' } });
    expect(closes).toBe(1);
  });

  it('racing cancels over many orders release each order’s units exactly once', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[2]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 30 }] });
    const skuId = p.skuIds[0]!;
    const orders = [];
    for (let i = 0; i < 6; i++) {
      orders.push(
        await sys.request<OrderView>('POST', '/api/orders', {
          token,
          body: { items: [{ skuId, quantity: 2 }], addressId },
        }),
      );
    }
    expect(await stockOf(skuId)).toBe(18);
    // Cancel the first four, each three times at once, while new orders arrive.
    await Promise.all([
      ...orders
        .slice(0, 4)
        .flatMap((o) =>
          [1, 2, 3].map(() => sys.request('POST', `/api/orders/${o.body.id}/cancel`, { token })),
        ),
      ...[1, 2].map(() =>
        sys.request('POST', '/api/orders', { token, body: { items: [{ skuId, quantity: 1 }], addressId } }),
      ),
    ]);
    expect(await reservedUnits(skuId)).toBe(2 * 2 + 2);
    expect((await stockOf(skuId)) + (await reservedUnits(skuId))).toBe(30);
  });
});

describe('Idempotency-Key', () => {
  it('same key and body return the first order (200); a different body is 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[3]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 10 }] });
    const skuId = p.skuIds[0]!;
    const headers = { 'idempotency-key': 'checkout-7f3a9c21' };
    const body = { items: [{ skuId, quantity: 2 }], addressId, note: '请尽快发货' };

    const first = await sys.request<OrderOrError>('POST', '/api/orders', { token, body, headers });
    expect(first.status).toBe(201);
    const retry = await sys.request<OrderOrError>('POST', '/api/orders', { token, body, headers });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.orderNo).toBe(first.body.orderNo);
    // The same request spelled differently (key order, whitespace in the note) is still the same request.
    const respelled = await sys.request<OrderOrError>('POST', '/api/orders', {
      token,
      headers,
      rawBody: JSON.stringify({ note: ' 请尽快发货 ', addressId, items: [{ quantity: 2, skuId }] }),
      contentType: 'application/json',
    });
    expect([respelled.status, respelled.body.id]).toEqual([200, first.body.id]);

    const changed = await sys.request<OrderOrError>('POST', '/api/orders', {
      token,
      headers,
      body: { ...body, items: [{ skuId, quantity: 3 }] },
    });
    expect([changed.status, changed.body.error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await stockOf(skuId)).toBe(8);
    expect(await sys.db.order.count({ where: { items: { some: { skuId } } } })).toBe(1);

    // The key keeps naming that order after it is cancelled.
    await sys.request('POST', `/api/orders/${first.body.id}/cancel`, { token });
    const late = await sys.request<OrderOrError>('POST', '/api/orders', { token, body, headers });
    expect([late.status, late.body.id, late.body.status]).toEqual([200, first.body.id, 'CLOSED']);
  });

  it('concurrent requests with one key create one order and reserve stock once', async () => {
    const { token, addressId } = await shopperWithAddress(sys, DEV_BUYERS[4]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 10 }] });
    const skuId = p.skuIds[0]!;
    const headers = { 'idempotency-key': 'double-tap-0001' };
    const body = { items: [{ skuId, quantity: 3 }], addressId };

    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        sys.request<OrderOrError>('POST', '/api/orders', { token, body, headers }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(11);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await sys.db.order.count({ where: { items: { some: { skuId } } } })).toBe(1);
    expect(await stockOf(skuId)).toBe(7);
  });

  it('a key is per user, a failed create stores nothing, and a malformed key is 400', async () => {
    const a = await shopperWithAddress(sys, DEV_BUYERS[0]!.userId);
    const b = await shopperWithAddress(sys, DEV_BUYERS[1]!.userId);
    const p = await createProduct(sys.db, { skus: [{ stock: 1 }] });
    const skuId = p.skuIds[0]!;
    const headers = { 'idempotency-key': 'shared-key-123' };

    const tooMany = await sys.request<OrderOrError>('POST', '/api/orders', {
      token: a.token,
      headers,
      body: { items: [{ skuId, quantity: 2 }], addressId: a.addressId },
    });
    expect(tooMany.body.error.code).toBe('OUT_OF_STOCK');
    // The failed attempt did not burn the key: a corrected retry with the same key goes through.
    const fixed = await sys.request<OrderOrError>('POST', '/api/orders', {
      token: a.token,
      headers,
      body: { items: [{ skuId, quantity: 1 }], addressId: a.addressId },
    });
    expect(fixed.status).toBe(201);
    await sys.db.sku.update({ where: { id: skuId }, data: { stock: 1 } });
    const other = await sys.request<OrderOrError>('POST', '/api/orders', {
      token: b.token,
      headers,
      body: { items: [{ skuId, quantity: 1 }], addressId: b.addressId },
    });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(fixed.body.id);

    for (const key of ['short', 'has space in it', 'x'.repeat(65), 'slash/in/key']) {
      const res = await sys.request<ErrorBody>('POST', '/api/orders', {
        token: a.token,
        headers: { 'idempotency-key': key },
        body: { items: [{ skuId, quantity: 1 }], addressId: a.addressId },
      });
      expect([res.status, res.body.error.code], key).toEqual([400, 'VALIDATION_ERROR']);
    }
  });
});
