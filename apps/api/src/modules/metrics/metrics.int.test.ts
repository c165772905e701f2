import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeForm, fenToYuan, signNotify } from '@shop/alipay';
import type { ErrorBody } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../env';
import { startTestSystem, type TestSystem } from '../../testing/harness';
import { demoAdmins } from '../admin/test-support';
import {
  addFault,
  clearFaults,
  eventually,
  notifyAttempted,
  openTrade,
  paidNotifyFields,
  payAtSandbox,
  postNotify,
  signedNotifyBody,
  signUpShopper,
  waitForStatus,
  type Shopper,
} from '../payment/test-support';

const TOKEN = 'metrics-scrape-token-0123456789abcdef';

let sys: TestSystem;
let alice: Shopper;

beforeAll(async () => {
  // Payments fall due for their first query 1 ms after they open (the jobs stay off until a test runs them).
  sys = await startTestSystem({ env: { METRICS_TOKEN: TOKEN, PAYMENT_QUERY_DELAY_MS: '1' } });
  alice = await signUpShopper(sys, DEV_BUYERS[0]!.userId);
});
afterAll(() => sys.close());

/** One sample of the text format: `name{label="value",...} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus's text exposition format (comments skipped; label values unescaped). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

interface Scrape {
  samples: Sample[];
  /** The value of the one sample with this name and exactly these labels; 0 when the series does not exist yet. */
  value(name: string, labels?: Record<string, string>): number;
}

