// The notify pipeline under the sandbox's delay and reorder faults, a notify whose apply fails in the database, and a
// refund left PENDING by an API process killed before its gateway call: each ends applied exactly once.
import { failUpdatesOf } from '@shop/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '../../testing/api-process';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { createAdmin, signInAdmin } from '../admin/test-support';
import { runRecovery } from './recovery.job';
import { requestRefund } from './refund.service';
import {
  addFault,
  clearFaults,
  eventually,
  notifyAttempted,
  openTrade,
  orderStatus,
  payAtSandbox,
  sandboxLedger,
  signUpShopper,
  waitForStatus,
  type Shopper,
} from './test-support';

let sys: TestSystem;
let alice: Shopper;
const processes: ApiProcess[] = [];

beforeAll(async () => {
  sys = await startTestSystem({
    // Alipay's first retry after 4 minutes comes after 2.4 s.
    sandboxTimeScale: 0.01,
    env: { PAYMENT_QUERY_DELAY_MS: '1', REFUND_RETRY_DELAY_MS: '1', ALIPAY_TIMEOUT_MS: '2000' },
  });
  alice = await signUpShopper(sys);
});
afterEach(() => clearFaults(sys));
afterAll(async () => {
  for (const api of processes) await api.kill('SIGKILL');
  await sys.close();
});

async function inboxOf(orderId: string) {
  return sys.db.notifyInbox.findMany({ where: { orderId }, orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }] });
}

async function paidEvents(orderId: string): Promise<number> {
  return sys.db.orderEvent.count({ where: { orderId, toStatus: 'PAID' } });
}

describe('delayed notifies', () => {
  it('a notify held back by the network applies once when it arrives', async () => {
    await addFault(sys, { kind: 'notify-delay', delayMs: 1_500, count: 1 });
    const { order, tradeNo } = await openTrade(sys, alice);
    await payAtSandbox(sys, tradeNo);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');
    await waitForStatus(sys, order.id, 'PAID');
    expect((await inboxOf(order.id)).map((row) => row.outcome)).toEqual(['APPLIED']);
    expect(await paidEvents(order.id)).toBe(1);
  });

  it('a notify overtaken by the recovery query changes nothing when it lands, and is acknowledged', async () => {
    await addFault(sys, { kind: 'notify-delay', delayMs: 3_000, count: 1 });
    const { order, tradeNo } = await openTrade(sys, alice);
    await payAtSandbox(sys, tradeNo);
    await runRecovery(sys.api.deps);
    expect(await orderStatus(sys, order.id)).toBe('PAID');
    const rows = await eventually('the late notify', async () => {
      const found = await inboxOf(order.id);
      return found.length > 0 ? found : undefined;
    });
    expect(rows.map((row) => [row.outcome, row.acknowledged])).toEqual([['NO_CHANGE', true]]);
    const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(payment.paidVia).toBe('query');
    expect(await paidEvents(order.id)).toBe(1);
  });
});

describe('reordered notifies', () => {
  it('two payments whose notifies arrive in reverse order both apply, once each', async () => {
    await addFault(sys, { kind: 'notify-reorder', count: 2 });
    const first = await openTrade(sys, alice);
    const second = await openTrade(sys, alice);
    await payAtSandbox(sys, first.tradeNo);
    await payAtSandbox(sys, second.tradeNo);
    await waitForStatus(sys, first.order.id, 'PAID');
    await waitForStatus(sys, second.order.id, 'PAID');
    const [a] = await inboxOf(first.order.id);
    const [b] = await inboxOf(second.order.id);
    expect([a!.outcome, b!.outcome]).toEqual(['APPLIED', 'APPLIED']);
    // The second payment's notify was delivered first.
    expect(b!.receivedAt.getTime()).toBeLessThanOrEqual(a!.receivedAt.getTime());
    expect(await paidEvents(first.order.id)).toBe(1);
    expect(await paidEvents(second.order.id)).toBe(1);
  });

  it('a payment notify delivered after its refund’s notify never moves the refunded order back', async () => {
    await addFault(sys, { kind: 'notify-reorder', count: 2 });
    const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 2_000 });
    await payAtSandbox(sys, tradeNo);
    // The payment notify is held; the order is found paid by the recovery query and refunded in full.
    await runRecovery(sys.api.deps);
    expect(await orderStatus(sys, order.id)).toBe('PAID');
    const refund = await requestRefund(sys.api.deps, {
      orderId: order.id,
      amountFen: 2_000,
      reason: '整单退款',
      actor: { type: 'admin', id: null },
    });
    expect(refund.status).toBe('SUCCEEDED');
    // The refund's notify filled the fault: both are released, the refund's first.
    const rows = await eventually('both notifies', async () => {
      const found = await inboxOf(order.id);
      return found.length >= 2 ? found : undefined;
    });
    // The refund's notify races the refund call's own answer: whichever lands first completes the refund.
    expect(rows.map((row) => [row.outBizNo === null ? 'payment' : 'refund', row.acknowledged])).toEqual([
      ['refund', true],
      ['payment', true],
    ]);
    expect(['APPLIED', 'NO_CHANGE']).toContain(rows[0]!.outcome);
    expect(rows[1]!.outcome).toBe('NO_CHANGE');
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, type: 'REFUND_SUCCEEDED' } })).toBe(1);
    const after = await sys.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect([after.status, after.refundedFen, after.refundPendingFen]).toEqual(['REFUNDED', 2_000, 0]);
    expect(await sys.db.refund.count({ where: { orderId: order.id } })).toBe(1);
    expect(await paidEvents(order.id)).toBe(1);
    expect((await sandboxLedger(sys, order.orderNo)).totals).toEqual({ paidFen: 2_000, refundedFen: 2_000 });
  });
});

