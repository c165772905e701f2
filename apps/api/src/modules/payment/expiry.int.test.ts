import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorBody, OrderView } from '@shop/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { runExpiry } from './expiry.job';
import { runRecovery } from './recovery.job';
import {
  addFault,
  clearFaults,
  notifyAttempted,
  openTrade,
  orderStatus,
  payAtSandbox,
  placeOrder,
  postNotify,
  sandboxLedger,
  seedSku,
  signUpShopper,
  type Shopper,
} from './test-support';

let sys: TestSystem;
let alice: Shopper;

const TTL_MS = 4_000;

beforeAll(async () => {
  // Real sandbox time: the trade expires at the order's expiry (time_expire), as at Alipay.
  sys = await startTestSystem({
    sandboxTimeScale: 1,
    env: { ORDER_TTL_MS: String(TTL_MS), PAYMENT_QUERY_DELAY_MS: '1', REFUND_RETRY_DELAY_MS: '1' },
  });
  alice = await signUpShopper(sys);
});
afterAll(() => sys.close());
afterEach(() => clearFaults(sys));

async function untilExpired(order: Pick<OrderView, 'expiresAt'>): Promise<void> {
  const wait = new Date(order.expiresAt).getTime() - Date.now() + 50;
  if (wait > 0) await sleep(wait);
}

async function stockOf(skuId: string): Promise<number> {
  return (await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } })).stock;
}

/** The payment notify the sandbox tried to deliver (and a fault dropped), as it would have gone over the wire. */
async function droppedPaymentNotify(outTradeNo: string): Promise<string> {
  const { attempt } = await notifyAttempted(sys, outTradeNo, 'dropped');
  if (!attempt.sentBody) throw new Error(`no body logged for the payment notify of ${outTradeNo}`);
  return attempt.sentBody;
}

/** An order whose trade was opened, then expired and was closed by the expiry job. */
async function expiredAndClosed(): Promise<{ order: OrderView; tradeNo: string; skuId: string }> {
  const opened = await openTrade(sys, alice, { priceFen: 2_500, stock: 5, quantity: 2 });
  expect(await stockOf(opened.skuId)).toBe(3);
  await untilExpired(opened.order);
  const stats = await runExpiry(sys.api.deps);
  expect(stats.closed).toBeGreaterThanOrEqual(1);
  return opened;
}

describe('a trade Alipay closes at its time_expire', () => {
  it('closes the order as expired when the close notify arrives before the expiry job', async () => {
    // Jobs are off in tests: only the sandbox's TRADE_CLOSED notify can close this order.
    const opened = await openTrade(sys, alice, { priceFen: 1_200, stock: 2, quantity: 1 });
    await untilExpired(opened.order);
    await expect
      .poll(() => orderStatus(sys, opened.order.id), { timeout: 15_000, interval: 200 })
      .toBe('CLOSED');
    const row = await sys.db.order.findUniqueOrThrow({ where: { id: opened.order.id } });
    expect(row.closeReason).toBe('expired');
    expect(await stockOf(opened.skuId)).toBe(2);
    const pay = await sys.request<ErrorBody>('POST', `/api/orders/${opened.order.id}/payment`, {
      token: alice.token,
    });
    expect([pay.status, pay.body.error.code]).toEqual([409, 'ORDER_EXPIRED']);
  });
});