async function scrape(): Promise<Scrape> {
  const res = await sys.request('GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = parseMetrics(res.text);
  return {
    samples,
    value(name, labels = {}) {
      const wanted = Object.entries(labels);
      const found = samples.filter(
        (s) =>
          s.name === name &&
          Object.keys(s.labels).length === wanted.length &&
          wanted.every(([k, v]) => s.labels[k] === v),
      );
      if (found.length > 1)
        throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} series`);
      return found[0]?.value ?? 0;
    },
  };
}

const CREATE = { method: 'alipay.trade.create', outcome: 'success' };

describe('GET /metrics after a purchase', () => {
  it('counts the order, the applied, duplicate and rejected notifies, the gateway calls and the routes', async () => {
    const before = await scrape();

    const { order, tradeNo } = await openTrade(sys, alice, { priceFen: 2590 });
    await payAtSandbox(sys, tradeNo);
    await waitForStatus(sys, order.id, 'PAID');
    // The count is taken once the notify's answer is decided, just after its commit.
    await eventually('the applied notify counted', async () =>
      (await scrape()).value('shop_notifies_total', { outcome: 'applied' }) >
      before.value('shop_notifies_total', { outcome: 'applied' })
        ? true
        : undefined,
    );

    // Alipay sends the acknowledged notify again: a DUPLICATE.
    const delivered = (await notifyAttempted(sys, order.orderNo, 'success')).attempt.sentBody;
    expect(delivered).toBeTruthy();
    expect(await postNotify(sys, delivered!)).toEqual({ status: 200, text: 'success' });
    // A forgery (another key) and a genuine signature over a changed amount: refused, each with its reason.
    const fields = paidNotifyFields(order, tradeNo, fenToYuan(2590));
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(await postNotify(sys, encodeForm(signNotify(fields, attacker)))).toEqual({
      status: 400,
      text: 'failure',
    });
    const cheap = signedNotifyBody(sys, { ...fields, total_amount: '0.01', receipt_amount: '0.01' });
    expect(await postNotify(sys, cheap)).toEqual({ status: 400, text: 'failure' });

    const after = await scrape();
    const delta = (name: string, labels?: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);

    expect(delta('shop_orders_created_total')).toBe(1);
    expect(delta('shop_notifies_total', { outcome: 'applied' })).toBe(1);
    expect(delta('shop_notifies_total', { outcome: 'duplicate' })).toBe(1);
    expect(delta('shop_notifies_total', { outcome: 'rejected', reason: 'bad-signature' })).toBe(1);
    expect(delta('shop_notifies_total', { outcome: 'rejected', reason: 'amount' })).toBe(1);

    // One alipay.trade.create, its latency in the histogram: the same call the GatewayCall row recorded.
    expect(delta('shop_gateway_call_duration_seconds_count', CREATE)).toBe(1);
    expect(delta('shop_gateway_call_duration_seconds_bucket', { ...CREATE, le: '+Inf' })).toBe(1);
    const call = await sys.db.gatewayCall.findFirstOrThrow({
      where: { orderId: order.id, method: 'alipay.trade.create' },
    });
    expect(call.outcome).toBe('success');
    const seconds = delta('shop_gateway_call_duration_seconds_sum', CREATE);
    expect(seconds).toBeGreaterThan(0);
    expect(Math.abs(seconds * 1000 - call.durationMs)).toBeLessThanOrEqual(1);
    // The one observation lands in the first bucket at or above its duration, and in every bucket after it.
    const buckets = after.samples
      .filter(
        (s) => s.name === 'shop_gateway_call_duration_seconds_bucket' && s.labels.method === CREATE.method,
      )
      .filter((s) => s.labels.outcome === 'success' && s.labels.le !== '+Inf')
      .map((s) => ({ le: Number(s.labels.le), got: s.value - before.value(s.name, s.labels) }));
    expect(buckets.length).toBeGreaterThan(5);
    for (const bucket of buckets) expect(bucket.got).toBe(bucket.le >= seconds ? 1 : 0);

    // The sign-in in beforeAll went through alipay.system.oauth.token, timed the same way.
    expect(
      after.value('shop_gateway_call_duration_seconds_count', {
        method: 'alipay.system.oauth.token',
        outcome: 'success',
      }),
    ).toBeGreaterThanOrEqual(1);

    // Requests by route pattern and status class, never by raw path.
    const requests = 'shop_http_request_duration_seconds_count';
    expect(delta(requests, { method: 'POST', route: '/api/orders', status: '2xx' })).toBe(1);
    expect(delta(requests, { method: 'POST', route: '/api/orders/:id/payment', status: '2xx' })).toBe(1);
    expect(delta(requests, { method: 'POST', route: '/api/alipay/notify', status: '2xx' })).toBe(2);
    expect(delta(requests, { method: 'POST', route: '/api/alipay/notify', status: '4xx' })).toBe(2);
    const routes = after.samples.filter((s) => s.name === requests).map((s) => s.labels.route!);
    expect(routes.some((route) => route.includes(order.id))).toBe(false);

    // The event loop delay, from prom-client's default metrics.
    const p99 = after.samples.find((s) => s.name === 'nodejs_eventloop_lag_p99_seconds');
    expect(p99?.value).toBeGreaterThan(0);

    // A merchant refund: one alipay.trade.refund, and the database's refunds by status.
    const { owner } = await demoAdmins(sys);
    const refund = await sys.request('POST', `/api/admin/orders/${order.id}/refunds`, {
      token: owner.token,
      headers: { 'idempotency-key': 'metrics-refund-0001' },
      body: { amountFen: 590, reason: '少发一件' },
    });
    expect(refund.status, refund.text).toBe(201);
    const refunded = await scrape();
    expect(refunded.value('shop_refunds', { status: 'SUCCEEDED' })).toBe(1);
    expect(refunded.value('shop_refunds', { status: 'PENDING' })).toBe(0);
    // Counters belong to the process, which may have served other systems before this one: count the difference.
    const refunds = { method: 'alipay.trade.refund', outcome: 'success' };
    expect(
      refunded.value('shop_gateway_call_duration_seconds_count', refunds) -
        after.value('shop_gateway_call_duration_seconds_count', refunds),
    ).toBe(1);
  });

  it('shows the recovery backlog from the database and counts a payment the query settled', async () => {
    await addFault(sys, { kind: 'notify-drop' });
    try {
      const before = await scrape();
      const { order, tradeNo } = await openTrade(sys, alice);
      await payAtSandbox(sys, tradeNo);
      const payment = await sys.db.payment.findUniqueOrThrow({ where: { orderId: order.id } });
      expect(payment.nextQueryAt).not.toBeNull();
      await sleep(300);

      const from = Date.now();
      const waiting = await scrape();
      const until = Date.now();
      expect(waiting.value('shop_payments_due_for_query')).toBe(1);
      // The lag is how long the payment has been due, read at the moment of the scrape (ms precision in the rows).
      const lag = waiting.value('shop_payment_query_lag_seconds');
      expect(lag).toBeGreaterThanOrEqual((from - payment.nextQueryAt!.getTime()) / 1000 - 0.002);
      expect(lag).toBeLessThanOrEqual((until - payment.nextQueryAt!.getTime()) / 1000 + 0.002);

      await sys.api.jobs.runAllOnce();
      await waitForStatus(sys, order.id, 'PAID');
      const after = await scrape();
      expect(
        after.value('shop_payments_settled_by_query_total', { result: 'paid' }) -
          before.value('shop_payments_settled_by_query_total', { result: 'paid' }),
      ).toBe(1);
      const queries = { method: 'alipay.trade.query', outcome: 'success' };
      expect(
        after.value('shop_gateway_call_duration_seconds_count', queries) -
          before.value('shop_gateway_call_duration_seconds_count', queries),
      ).toBeGreaterThanOrEqual(1);
      expect(after.value('shop_payments_due_for_query')).toBe(0);
      expect(after.value('shop_payment_query_lag_seconds')).toBe(0);
    } finally {
      await clearFaults(sys);
    }
  });
});

describe('access to /metrics', () => {
  it('is refused without the token, with a wrong one, and with a query; 404 when no token is configured', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['no header', {}],
      ['wrong token', { authorization: `Bearer ${TOKEN}x` }],
      ['another scheme', { authorization: `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}` }],
      ['empty bearer', { authorization: 'Bearer ' }],
    ];
    for (const [what, headers] of cases) {
      const res = await sys.request<ErrorBody>('GET', '/metrics', { headers });
      expect(res.status, what).toBe(401);
      expect(res.body.error.code, what).toBe('UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate'), what).toBe('Bearer realm="metrics"');
      expect(res.text, what).not.toContain('shop_orders_created_total');
    }
    const query = await sys.request<ErrorBody>('GET', '/metrics?name=shop_orders_created_total', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(query.status).toBe(400);
    expect(query.body.error.code).toBe('VALIDATION_ERROR');

    expect(() => loadEnv({ NODE_ENV: 'test', METRICS_TOKEN: 'too-short' })).toThrow(/METRICS_TOKEN/);

    const closed = await startTestSystem();
    try {
      const attempts: Array<Record<string, string>> = [{}, { authorization: `Bearer ${TOKEN}` }];
      for (const headers of attempts) {
        const res = await closed.request<ErrorBody>('GET', '/metrics', { headers });
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
      }
    } finally {
      await closed.close();
    }
  });
});
