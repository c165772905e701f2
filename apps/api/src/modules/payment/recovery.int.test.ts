import type { ErrorBody, PaymentCreateResponse } from '@shop/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { runRecovery } from './recovery.job';
import {
  addFault,
  clearFaults,
  notifyAttempted,
  openTrade,
  orderStatus,
  payAtSandbox,
  placeOrder,
  seedSku,
  signUpShopper,
  type Shopper,
} from './test-support';

let sys: TestSystem;
let alice: Shopper;

beforeAll(async () => {
  // A slower sandbox clock than the default keeps unpaid trades open for several seconds (15 min x 0.01).
  sys = await startTestSystem({
    sandboxTimeScale: 0.01,
    env: { PAYMENT_QUERY_DELAY_MS: '1', REFUND_RETRY_DELAY_MS: '1', ALIPAY_TIMEOUT_MS: '1000' },
  });
  alice = await signUpShopper(sys);
});
afterAll(() => sys.close());
afterEach(() => clearFaults(sys));

function pay(orderId: string) {
  return sys.request<PaymentCreateResponse & ErrorBody>('POST', `/api/orders/${orderId}/payment`, {
    token: alice.token,
  });
}

describe('the recovery job', () => {
  it('makes the order PAID when the sandbox drops every notify', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo } = await openTrade(sys, alice);
    expect((await payAtSandbox(sys, tradeNo)).resultCode).toBe('9000');
    const { notify } = await notifyAttempted(sys, order.orderNo, 'dropped');
    expect(notify.attempts.map((a) => a.outcome)).toEqual(['dropped']);
    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');

    await sys.api.jobs.runAllOnce();

    expect(await orderStatus(sys, order.id)).toBe('PAID');
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(payment).toMatchObject({ status: 'PAID', paidVia: 'query', nextQueryAt: null, queryCount: 1 });
    const query = await sys.db.gatewayCall.findFirstOrThrow({
      where: { orderId: order.id, purpose: 'query' },
    });
    expect(query.outcome).toBe('success');
    expect(JSON.parse(query.resultJson)).toMatchObject({ tradeStatus: 'TRADE_SUCCESS', tradeNo });
    const paid = await sys.db.orderEvent.findFirstOrThrow({ where: { orderId: order.id, toStatus: 'PAID' } });
    expect(paid.actorType).toBe('system');
    expect(JSON.parse(paid.dataJson)).toMatchObject({ source: 'query', tradeNo });
    expect(await sys.db.notifyInbox.count({ where: { orderId: order.id } })).toBe(0);

    // A second pass has nothing to do for it: a paid payment is never queried again.
    await sys.api.jobs.runAllOnce();
    expect(await sys.db.gatewayCall.count({ where: { orderId: order.id, purpose: 'query' } })).toBe(1);
  });

  it('does not query a payment before its delay, and backs off while the buyer has not paid', async () => {
    const { order } = await openTrade(sys, alice);
    const before = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    await runRecovery(sys.api.deps, new Date(before.nextQueryAt!.getTime() - 1));
    expect(await sys.db.gatewayCall.count({ where: { orderId: order.id, purpose: 'query' } })).toBe(0);

    const due = new Date(before.nextQueryAt!.getTime() + 1);
    await runRecovery(sys.api.deps, due);
    const after = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(after).toMatchObject({ status: 'OPEN', queryCount: 1 });
    expect(after.nextQueryAt!.getTime()).toBeGreaterThan(before.nextQueryAt!.getTime());
    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');
  });

  it('claims each payment once when two passes run at the same time', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo } = await openTrade(sys, alice);
    await payAtSandbox(sys, tradeNo);
    const [a, b] = await Promise.all([runRecovery(sys.api.deps), runRecovery(sys.api.deps)]);
    expect(a.paymentsQueried + b.paymentsQueried).toBeGreaterThanOrEqual(1);
    expect(await sys.db.gatewayCall.count({ where: { orderId: order.id, purpose: 'query' } })).toBe(1);
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, toStatus: 'PAID' } })).toBe(1);
  });
});

describe('payment creation when Alipay misbehaves', () => {
  it('a create applied but unanswered (dropped connection) is 503; recovery finds the trade; the retry returns it', async () => {
    const { skuId } = await seedSku(sys);
    const order = await placeOrder(sys, alice, skuId);
    await addFault(sys, { kind: 'gateway-drop-after-apply', count: 1, methods: ['alipay.trade.create'] });
    const lost = await pay(order.id);
    expect(lost.status).toBe(503);
    expect(lost.body.error.code).toBe('PAYMENT_OUTCOME_UNKNOWN');
    const intent = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(intent).toMatchObject({ status: 'CREATED', tradeNo: null });

    await runRecovery(sys.api.deps);
    const found = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(found.status).toBe('OPEN');
    expect(found.tradeNo).toMatch(/^\d+$/);

    const retry = await pay(order.id);
    expect(retry.status).toBe(200);
    expect(retry.body.tradeNo).toBe(found.tradeNo);
    const trades = await sys.sandbox<{ items: unknown[] }>(
      'GET',
      `/sandbox/trades?outTradeNo=${order.orderNo}`,
    );
    expect(trades.body.items).toHaveLength(1);
  });

  it('a create that hangs past ALIPAY_TIMEOUT_MS is a clear 503, and the retry creates the trade', async () => {
    const { skuId } = await seedSku(sys);
    const order = await placeOrder(sys, alice, skuId);
    await addFault(sys, { kind: 'gateway-hang', holdMs: 5000, count: 1, methods: ['alipay.trade.create'] });
    const started = Date.now();
    const hung = await pay(order.id);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(hung.status).toBe(503);
    expect(hung.body.error.code).toBe('PAYMENT_OUTCOME_UNKNOWN');
    const call = await sys.db.gatewayCall.findFirstOrThrow({ where: { orderId: order.id } });
    expect(call).toMatchObject({ purpose: 'create', outcome: 'unknown', errorCode: 'timeout' });

    const retry = await pay(order.id);
    expect(retry.status).toBe(200);
    expect((await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).status).toBe('OPEN');
  });

  it('an intent Alipay never heard of is closed with its order once the order has expired', async () => {
    const { skuId } = await seedSku(sys, { stock: 3 });
    const order = await placeOrder(sys, alice, skuId);
    await addFault(sys, { kind: 'gateway-error', count: 1, methods: ['alipay.trade.create'] });
    expect((await pay(order.id)).status).toBe(503);

    // Not expired yet: a retry of the create may still come, so the intent waits.
    await runRecovery(sys.api.deps);
    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');
    const query = await sys.db.gatewayCall.findFirstOrThrow({
      where: { orderId: order.id, purpose: 'query' },
    });
    expect(query.errorSubCode).toBe('ACQ.TRADE_NOT_EXIST');

    await sys.db.order.update({ where: { id: order.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await sys.db.payment.update({ where: { orderId: order.id }, data: { nextQueryAt: new Date() } });
    await runRecovery(sys.api.deps);
    expect(await orderStatus(sys, order.id)).toBe('CLOSED');
    expect((await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock).toBe(3);
    expect(await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      status: 'CLOSED',
      nextQueryAt: null,
    });
  });
});
