import {
  AlipayApiError,
  AlipayConnectionError,
  AlipayOutcomeUnknownError,
  isAlipayError,
  type AlipayError,
} from '@shop/alipay';
import type { Db } from '../../db';
import { isOutcomeUnknown, type GatewayOutcome } from '../payment/gateway-log';

/**
 * Records a gateway call the way the payment module's `callGateway` does (a GatewayCall row with what it found or
 * how it failed), for the calls reconciliation makes that belong to no order of ours: the bill download URL, and a
 * trade query for a bill line whose order number the shop does not know. (`callGateway` requires an order.)
 */
export async function recordedCall<T>(
  db: Db,
  ref: { orderId: string | null; method: string; purpose: 'bill' | 'query' },
  call: () => Promise<T>,
  summarize: (value: T) => Record<string, unknown>,
  context: Record<string, unknown> = {},
): Promise<GatewayOutcome<T>> {
  const started = performance.now();
  const base = { orderId: ref.orderId, method: ref.method, purpose: ref.purpose };
  try {
    const value = await call();
    await db.gatewayCall.create({
      data: {
        ...base,
        outcome: 'success',
        resultJson: JSON.stringify({ ...context, ...summarize(value) }),
        durationMs: Math.round(performance.now() - started),
      },
    });
    return { ok: true, value };
  } catch (error) {
    const alipayError: AlipayError | null = isAlipayError(error) ? error : null;
    const unknown = alipayError ? isOutcomeUnknown(alipayError) : false;
    await db.gatewayCall.create({
      data: {
        ...base,
        outcome: unknown ? 'unknown' : 'failed',
        resultJson: JSON.stringify(context),
        errorCode:
          error instanceof AlipayApiError
            ? error.code
            : error instanceof AlipayOutcomeUnknownError
              ? error.reason
              : error instanceof AlipayConnectionError
                ? 'connection'
                : 'internal',
        errorSubCode: error instanceof AlipayApiError ? (error.subCode ?? null) : null,
        errorMessage: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
        durationMs: Math.round(performance.now() - started),
      },
    });
    if (!alipayError) throw error;
    return { ok: false, error: alipayError, unknown };
  }
}
