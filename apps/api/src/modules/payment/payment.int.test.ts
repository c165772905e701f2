import type { ErrorBody, OrderView, PaymentCreateResponse } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import {
  addFault,
  clearFaults,
  eventually,
  notifyAttempted,
  openTrade,
  payAtSandbox,
  placeOrder,
  sandboxNotifications,
  seedSku,
  signUpShopper,
  startPayment,
  waitForStatus,
  type Shopper,
} from './test-support';

let sys: TestSystem;
let alice: Shopper;

beforeAll(async () => {
  sys = await startTestSystem();
  alice = await signUpShopper(sys, DEV_BUYERS[0]!.userId);
});
afterAll(() => sys.close());

describe('POST /api/orders/:id/payment', () => {
  it('creates the trade at Alipay for the order, and a second call returns the same trade', async () => {
    const { skuId } = await seedSku(sys, { priceFen: 2590 });
    const order = await placeOrder(sys, alice, skuId, 2);
    const first = await sys.request<PaymentCreateResponse>('POST', `/api/orders/${order.id}/payment`, {
      token: alice.token,
    });
    expect(first.status).toBe(200);
    expect(first.body.outTradeNo).toBe(order.orderNo);
    const second = await sys.request<PaymentCreateResponse>('POST', `/api/orders/${order.id}/payment`, {
      token: alice.token,
    });
    expect(second.body).toEqual(first.body);

    const trades = await sys.sandbox<{
      items: Array<{ tradeNo: string; totalFen: number; buyerUserId: string }>;
    }>('GET', `/sandbox/trades?outTradeNo=${order.orderNo}`);
    expect(trades.body.items).toHaveLength(1);
    expect(trades.body.items[0]).toMatchObject({
      tradeNo: first.body.tradeNo,
      totalFen: 5180,
      buyerUserId: alice.buyerId,
    });

    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(payment).toMatchObject({ status: 'OPEN', tradeNo: first.body.tradeNo, amountFen: 5180 });
    const calls = await sys.db.gatewayCall.findMany({
      where: { orderId: order.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(calls.map((c) => [c.purpose, c.outcome])).toEqual([
      ['create', 'success'],
      ['create', 'success'],
    ]);
    const events = await sys.db.orderEvent.findMany({ where: { orderId: order.id } });
    expect(events.filter((e) => e.type === 'PAYMENT_OPENED')).toHaveLength(1);
  });

  it("answers 404 for another user's order and for an unknown one, 400 for a malformed id", async () => {
    const { skuId } = await seedSku(sys);
    const order = await placeOrder(sys, alice, skuId);
    const bob = await signUpShopper(sys, DEV_BUYERS[1]!.userId);
    const other = await sys.request<ErrorBody>('POST', `/api/orders/${order.id}/payment`, {
      token: bob.token,
    });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    const unknown = await sys.request<ErrorBody>('POST', '/api/orders/nope123/payment', {
      token: alice.token,
    });
    expect(unknown.status).toBe(404);
    const malformed = await sys.request<ErrorBody>('POST', '/api/orders/bad%20id!/payment', {
      token: alice.token,
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_ERROR');
    const anonymous = await sys.request<ErrorBody>('POST', `/api/orders/${order.id}/payment`);
    expect(anonymous.status).toBe(401);
    expect(await sys.db.payment.count({ where: { orderId: order.id } })).toBe(0);
  });

  it('refuses a paid order with 409 ALREADY_PAID and a closed one with 409 ORDER_STATE_CONFLICT', async () => {
    const { order, tradeNo } = await openTrade(sys, alice);
    expect((await payAtSandbox(sys, tradeNo)).resultCode).toBe('9000');
    await waitForStatus(sys, order.id, 'PAID');
    const paid = await sys.request<ErrorBody>('POST', `/api/orders/${order.id}/payment`, {
      token: alice.token,
    });
    expect(paid.status).toBe(409);
    expect(paid.body.error.code).toBe('ALREADY_PAID');

    const { skuId } = await seedSku(sys);
    const cancelled = await placeOrder(sys, alice, skuId);
    expect(
      (await sys.request('POST', `/api/orders/${cancelled.id}/cancel`, { token: alice.token })).status,
    ).toBe(200);
    const closed = await sys.request<ErrorBody>('POST', `/api/orders/${cancelled.id}/payment`, {
      token: alice.token,
    });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('ORDER_STATE_CONFLICT');
  });

  it('refuses an order past its expiry with 409 ORDER_EXPIRED', async () => {
    const { skuId } = await seedSku(sys);
    const order = await placeOrder(sys, alice, skuId);
    // The expiry job has not run yet: the order is still pending, but its time is up.
    await sys.db.order.update({ where: { id: order.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await sys.request<ErrorBody>('POST', `/api/orders/${order.id}/payment`, {
      token: alice.token,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ORDER_EXPIRED');
    expect(await sys.db.gatewayCall.count({ where: { orderId: order.id } })).toBe(0);
  });

  it('answers 20000 from Alipay with a retryable 503 PAYMENT_OUTCOME_UNKNOWN; the retry gets the trade', async () => {
    const { skuId } = await seedSku(sys);
    const order = await placeOrder(sys, alice, skuId);
    await addFault(sys, { kind: 'gateway-error', count: 1, methods: ['alipay.trade.create'] });
    const failed = await sys.request<ErrorBody>('POST', `/api/orders/${order.id}/payment`, {
      token: alice.token,
    });
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('PAYMENT_OUTCOME_UNKNOWN');
    expect(failed.body.error.details).toEqual({ retryable: true });
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(payment.status).toBe('CREATED');
    expect(payment.nextQueryAt).not.toBeNull();

    const retry = await sys.request<PaymentCreateResponse>('POST', `/api/orders/${order.id}/payment`, {
      token: alice.token,
    });
    expect(retry.status).toBe(200);
    const calls = await sys.db.gatewayCall.findMany({
      where: { orderId: order.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(calls.map((c) => [c.outcome, c.errorCode])).toEqual([
      ['unknown', '20000'],
      ['success', null],
    ]);
  });

  it('answers a create Alipay refuses with 502 PAYMENT_GATEWAY_ERROR and the sub code', async () => {
    const { skuId } = await seedSku(sys);
    const order = await placeOrder(sys, alice, skuId);
    // A buyer Alipay does not know: the create is refused with ACQ.BUYER_NOT_EXIST.
    const user = await sys.db.user.findUniqueOrThrow({ where: { id: alice.userId } });
    await sys.db.user.update({ where: { id: alice.userId }, data: { alipayUserId: '2088999999999999' } });
    try {
      const res = await sys.request<ErrorBody>('POST', `/api/orders/${order.id}/payment`, {
        token: alice.token,
      });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('PAYMENT_GATEWAY_ERROR');
      expect(res.body.error.details).toMatchObject({ code: '40004', subCode: 'ACQ.BUYER_NOT_EXIST' });
      const call = await sys.db.gatewayCall.findFirstOrThrow({ where: { orderId: order.id } });
      expect(call).toMatchObject({ outcome: 'failed', errorSubCode: 'ACQ.BUYER_NOT_EXIST' });
    } finally {
      await sys.db.user.update({ where: { id: alice.userId }, data: { alipayUserId: user.alipayUserId } });
    }
  });
});

describe('paying through the sandbox', () => {
  it('makes the order PAID after the notify, with one verified inbox row, answered exactly "success"', async () => {
    const { order, tradeNo, skuId } = await openTrade(sys, alice, { priceFen: 990, stock: 5 });
    const stockBefore = (await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock;
    expect((await payAtSandbox(sys, tradeNo)).resultCode).toBe('9000');
    await waitForStatus(sys, order.id, 'PAID');

    const inbox = await sys.db.notifyInbox.findMany({ where: { orderId: order.id } });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({
      verified: true,
      rejectReason: null,
      outcome: 'APPLIED',
      acknowledged: true,
      tradeStatus: 'TRADE_SUCCESS',
      totalFen: 990,
      tradeNo,
    });
    expect(inbox[0]!.rawBody).toContain(`out_trade_no=${order.orderNo}`);
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(payment).toMatchObject({ status: 'PAID', paidVia: 'notify', nextQueryAt: null });
    const row = await sys.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(row.paidAt).not.toBeNull();
    // Paying takes no more stock: it was reserved when the order was placed.
    expect((await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock).toBe(stockBefore);

    const { attempt: delivered } = await notifyAttempted(sys, order.orderNo, 'success');
    expect(delivered).toMatchObject({ httpStatus: 200, responseBody: 'success' });

    const shown = await sys.request<{ status: string }>('GET', `/api/orders/${order.id}`, {
      token: alice.token,
    });
    expect(shown.body.status).toBe('PAID');
  });

  it('12 concurrent copies of the notify: one transition, every copy answered "success", all recorded', async () => {
    const { order, tradeNo } = await openTrade(sys, alice);
    await addFault(sys, { kind: 'notify-duplicate', copies: 12, count: 1 });
    try {
      await payAtSandbox(sys, tradeNo);
      await waitForStatus(sys, order.id, 'PAID');
      const attempts = await eventually('all 12 copies to be answered', async () => {
        const [notify] = await sandboxNotifications(sys, order.orderNo);
        return notify && notify.attempts.length === 12 ? notify.attempts : undefined;
      });
      for (const attempt of attempts) {
        expect(attempt).toMatchObject({ httpStatus: 200, responseBody: 'success', outcome: 'success' });
      }
    } finally {
      await clearFaults(sys);
    }
    const inbox = await sys.db.notifyInbox.findMany({ where: { orderId: order.id } });
    expect(inbox).toHaveLength(12);
    expect(inbox.filter((r) => r.outcome === 'APPLIED')).toHaveLength(1);
    expect(inbox.filter((r) => r.outcome === 'DUPLICATE')).toHaveLength(11);
    expect(inbox.every((r) => r.verified && r.acknowledged)).toBe(true);
    const paidEvents = await sys.db.orderEvent.findMany({ where: { orderId: order.id, toStatus: 'PAID' } });
    expect(paidEvents).toHaveLength(1);
  });

  it('counts the paid units as sales of the product', async () => {
    const { skuId, productId } = await seedSku(sys);
    const order = await placeOrder(sys, alice, skuId, 3);
    const { tradeNo } = await sys
      .request<PaymentCreateResponse>('POST', `/api/orders/${order.id}/payment`, { token: alice.token })
      .then((r) => r.body);
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    expect((await sys.db.product.findUniqueOrThrow({ where: { id: productId } })).salesCount).toBe(3);
  });

  it('counts each product of a mixed order once, with the units of all its SKUs, and no other product', async () => {
    const two = await createProduct(sys.db, {
      skus: ['S', 'M'].map((size) => ({ specs: { 尺码: size }, stock: 10 })),
    });
    const one = await seedSku(sys);
    const bystander = await seedSku(sys);
    const res = await sys.request<OrderView>('POST', '/api/orders', {
      token: alice.token,
      body: {
        items: [
          { skuId: two.skuIds[0]!, quantity: 2 },
          { skuId: one.skuId, quantity: 4 },
          { skuId: two.skuIds[1]!, quantity: 1 },
        ],
        addressId: alice.addressId,
      },
    });
    expect(res.status, res.text).toBe(201);
    const { tradeNo } = await startPayment(sys, alice, res.body.id);
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, res.body.id, 'PAID');
    const sales = async (id: string) =>
      (await sys.db.product.findUniqueOrThrow({ where: { id } })).salesCount;
    expect([await sales(two.id), await sales(one.productId), await sales(bystander.productId)]).toEqual([
      3, 4, 0,
    ]);
  });
});
