import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { runRecovery } from './recovery.job';
import { requestRefund, type RefundRequest } from './refund.service';
import {
  addFault,
  clearFaults,
  eventually,
  openTrade,
  payAtSandbox,
  sandboxLedger,
  signUpShopper,
  waitForStatus,
  type Shopper,
} from './test-support';
import { paymentTimeline } from './timeline.service';

let sys: TestSystem;
let alice: Shopper;

beforeAll(async () => {
  sys = await startTestSystem({
    env: { PAYMENT_QUERY_DELAY_MS: '1', REFUND_RETRY_DELAY_MS: '1', ALIPAY_TIMEOUT_MS: '1000' },
  });
  alice = await signUpShopper(sys);
});
afterAll(() => sys.close());
afterEach(() => clearFaults(sys));

async function paidOrder(priceFen: number) {
  const { order, tradeNo } = await openTrade(sys, alice, { priceFen });
  await payAtSandbox(sys, tradeNo);
  await waitForStatus(sys, order.id, 'PAID');
  return order;
}

function refund(orderId: string, amountFen: number, extra: Partial<RefundRequest> = {}) {
  return requestRefund(sys.api.deps, {
    orderId,
    amountFen,
    reason: '商品破损',
    actor: { type: 'admin', id: 'admin-1' },
    ...extra,
  });
}

async function refundError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function moneyOf(orderId: string) {
  const order = await sys.db.order.findUniqueOrThrow({ where: { id: orderId } });
  return { status: order.status, refundedFen: order.refundedFen, refundPendingFen: order.refundPendingFen };
}

describe('merchant refunds', () => {
  it('a partial refund, then the rest: the order becomes REFUNDED and the sandbox ledger agrees', async () => {
    const order = await paidOrder(10_000);
    const first = await refund(order.id, 3_000);
    expect(first).toMatchObject({
      status: 'SUCCEEDED',
      kind: 'MERCHANT',
      amountFen: 3_000,
      outRequestNo: `${order.orderNo}_R1`,
    });
    expect(await moneyOf(order.id)).toEqual({ status: 'PAID', refundedFen: 3_000, refundPendingFen: 0 });

    const rest = await refund(order.id, 7_000);
    expect(rest).toMatchObject({ status: 'SUCCEEDED', outRequestNo: `${order.orderNo}_R2` });
    expect(await moneyOf(order.id)).toEqual({ status: 'REFUNDED', refundedFen: 10_000, refundPendingFen: 0 });

    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.totals).toEqual({ paidFen: 10_000, refundedFen: 10_000 });
    expect(ledger.items.filter((i) => i.kind === 'refund').map((i) => i.outRequestNo)).toEqual([
      `${order.orderNo}_R1`,
      `${order.orderNo}_R2`,
    ]);
    // Alipay's refund notifies race the answers: whichever comes first completes the refund, the other changes
    // nothing; both are acknowledged, and each refund succeeded exactly once.
    const refundNotifies = await eventually('both refund notifies', async () => {
      const rows = await sys.db.notifyInbox.findMany({
        where: { orderId: order.id, outBizNo: { not: null } },
      });
      return rows.length === 2 ? rows : undefined;
    });
    expect(refundNotifies.every((r) => ['NO_CHANGE', 'APPLIED'].includes(r.outcome) && r.acknowledged)).toBe(
      true,
    );
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, type: 'REFUND_SUCCEEDED' } })).toBe(2);

    const more = await refundError(refund(order.id, 1));
    expect(more.code).toBe('REFUND_EXCEEDS_PAID');
  });

  it('refuses more than is left with 422 REFUND_EXCEEDS_PAID, also when refunds race', async () => {
    const order = await paidOrder(1_000);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => refund(order.id, 300)));
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(succeeded).toHaveLength(3);
    for (const r of refused) expect((r.reason as AppError).code).toBe('REFUND_EXCEEDS_PAID');
    expect(await moneyOf(order.id)).toEqual({ status: 'PAID', refundedFen: 900, refundPendingFen: 0 });

    const over = await refundError(refund(order.id, 101));
    expect(over.status).toBe(422);
    expect(over.details).toMatchObject({ requestedFen: 101, refundableFen: 100 });
    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.totals.refundedFen).toBe(900);
  });

  it('a retried request with the same key refunds once', async () => {
    const order = await paidOrder(5_000);
    const a = await refund(order.id, 1_000, { requestKey: 'ticket-4711' });
    const b = await refund(order.id, 1_000, { requestKey: 'ticket-4711' });
    expect(b.id).toBe(a.id);
    expect((await refundError(refund(order.id, 2_000, { requestKey: 'ticket-4711' }))).code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(1_000);
    expect(await moneyOf(order.id)).toEqual({ status: 'PAID', refundedFen: 1_000, refundPendingFen: 0 });
  });

  it('refuses an order that took no money (409) and an unknown one (404)', async () => {
    const { order } = await openTrade(sys, alice);
    expect((await refundError(refund(order.id, 100))).code).toBe('ORDER_STATE_CONFLICT');
    expect((await refundError(refund('no-such-order', 100))).code).toBe('NOT_FOUND');
  });

  it('a refund Alipay refuses is FAILED with its sub code, and its amount is free again', async () => {
    const order = await paidOrder(2_000);
    // Someone refunded the whole trade in Alipay's console, behind the shop's back: the trade is closed.
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    const console = await sys.sandbox('POST', `/sandbox/trades/${payment.tradeNo}/refund`, {
      amountFen: 2_000,
    });
    expect(console.status).toBe(200);

    const refused = await refund(order.id, 500);
    expect(refused).toMatchObject({ status: 'FAILED', failureCode: 'ACQ.TRADE_HAS_CLOSE' });
    expect(await moneyOf(order.id)).toEqual({ status: 'PAID', refundedFen: 0, refundPendingFen: 0 });
    // The console refund's notify is genuine but not ours: acknowledged, nothing changed.
    const notify = await eventually('the console refund notify', () =>
      sys.db.notifyInbox
        .findFirst({ where: { orderId: order.id, outBizNo: { not: null } } })
        .then((r) => r ?? undefined),
    );
    expect(notify).toMatchObject({ verified: true, outcome: 'NO_CHANGE', acknowledged: true });
  });
});

