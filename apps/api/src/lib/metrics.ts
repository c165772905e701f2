import { isAlipayError } from '@shop/alipay';
import type { NotifyOutcome, NotifyRejectReason } from '@shop/contract';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one place that owns this process's Prometheus metrics (prom-client): the registry, every metric, and the
 * one-line calls the code paths make. Each API process keeps its own figures and answers them at `GET /metrics`
 * (modules/metrics/routes.ts); Prometheus scrapes every process and sums. The gauges read from the database
 * (payments due for a query, refunds by status) are set at scrape time by modules/metrics/service.ts.
 *
 * Label values are closed lists (route patterns, methods, outcomes, reasons), never ids or raw paths, so the number of
 * series stays bounded.
 */
export const metricsRegistry = new Registry();

// process_* and nodejs_*: CPU, memory, handles, GC and the event loop delay (nodejs_eventloop_lag_*, measured with
// perf_hooks.monitorEventLoopDelay at 10 ms resolution).
collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 10 });

const requestDuration = new Histogram({
  name: 'shop_http_request_duration_seconds',
  help: 'Time from a request arriving to its answer, by method, matched route pattern and status class.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

const ordersCreated = new Counter({
  name: 'shop_orders_created_total',
  help: 'Orders written (an Idempotency-Key replay is not a new order).',
  registers: [metricsRegistry],
});

const notifies = new Counter({
  name: 'shop_notifies_total',
  help: 'Alipay notifies received, by what the inbox did with them (reason: why a rejected one was refused).',
  labelNames: ['outcome', 'reason'] as const,
  registers: [metricsRegistry],
});

const settledByQuery = new Counter({
  name: 'shop_payments_settled_by_query_total',
  help:
    'Payments proven paid by alipay.trade.query rather than by a notify (result auto_refund: paid after the order ' +
    'closed, refunded automatically).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

const gatewayCalls = new Histogram({
  name: 'shop_gateway_call_duration_seconds',
  help: 'Calls to the Alipay gateway, by method and outcome (success, failed, unknown); _count is the number of calls.',
  labelNames: ['method', 'outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

/** Read from the database at scrape time (the same figure in every process on one database). */
export const paymentsDueForQuery = new Gauge({
  name: 'shop_payments_due_for_query',
  help: 'Open payments whose next alipay.trade.query is due now (read from the database at scrape time).',
  registers: [metricsRegistry],
});

/** Read from the database at scrape time. */
export const paymentQueryLag = new Gauge({
  name: 'shop_payment_query_lag_seconds',
  help:
    'How long the oldest open payment due for a query has been waiting for the recovery job (0 when none is due; ' +
    'read from the database at scrape time).',
  registers: [metricsRegistry],
});

/** Read from the database at scrape time. */
export const refundsByStatus = new Gauge({
  name: 'shop_refunds',
  help: 'Refunds by status (PENDING, UNKNOWN, SUCCEEDED, FAILED), read from the database at scrape time.',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

/** One child per (method, route, status class), so the hot path skips prom-client's label hashing. */
const requestSeries = new Map<string, { observe(value: number): void }>();

/**
 * One answered request. `route` is the router's matched pattern (`/api/orders/:id`), never the raw path; requests
 * no route matched share `unmatched`.
 */
export function observeRequest(
  method: string,
  route: string | RegExp | undefined,
  status: number,
  seconds: number,
): void {
  const pattern = route === undefined ? 'unmatched' : String(route);
  const statusClass = status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
  const key = `${method} ${pattern} ${statusClass}`;
  let series = requestSeries.get(key);
  if (!series) {
    series = requestDuration.labels(method, pattern, statusClass);
    requestSeries.set(key, series);
  }
  series.observe(seconds);
}

export function countOrderCreated(): void {
  ordersCreated.inc();
}

/** What the notify inbox did with one notify (its NotifyInbox outcome), and why, when it was refused. */
export function countNotify(outcome: NotifyOutcome, rejectReason?: NotifyRejectReason | null): void {
  const label = outcome.toLowerCase();
  if (rejectReason) notifies.inc({ outcome: label, reason: rejectReason });
  else notifies.inc({ outcome: label });
}

export function countSettledByQuery(result: 'paid' | 'auto_refund'): void {
  settledByQuery.inc({ result });
}

/** One gateway call as recorded in GatewayCall (modules/payment/gateway-log.ts). */
export function observeGatewayCall(method: string, outcome: string, durationMs: number): void {
  gatewayCalls.observe({ method, outcome }, durationMs / 1000);
}

/**
 * A gateway call that is not recorded as a GatewayCall row (the sign-in's alipay.system.oauth.token), timed and
 * counted the same way: `unknown` when Alipay may have applied it, `failed` for any other error.
 */
export async function timedGatewayCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const value = await call();
    observeGatewayCall(method, 'success', performance.now() - started);
    return value;
  } catch (error) {
    const outcome = isAlipayError(error) && error.outcome === 'unknown' ? 'unknown' : 'failed';
    observeGatewayCall(method, outcome, performance.now() - started);
    throw error;
  }
}
