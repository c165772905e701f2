// Two API processes (real child processes) on one database with their jobs on and every notify dropped at the sandbox:
// the processes share the orders through job leases, so no order is queried or closed by both at the same moment,
// every paid order is found paid by one query and ends PAID once, and every expired order is closed and its stock
// returned once. A process killed with SIGKILL in the middle of an order leaves it to the other once its lease runs
// out.
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '../testing/api-process';
import { startTestSystem, type TestSystem } from '../testing/harness';
import {
  addFault,
  clearFaults,
  eventually,
  payAtSandbox,
  placeOrder,
  seedSku,
  signUpShopper,
  startPayment,
  type Shopper,
} from '../modules/payment/test-support';

let sys: TestSystem;
let shoppers: Shopper[];
const processes: ApiProcess[] = [];
let first: ApiProcess;
let second: ApiProcess;

const LEASE_MS = 3_000;

beforeAll(async () => {
  sys = await startTestSystem({
    // Alipay's own clock: an unpaid trade stays open until its time_expire (the order's 8 s expiry), not a hundredth.
    sandboxTimeScale: 1,
    // The in-test API (jobs off) places the orders; its settings stamp their expiry and first query time.
    env: { ORDER_TTL_MS: '8000', PAYMENT_QUERY_DELAY_MS: '100' },
  });
  shoppers = await Promise.all(DEV_BUYERS.slice(0, 4).map((b) => signUpShopper(sys, b.userId)));
  const env = {
    ...sys.alipayEnv,
    DATA_DIR: sys.dataDir,
    DATABASE_URL: sys.api.deps.env.DATABASE_URL,
    ALIPAY_GATEWAY: `${sys.sandboxUrl}/gateway.do`,
    LOG_LEVEL: 'info',
    // The test builds what it needs; no demo catalog.
    SEED_DEMO_DATA: 'false',
    RECONCILE_ENABLED: 'false',
    JOBS_ENABLED: 'true',
    JOB_INTERVAL_MS: '100',
    JOB_LEASE_MS: String(LEASE_MS),
    PAYMENT_QUERY_DELAY_MS: '100',
    ALIPAY_TIMEOUT_MS: '3000',
  };
  first = await startApiProcess(env);
  second = await startApiProcess(env);
  processes.push(first, second);
}, 90_000);
afterEach(() => clearFaults(sys));
afterAll(async () => {
  for (const api of processes) await api.kill('SIGKILL');
  await sys.close();
});

interface Call {
  orderId: string;
  purpose: string;
  startMs: number;
  endMs: number;
  resultJson: string;
}

async function gatewayCalls(orderIds: string[]): Promise<Call[]> {
  const rows = await sys.db.gatewayCall.findMany({
    where: { orderId: { in: orderIds }, purpose: { in: ['query', 'close', 'refund', 'refund-query'] } },
  });
  return rows.map((row) => ({
    orderId: row.orderId!,
    purpose: row.purpose,
    startMs: row.createdAt.getTime() - row.durationMs,
    endMs: row.createdAt.getTime(),
    resultJson: row.resultJson,
  }));
}

/** Pairs of calls about one order that were under way at the same moment (1 ms of rounding allowed). */
function overlapping(calls: Call[]): Array<[Call, Call]> {
  const found: Array<[Call, Call]> = [];
  const byOrder = new Map<string, Call[]>();
  for (const call of calls) byOrder.set(call.orderId, [...(byOrder.get(call.orderId) ?? []), call]);
  for (const list of byOrder.values()) {
    const sorted = [...list].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.startMs < sorted[i - 1]!.endMs - 1) found.push([sorted[i - 1]!, sorted[i]!]);
    }
  }
  return found;
}

/** What one process's job passes say they did (its pino lines), summed per counter. */
function jobTotals(api: ApiProcess, job: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of api.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.msg !== 'job pass' || entry.job !== job) continue;
    for (const [key, value] of Object.entries(entry)) {
      if (typeof value === 'number' && key !== 'level' && key !== 'time' && key !== 'pid') {
        totals[key] = (totals[key] ?? 0) + value;
      }
    }
  }
  return totals;
}

const foundPaid = (call: Call) =>
  call.purpose === 'query' &&
  (JSON.parse(call.resultJson) as { tradeStatus?: string }).tradeStatus === 'TRADE_SUCCESS';