describe('refunds when Alipay misbehaves', () => {
  it('answers 20000: the refund is UNKNOWN, and the recovery job refunds it exactly once', async () => {
    const order = await paidOrder(3_300);
    await addFault(sys, { kind: 'gateway-error', count: 1, methods: ['alipay.trade.refund'] });
    const pending = await refund(order.id, 3_300);
    expect(pending.status).toBe('UNKNOWN');
    expect(await moneyOf(order.id)).toEqual({ status: 'PAID', refundedFen: 0, refundPendingFen: 3_300 });
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(0);

    const stats = await runRecovery(sys.api.deps);
    expect(stats.refundsSentAgain + stats.refundsSucceeded).toBeGreaterThanOrEqual(1);
    await runRecovery(sys.api.deps);

    const done = await sys.db.refund.findUniqueOrThrow({ where: { id: pending.id } });
    expect(done.status).toBe('SUCCEEDED');
    expect(await moneyOf(order.id)).toEqual({ status: 'REFUNDED', refundedFen: 3_300, refundPendingFen: 0 });
    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.items.filter((i) => i.kind === 'refund')).toHaveLength(1);
    expect(ledger.totals.refundedFen).toBe(3_300);
    const calls = await sys.db.gatewayCall.findMany({
      where: { refundId: pending.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(calls.map((c) => [c.purpose, c.outcome])).toEqual([
      ['refund', 'unknown'],
      ['refund-query', 'success'],
      ['refund', 'success'],
    ]);
    // Sent again with the same number: Alipay's ledger has the one refund under it.
    expect(ledger.items.find((i) => i.kind === 'refund')?.outRequestNo).toBe(pending.outRequestNo);
  });

  it('hangs past ALIPAY_TIMEOUT_MS: the refund is UNKNOWN, then resolved once', async () => {
    const order = await paidOrder(1_200);
    await addFault(sys, { kind: 'gateway-hang', holdMs: 5_000, count: 1, methods: ['alipay.trade.refund'] });
    const pending = await refund(order.id, 400);
    expect(pending.status).toBe('UNKNOWN');
    // Recovery passes as the job runs them (REFUND_RETRY_DELAY_MS=1): one is enough on a quiet machine; on a busy
    // one a pass's own call can outlast ALIPAY_TIMEOUT_MS and leave the refund for the next pass.
    await eventually('the refund to be resolved by recovery', async () => {
      await runRecovery(sys.api.deps);
      const { status } = await sys.db.refund.findUniqueOrThrow({ where: { id: pending.id } });
      return status === 'SUCCEEDED' ? status : undefined;
    });
    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.items.filter((i) => i.kind === 'refund')).toHaveLength(1);
    expect(await moneyOf(order.id)).toEqual({ status: 'PAID', refundedFen: 400, refundPendingFen: 0 });
  });

  it('applied, then the connection dropped: the refund query finds it done, and it is not sent again', async () => {
    const order = await paidOrder(4_000);
    await addFault(sys, { kind: 'notify-drop' });
    await addFault(sys, { kind: 'gateway-drop-after-apply', count: 1, methods: ['alipay.trade.refund'] });
    const pending = await refund(order.id, 1_500);
    expect(pending.status).toBe('UNKNOWN');
    // The money moved at Alipay already; we only do not know it yet.
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(1_500);

    await runRecovery(sys.api.deps);
    await runRecovery(sys.api.deps);
    expect((await sys.db.refund.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe('SUCCEEDED');
    expect(await moneyOf(order.id)).toEqual({ status: 'PAID', refundedFen: 1_500, refundPendingFen: 0 });
    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.items.filter((i) => i.kind === 'refund')).toHaveLength(1);
    const calls = await sys.db.gatewayCall.findMany({ where: { refundId: pending.id } });
    expect(calls.filter((c) => c.purpose === 'refund')).toHaveLength(1);
  });

  it('applied, then the connection dropped: the refund notify completes it', async () => {
    const order = await paidOrder(900);
    await addFault(sys, { kind: 'gateway-drop-after-apply', count: 1, methods: ['alipay.trade.refund'] });
    const pending = await refund(order.id, 900);
    expect(['UNKNOWN', 'SUCCEEDED']).toContain(pending.status);
    await eventually('the refund notify to complete the refund', async () => {
      const row = await sys.db.refund.findUniqueOrThrow({ where: { id: pending.id } });
      return row.status === 'SUCCEEDED' ? row : undefined;
    });
    expect(await moneyOf(order.id)).toEqual({ status: 'REFUNDED', refundedFen: 900, refundPendingFen: 0 });
    const notify = await sys.db.notifyInbox.findFirstOrThrow({
      where: { orderId: order.id, outBizNo: pending.outRequestNo },
    });
    expect(notify).toMatchObject({ verified: true, outcome: 'APPLIED', acknowledged: true });
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(900);
  });
});

describe('what the merchant sees', () => {
  it("shows an order's trade, notifies, gateway calls and refunds in one timeline", async () => {
    const order = await paidOrder(1_500);
    await refund(order.id, 500);
    const timeline = await paymentTimeline(sys.db, order.id);
    expect(timeline).toMatchObject({
      orderId: order.id,
      totalFen: 1_500,
      refundedFen: 500,
      refundPendingFen: 0,
    });
    expect(timeline.payment).toMatchObject({ status: 'PAID', paidVia: 'notify', outTradeNo: order.orderNo });
    expect(timeline.refunds).toHaveLength(1);
    expect(timeline.refunds[0]).toMatchObject({ status: 'SUCCEEDED', amountFen: 500 });
    expect(timeline.notifies[0]).toMatchObject({
      verified: true,
      outcome: 'APPLIED',
      tradeStatus: 'TRADE_SUCCESS',
    });
    expect(timeline.notifies[0]!.fields.out_trade_no).toBe(order.orderNo);
    expect(timeline.gatewayCalls.map((c) => c.purpose)).toEqual(['create', 'refund']);
  });
});
