import type { ErrorBody, OrderView } from '@shop/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import {
  addFault,
  clearFaults,
  openTrade,
  orderStatus,
  payAtSandbox,
  signUpShopper,
  type Shopper,
} from './test-support';

let sys: TestSystem;
let alice: Shopper;

beforeAll(async () => {
  // Real sandbox time, so a trade stays open (15 minutes) for as long as a test needs it.
  sys = await startTestSystem({ sandboxTimeScale: 1 });
  alice = await signUpShopper(sys);
});
afterAll(() => sys.close());
afterEach(() => clearFaults(sys));

function cancel(orderId: string) {
  return sys.request<OrderView & ErrorBody>('POST', `/api/orders/${orderId}/cancel`, {
    token: alice.token,
    body: {},
  });
}

describe("the shopper's cancel of an order with a trade", () => {
  it('closes the Alipay trade first, then the order; paying it afterwards fails', async () => {
    const { order, tradeNo, skuId } = await openTrade(sys, alice, { stock: 3 });
    const res = await cancel(order.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('CLOSED');
    expect((await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock).toBe(3);
    const close = await sys.db.gatewayCall.findFirstOrThrow({
      where: { orderId: order.id, purpose: 'close' },
    });
    expect(close.outcome).toBe('success');
    expect(await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      status: 'CLOSED',
    });
    const trade = await sys.sandbox<{ status: string }>('GET', `/sandbox/trades/${tradeNo}`);
    expect(trade.body.status).toBe('TRADE_CLOSED');
    expect(await payAtSandbox(sys, tradeNo)).toMatchObject({ resultCode: '4000', reason: 'TRADE_CLOSED' });
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, type: 'CANCELLED' } })).toBe(1);
  });

  it('finds an order paid meanwhile (its notify not here yet): 409 ALREADY_PAID, and the order is PAID', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo, skuId } = await openTrade(sys, alice, { stock: 3 });
    await payAtSandbox(sys, tradeNo);
    const res = await cancel(order.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ALREADY_PAID');
    expect(await orderStatus(sys, order.id)).toBe('PAID');
    expect((await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock).toBe(2);
    expect(await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      paidVia: 'close',
    });
  });

  it('changes nothing when Alipay does not answer the close (503), and the retry cancels', async () => {
    const { order } = await openTrade(sys, alice);
    await addFault(sys, { kind: 'gateway-error', count: 1, methods: ['alipay.trade.close'] });
    const unknown = await cancel(order.id);
    expect(unknown.status).toBe(503);
    expect(unknown.body.error.code).toBe('PAYMENT_OUTCOME_UNKNOWN');
    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');
    const retry = await cancel(order.id);
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('CLOSED');
  });
});
