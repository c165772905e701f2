// The API killed with SIGKILL in the middle of order and payment load, then started again on the same database: no
// acknowledged order is lost, stock equals what live orders hold, and every order paid at Alipay ends PAID, once.
import type { OrderView, PaymentCreateResponse } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '../../testing/api-process';
import { createProduct, shopperWithAddress } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { shopInvariantProblems } from '../../testing/invariants';
import { eventually, payAtSandbox } from '../payment/test-support';

let sys: TestSystem;
const processes: ApiProcess[] = [];

beforeAll(async () => {
  sys = await startTestSystem({ sandboxTimeScale: 0.01 });
});
afterAll(async () => {
  for (const api of processes) await api.kill('SIGKILL');
  await sys.close();
});

const STOCK = 1_000;

async function post<T>(url: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('an API process killed under load', () => {
  it('loses no acknowledged order, keeps stock equal to live orders, and ends every paid order PAID', async () => {
    const product = await createProduct(sys.db, {
      skus: ['S', 'M', 'L'].map((size) => ({ specs: { 尺码: size }, stock: STOCK })),
    });
    const shoppers = await Promise.all(DEV_BUYERS.slice(0, 4).map((b) => shopperWithAddress(sys, b.userId)));
    const env = {
      DATA_DIR: sys.dataDir,
      DATABASE_URL: sys.api.deps.env.DATABASE_URL,
      ALIPAY_GATEWAY: `${sys.sandboxUrl}/gateway.do`,
      LOG_LEVEL: 'warn',
      RECONCILE_ENABLED: 'false',
      SESSION_RATE_LIMIT_PER_MINUTE: '1000',
    };
    const first = await startApiProcess({ ...env, JOBS_ENABLED: 'false' });
    processes.push(first);

    const acknowledged = new Set<string>();
    const paidAtSandbox = new Set<string>();
    let running = true;
    const worker = async (n: number) => {
      const shopper = shoppers[n % shoppers.length]!;
      while (running) {
        try {
          const skuId = product.skuIds[Math.floor(Math.random() * product.skuIds.length)]!;
          const order = await post<OrderView>(first.url, '/api/orders', shopper.token, {
            items: [{ skuId, quantity: 1 }],
            addressId: shopper.addressId,
          });
          if (order.status !== 201) throw new Error(`order answered ${order.status}`);
          acknowledged.add(order.body.id);
          const payment = await post<PaymentCreateResponse>(
            first.url,
            `/api/orders/${order.body.id}/payment`,
            shopper.token,
          );
          if (payment.status === 200 && n % 2 === 0) {
            await payAtSandbox(sys, payment.body.tradeNo);
            paidAtSandbox.add(order.body.id);
          }
        } catch {
          // The process is gone: this worker's last request got no answer.
          if (!running) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, n) => worker(n));
    await eventually(
      'load to build up',
      () => Promise.resolve(acknowledged.size >= 30 ? true : undefined),
      30_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; the API said:\n${first.output()}`);
    });
    await first.kill('SIGKILL');
    running = false;
    await Promise.all(workers);
    expect(acknowledged.size).toBeGreaterThanOrEqual(30);

    // Started again on the same port, with its jobs: notifies the sandbox retries and recovery queries find it.
    const restarted = await startApiProcess(
      { ...env, JOBS_ENABLED: 'true', JOB_INTERVAL_MS: '200', PAYMENT_QUERY_DELAY_MS: '1' },
      Number(new URL(first.url).port),
    );
    processes.push(restarted);
    await eventually(
      'every order paid at the sandbox to be PAID',
      async () => {
        const paid = await sys.db.order.count({ where: { id: { in: [...paidAtSandbox] }, status: 'PAID' } });
        return paid === paidAtSandbox.size ? true : undefined;
      },
      // A deadline, not a measurement: on a CI machine running other test files the restarted process needs longer
      // to start and work through every open payment.
      60_000,
    ).catch(async (error: unknown) => {
      const paid = await sys.db.order.count({ where: { id: { in: [...paidAtSandbox] }, status: 'PAID' } });
      throw new Error(
        `${String(error)} (${paid} of ${paidAtSandbox.size}); the API said:\n${restarted.output()}`,
      );
    });
    await restarted.kill('SIGTERM');

    const orders = await sys.db.order.findMany({
      where: { items: { some: { productId: product.id } } },
      include: { items: true },
    });
    const ids = new Set(orders.map((o) => o.id));
    expect([...acknowledged].filter((id) => !ids.has(id))).toEqual([]);
    for (const id of paidAtSandbox) {
      expect(await sys.db.orderEvent.count({ where: { orderId: id, toStatus: 'PAID' } }), id).toBe(1);
    }
    // Stock equals units in live orders, one PAID event per paid order, payments and the notify inbox agree.
    expect(await shopInvariantProblems(sys.db, new Map(product.skuIds.map((id) => [id, STOCK])))).toEqual([]);
  }, 120_000);
});
