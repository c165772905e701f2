import { createHash } from 'node:crypto';
import type { ApiDeps } from '../../deps';

/** What the payment services use of the API's dependencies (ApiDeps satisfies it). */
export type PaymentDeps = Pick<ApiDeps, 'env' | 'db' | 'alipay' | 'logger'>;

/** The notify endpoint also needs Alipay's public key to verify signatures. */
export type NotifyDeps = PaymentDeps & Pick<ApiDeps, 'alipayPublicKey'>;

/** How many payments, refunds or orders one job pass takes on; the rest wait for the next pass. */
export const JOB_BATCH_SIZE = 50;

/** Close reasons written on orders by this module (the shopper's own cancel writes its own). */
export const CLOSE_REASON = {
  expired: 'expired',
  tradeClosed: 'trade-closed',
} as const;

/**
 * The wait before the next recovery query after `queriesSoFar` queries: the first delay, doubling each time, capped
 * at PAYMENT_QUERY_MAX_INTERVAL_MS. Alipay asks callers to query on a backing-off schedule rather than hammer it.
 */
export function backoffMs(firstDelayMs: number, maxIntervalMs: number, queriesSoFar: number): number {
  const factor = 2 ** Math.min(Math.max(queriesSoFar, 0), 30);
  return Math.min(firstDelayMs * factor, Math.max(maxIntervalMs, firstDelayMs));
}

export function later(ms: number, from: Date = new Date()): Date {
  return new Date(from.getTime() + ms);
}

/** Alipay's out_trade_no / out_request_no: letters, digits, underscore, at most 64 characters. */
const OUT_NO = /^[A-Za-z0-9_]{1,64}$/;

/** Keeps a derived number within Alipay's limits: too long (or odd) input is replaced by a digest of itself. */
function fitOutNo(candidate: string): string {
  if (OUT_NO.test(candidate)) return candidate;
  return `H${createHash('sha256').update(candidate).digest('hex').slice(0, 40)}`;
}

/**
 * The out_request_no of the automatic refund of a trade paid after its order closed. Derived from the trade alone,
 * so every process and every repeated notify names the same refund, and the unique column lets only one exist.
 */
export function autoRefundRequestNo(outTradeNo: string): string {
  return fitOutNo(`${outTradeNo}_AUTO`);
}

/** A merchant refund's out_request_no: the order number and the refund's sequence on the order (`..._R1`, `_R2`). */
export function merchantRefundRequestNo(outTradeNo: string, sequence: number): string {
  return fitOutNo(`${outTradeNo}_R${sequence}`);
}

/**
 * A merchant refund's out_request_no when the caller supplies an idempotency key: the same key on the same order
 * always names the same refund, so a retried request finds the first one instead of refunding twice.
 */
export function keyedRefundRequestNo(outTradeNo: string, requestKey: string): string {
  const digest = createHash('sha256').update(requestKey).digest('hex').slice(0, 16);
  return fitOutNo(`${outTradeNo}_K${digest}`);
}