describe('two API processes running the jobs on one database', () => {
  it('query and close each order in turn: every paid order PAID once, every expired order closed once', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    // Queries that take 600 ms: long enough that, without the leases, a payment falls due again (100 ms backoff)
    // while the other process is still asking about it.
    await addFault(sys, { kind: 'gateway-hang', holdMs: 600, count: 12, methods: ['alipay.trade.query'] });
    const STOCK = 100;
    const { skuId } = await seedSku(sys, { stock: STOCK });
    const orders = await Promise.all(
      Array.from({ length: 12 }, (_, n) => placeOrder(sys, shoppers[n % shoppers.length]!, skuId)),
    );
    // 7 paid at Alipay, 3 with a trade nobody pays, 2 never paid for at all.
    const paid = orders.slice(0, 7);
    const unpaid = orders.slice(7);
    const trades = await Promise.all(
      orders.slice(0, 10).map((order, n) => startPayment(sys, shoppers[n % shoppers.length]!, order.id)),
    );
    for (const { tradeNo } of trades.slice(0, 7)) {
      const outcome = await payAtSandbox(sys, tradeNo);
      expect(outcome.resultCode, outcome.reason).toBe('9000');
    }

    const ids = orders.map((o) => o.id);
    await eventually(
      'every paid order PAID and every other one CLOSED',
      async () => {
        const rows = await sys.db.order.findMany({
          where: { id: { in: ids } },
          select: { id: true, status: true },
        });
        const status = new Map(rows.map((r) => [r.id, r.status]));
        const done =
          paid.every((o) => status.get(o.id) === 'PAID') &&
          unpaid.every((o) => status.get(o.id) === 'CLOSED');
        return done ? true : undefined;
      },
      40_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nfirst:\n${first.output()}\nsecond:\n${second.output()}`);
    });

    const calls = await gatewayCalls(ids);
    // No order was asked about (or closed) by two processes, or two jobs, at the same moment.
    expect(overlapping(calls)).toEqual([]);
    // Each paid trade was found paid by exactly one query.
    for (const order of paid) {
      expect(calls.filter((c) => c.orderId === order.id && foundPaid(c)).length, order.orderNo).toBe(1);
    }
    for (const order of paid) {
      expect(
        await sys.db.orderEvent.count({ where: { orderId: order.id, toStatus: 'PAID' } }),
        order.orderNo,
      ).toBe(1);
    }
    for (const order of unpaid) {
      expect(
        await sys.db.orderEvent.count({ where: { orderId: order.id, toStatus: 'CLOSED' } }),
        order.orderNo,
      ).toBe(1);
    }
    // Stock came back once per closed order: what is gone is exactly what the paid orders hold.
    const sku = await sys.db.sku.findUniqueOrThrow({ where: { id: skuId } });
    expect(sku.stock).toBe(STOCK - paid.length);
    // Both processes did part of the work (their own job logs say what each did).
    const queriedBy = [first, second].map((api) => jobTotals(api, 'payment-recovery').paymentsQueried ?? 0);
    expect(
      queriedBy.every((n) => n > 0),
      `queries per process: ${queriedBy.join(', ')}`,
    ).toBe(true);
    // Nothing is left leased once the work is done (a closed order's last look at Alipay may still be under way).
    await eventually('every lease to be released', async () =>
      (await sys.db.jobLease.count({ where: { key: { in: ids.map((id) => `order:${id}`) } } })) === 0
        ? true
        : undefined,
    );
  }, 60_000);

  it('takes up an order whose process was killed mid-query once the dead lease runs out', async () => {
    // Earlier payments get their last looks first, so that the held query below is this order's.
    await eventually(
      'no other payment due a query',
      async () =>
        (await sys.db.payment.count({ where: { nextQueryAt: { not: null } } })) === 0 ? true : undefined,
      30_000,
    );
    await addFault(sys, { kind: 'notify-drop' });
    // The first query of the order is held at the sandbox until its caller gives up or dies.
    await addFault(sys, { kind: 'gateway-hang', holdMs: 30_000, count: 1, methods: ['alipay.trade.query'] });
    const { skuId } = await seedSku(sys);
    const shopper = shoppers[0]!;
    const order = await placeOrder(sys, shopper, skuId);
    const { tradeNo } = await startPayment(sys, shopper, order.id);
    expect((await payAtSandbox(sys, tradeNo)).resultCode).toBe('9000');

    const key = `order:${order.id}`;
    // Mid-item: a process holds the order's lease and its query hangs at the sandbox.
    const lease = await eventually('a process to hold the order and hang in its query', async () => {
      // A fault is gone from the list once used up: the query has reached the sandbox and is held there.
      const faults = await sys.sandbox<{ items: Array<{ kind: string }> }>('GET', '/sandbox/faults');
      const hung = !faults.body.items.some((f) => f.kind === 'gateway-hang');
      const row = await sys.db.jobLease.findUnique({ where: { key } });
      return hung && row ? row : undefined;
    });
    const holder = processes.find((api) => lease.owner.includes(`:${api.pid}:`));
    const survivor = processes.find((api) => api !== holder);
    expect(holder, lease.owner).toBeDefined();
    expect((await holder!.kill('SIGKILL')).signal).toBe('SIGKILL');
    // The dead process's lease stays until it runs out (its last renewal plus JOB_LEASE_MS).
    const dead = await sys.db.jobLease.findUniqueOrThrow({ where: { key } });
    expect(dead.owner).toBe(lease.owner);
    expect(dead.expiresAt.getTime()).toBeGreaterThan(Date.now());

    await eventually(
      'the other process to find the order paid',
      async () =>
        (await sys.db.order.findUniqueOrThrow({ where: { id: order.id } })).status === 'PAID'
          ? true
          : undefined,
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nsurvivor:\n${survivor!.output()}`);
    });
    // The survivor asked only after the dead lease had run out; the dead process's query never came back, so every
    // recorded query is the survivor's, and one of them found the trade paid.
    const calls = await gatewayCalls([order.id]);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.startMs).toBeGreaterThanOrEqual(dead.expiresAt.getTime());
    expect(calls.filter(foundPaid).length).toBe(1);
    const paidEvent = await sys.db.orderEvent.findFirstOrThrow({
      where: { orderId: order.id, toStatus: 'PAID' },
    });
    expect(paidEvent.createdAt.getTime()).toBeGreaterThanOrEqual(dead.expiresAt.getTime());
    expect(await sys.db.orderEvent.count({ where: { orderId: order.id, toStatus: 'PAID' } })).toBe(1);
    await eventually('the survivor to release the order', async () =>
      (await sys.db.jobLease.count({ where: { key } })) === 0 ? true : undefined,
    );
  }, 60_000);
});