describe('a verified notify whose apply fails', () => {
  it('is answered with a failure, recorded as ERROR, changes nothing, and applies on Alipay’s retry', async () => {
    const { order, tradeNo } = await openTrade(sys, alice);
    const broken = await failUpdatesOf(sys.db, 'Order');
    try {
      await payAtSandbox(sys, tradeNo);
      const [failed] = await eventually('the failed notify', async () => {
        const found = await inboxOf(order.id);
        return found.length > 0 ? found : undefined;
      });
      expect([failed!.verified, failed!.outcome, failed!.acknowledged]).toEqual([true, 'ERROR', false]);
      expect(failed!.outcomeDetail).toContain('injected failure');
      expect(await orderStatus(sys, order.id)).toBe('PENDING_PAYMENT');
      const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
      expect(payment.status).toBe('OPEN');
      const { notify: sent } = await notifyAttempted(sys, order.orderNo, 'failure');
      expect(sent.attempts[0]).toMatchObject({
        httpStatus: 503,
        responseBody: 'failure',
        outcome: 'failure',
      });
    } finally {
      await broken.restore();
    }
    await waitForStatus(sys, order.id, 'PAID');
    expect((await inboxOf(order.id)).map((row) => row.outcome)).toEqual(['ERROR', 'APPLIED']);
    expect(await paidEvents(order.id)).toBe(1);
    const { notify: sent } = await notifyAttempted(sys, order.orderNo, 'success');
    expect(sent.attempts.map((a) => a.outcome)).toEqual(['failure', 'success']);
  });
});

describe('a refund whose API process died before its gateway call', () => {
  it('stays PENDING, then is sent and settled exactly once by the restarted process', async () => {
    const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 5_000 });
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    const owner = await createAdmin(sys, { role: 'owner' });
    const token = await signInAdmin(sys, owner);
    const env = {
      ...sys.alipayEnv,
      DATA_DIR: sys.dataDir,
      DATABASE_URL: sys.api.deps.env.DATABASE_URL,
      ALIPAY_GATEWAY: `${sys.sandboxUrl}/gateway.do`,
      LOG_LEVEL: 'warn',
      RECONCILE_ENABLED: 'false',
      REFUND_RETRY_DELAY_MS: '1',
      PAYMENT_QUERY_DELAY_MS: '1',
      JOB_INTERVAL_MS: '200',
    };
    // The refund call never reaches Alipay: the sandbox holds it unapplied, and the process dies while it waits.
    await addFault(sys, { kind: 'gateway-hang', holdMs: 60_000, count: 1, methods: ['alipay.trade.refund'] });
    const first = await startApiProcess({ ...env, JOBS_ENABLED: 'false' });
    processes.push(first);
    const hanging = fetch(`${first.url}/api/admin/orders/${order.id}/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amountFen: 1_200, reason: '少发一件' }),
    }).catch((error: unknown) => error);
    const pending = await eventually('the refund written before its call', () =>
      sys.db.refund
        .findFirst({ where: { orderId: order.id, status: 'PENDING' } })
        .then((row) => row ?? undefined),
    );
    await first.kill('SIGKILL');
    expect(await hanging).toBeInstanceOf(Error);
    await clearFaults(sys);
    expect((await sandboxLedger(sys, order.orderNo)).totals.refundedFen).toBe(0);
    expect(await sys.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      refundPendingFen: 1_200,
      refundedFen: 0,
    });

    const restarted = await startApiProcess({ ...env, JOBS_ENABLED: 'true' });
    processes.push(restarted);
    await eventually(
      'the refund settled by the restarted process',
      () =>
        sys.db.refund
          .findUniqueOrThrow({ where: { id: pending.id } })
          .then((row) => (row.status === 'SUCCEEDED' ? row : undefined)),
      20_000,
    );
    // Passes after it change nothing: Alipay refunded once.
    await runRecovery(sys.api.deps);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await restarted.kill('SIGTERM');
    const ledger = await sandboxLedger(sys, order.orderNo);
    expect(ledger.items.filter((item) => item.kind === 'refund')).toEqual([
      expect.objectContaining({ amountFen: 1_200, outRequestNo: pending.outRequestNo }),
    ]);
    expect(await sys.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      status: 'PAID',
      refundPendingFen: 0,
      refundedFen: 1_200,
    });
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, type: 'REFUND_SUCCEEDED' } })).toBe(1);
  });
});