describe('the expiry job', () => {
  it('closes an expired order that never had a payment and returns its stock, once even when passes race', async () => {
    const { skuId } = await seedSku(sys, { stock: 7 });
    const order = await placeOrder(sys, alice, skuId, 3);
    expect(await stockOf(skuId)).toBe(4);
    await untilExpired(order);
    await Promise.all([runExpiry(sys.api.deps), runExpiry(sys.api.deps)]);
    expect(await orderStatus(sys, order.id)).toBe('CLOSED');
    expect(await stockOf(skuId)).toBe(7);
    const row = await sys.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(row.closeReason).toBe('expired');
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, toStatus: 'CLOSED' } })).toBe(1);
    expect(await sys.db.gatewayCall.count({ where: { orderId: order.id } })).toBe(0);
  });

  it('closes the trade at Alipay and the order; paying it then fails; a forced payment is refunded automatically', async () => {
    // Without the sandbox's close notify, the expiry job is what closes the order.
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo, skuId } = await expiredAndClosed();
    expect(await orderStatus(sys, order.id)).toBe('CLOSED');
    expect(await stockOf(skuId)).toBe(5);
    const closed = await sys.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(closed.closeReason).toBe('expired');
    expect(await sys.db.gatewayCall.count({ where: { orderId: order.id, purpose: 'close' } })).toBe(1);
    expect(await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      status: 'CLOSED',
    });

    const refused = await payAtSandbox(sys, tradeNo);
    expect(refused).toMatchObject({ resultCode: '4000', reason: 'TRADE_CLOSED' });

    // The race Alipay exhibits: the buyer's payment goes through on the closed trade.
    expect((await payAtSandbox(sys, tradeNo, { force: true })).resultCode).toBe('9000');
    const body = await droppedPaymentNotify(order.orderNo);
    await clearFaults(sys);
    expect(await postNotify(sys, body)).toEqual({ status: 200, text: 'success' });

    expect(await orderStatus(sys, order.id)).toBe('CLOSED');
    expect(await stockOf(skuId)).toBe(5);
    const refunds = await sys.db.refund.findMany({ where: { orderId: order.id } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      kind: 'AUTO_PAID_AFTER_CLOSE',
      status: 'SUCCEEDED',
      amountFen: 5_000,
      outRequestNo: `${order.orderNo}_AUTO`,
    });
    const inbox = await sys.db.notifyInbox.findFirstOrThrow({ where: { orderId: order.id, outBizNo: null } });
    expect(inbox).toMatchObject({ outcome: 'AUTO_REFUND', verified: true, acknowledged: true });
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, type: 'PAID_AFTER_CLOSE' } })).toBe(1);
    const money = await sys.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(money).toMatchObject({ refundedFen: 5_000, refundPendingFen: 0 });

    // The same notify again, and the jobs, refund nothing more.
    expect(await postNotify(sys, body)).toEqual({ status: 200, text: 'success' });
    await runRecovery(sys.api.deps);
    await runExpiry(sys.api.deps);
    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.totals).toEqual({ paidFen: 5_000, refundedFen: 5_000 });
    expect(ledger.items.filter((i) => i.kind === 'refund')).toHaveLength(1);
    expect(await sys.db.refund.count({ where: { orderId: order.id } })).toBe(1);
  });

  it('a payment after the close whose notify is lost is found by the last look and refunded once', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo, skuId } = await expiredAndClosed();
    expect((await payAtSandbox(sys, tradeNo, { force: true })).resultCode).toBe('9000');

    const stats = await runRecovery(sys.api.deps);
    expect(stats.autoRefunds).toBe(1);
    await runRecovery(sys.api.deps);

    expect(await orderStatus(sys, order.id)).toBe('CLOSED');
    expect(await stockOf(skuId)).toBe(5);
    expect(await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      status: 'PAID',
      paidVia: 'query',
    });
    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.totals).toEqual({ paidFen: 5_000, refundedFen: 5_000 });
    expect(ledger.items.filter((i) => i.kind === 'refund')).toHaveLength(1);
  });

  it('closing finds the trade paid (its notify lost): the order becomes PAID, not closed', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const { order, tradeNo, skuId } = await openTrade(sys, alice, { stock: 2 });
    expect((await payAtSandbox(sys, tradeNo)).resultCode).toBe('9000');
    await untilExpired(order);

    const stats = await runExpiry(sys.api.deps);
    expect(stats.paid).toBe(1);
    expect(await orderStatus(sys, order.id)).toBe('PAID');
    expect(await stockOf(skuId)).toBe(1);
    expect(await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      status: 'PAID',
      paidVia: 'close',
    });
    const calls = await sys.db.gatewayCall.findMany({
      where: { orderId: order.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(calls.map((c) => [c.purpose, c.outcome, c.errorSubCode])).toEqual([
      ['create', 'success', null],
      ['close', 'failed', 'ACQ.TRADE_STATUS_ERROR'],
      ['query', 'success', null],
    ]);
  });

  it('leaves the order pending when the close outcome is unknown, and closes it on the next pass', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    const { order, skuId } = await openTrade(sys, alice, { stock: 4 });
    await untilExpired(order);
    await addFault(sys, { kind: 'gateway-error', count: 1, methods: ['alipay.trade.close'] });
    const first = await runExpiry(sys.api.deps);
    expect(first.unknown).toBeGreaterThanOrEqual(1);
    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');

    await runExpiry(sys.api.deps);
    expect(await orderStatus(sys, order.id)).toBe('CLOSED');
    expect(await stockOf(skuId)).toBe(4);
  });
});
