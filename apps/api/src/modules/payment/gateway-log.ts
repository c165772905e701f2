import {
  AlipayApiError,
  AlipayConnectionError,
  AlipayOutcomeUnknownError,
  isAlipayError,
  type AlipayError,
} from '@shop/alipay';
import { newId, type GatewayCall } from '@shop/db';
import { sql, type Db, type SqlTx } from '../../db';
import { observeGatewayCall } from '../../lib/metrics';

/** Why the shop called Alipay (GatewayCall.purpose). */
export type GatewayPurpose = 'create' | 'query' | 'close' | 'refund' | 'refund-query' | 'bill' | 'message';

export type GatewayOutcome<T> = { ok: true; value: T } | { ok: false; error: AlipayError; unknown: boolean };

/**
 * Whether Alipay may have applied a failed call. Beyond the client's own classification (timeouts, dropped
 * connections, 20000), `ACQ.SYSTEM_ERROR` is Alipay's "system busy, call again with the same parameters"
 * (https://opendocs.alipay.com/mini/03l8bz, 公共错误码 of trade.refund and trade.create), so it is not a definite no.
 */
export function isOutcomeUnknown(error: AlipayError): boolean {
  if (error.outcome === 'unknown') return true;
  return error instanceof AlipayApiError && error.subCode === 'ACQ.SYSTEM_ERROR';
}

/** A failed call whose sub code is `subCode` (a definite business answer from Alipay). */
export function hasSubCode(outcome: GatewayOutcome<unknown>, ...subCodes: string[]): boolean {
  return (
    !outcome.ok &&
    outcome.error instanceof AlipayApiError &&
    outcome.error.subCode !== undefined &&
    subCodes.includes(outcome.error.subCode)
  );
}

function errorColumns(error: unknown): {
  errorCode: string;
  errorSubCode: string | null;
  errorMessage: string;
} {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  if (error instanceof AlipayApiError) {
    return { errorCode: error.code, errorSubCode: error.subCode ?? null, errorMessage: message };
  }
  if (error instanceof AlipayOutcomeUnknownError) {
    return { errorCode: error.reason, errorSubCode: null, errorMessage: message };
  }
  if (error instanceof AlipayConnectionError) {
    return { errorCode: 'connection', errorSubCode: null, errorMessage: message };
  }
  return { errorCode: 'internal', errorSubCode: null, errorMessage: message };
}

export interface GatewayCallRef {
  /** The order the call is about; null for calls about no order of ours (a bill, a stranger's trade). */
  orderId: string | null;
  refundId?: string | null;
  purpose: GatewayPurpose;
  method: string;
  /** Facts about the request kept with the record whatever the outcome (e.g. the bill date). */
  context?: Record<string, unknown>;
}

/**
 * Makes one gateway call and records it as a GatewayCall row (what it found, or how it failed, and how long it took):
 * this is how the merchant sees every attempt, every query and every refund call. Alipay errors come back as a
 * value with `unknown` telling whether the call may have been applied; anything else (a bug) is recorded and thrown.
 * Never call it inside a database transaction: a gateway call can take as long as ALIPAY_TIMEOUT_MS.
 */
export function callGateway<T>(
  db: Db,
  ref: GatewayCallRef,
  call: () => Promise<T>,
  summarize: (value: T) => Record<string, unknown>,
): Promise<GatewayOutcome<T>> {
  return callGatewayThen(db, ref, call, summarize, (_tx, value) => Promise.resolve(value));
}

/**
 * callGateway, with what a successful call leads to written in the same transaction as its record (one commit
 * instead of two on the payment path). Should `apply` fail, the record is written on its own and the error thrown.
 */
export async function callGatewayThen<T, R>(
  db: Db,
  ref: GatewayCallRef,
  call: () => Promise<T>,
  summarize: (value: T) => Record<string, unknown>,
  apply: (tx: SqlTx, value: T) => Promise<R>,
): Promise<GatewayOutcome<R>> {
  const started = performance.now();
  const context = ref.context ?? {};
  // Called once per gateway call, when it has ended: the metrics count the call with the row.
  const rowOf = (
    row: Pick<GatewayCall, 'outcome' | 'resultJson' | 'errorCode' | 'errorSubCode' | 'errorMessage'>,
  ): GatewayCall => {
    const elapsedMs = performance.now() - started;
    observeGatewayCall(ref.method, row.outcome, elapsedMs);
    return {
      id: newId(),
      orderId: ref.orderId,
      refundId: ref.refundId ?? null,
      method: ref.method,
      purpose: ref.purpose,
      ...row,
      durationMs: Math.round(elapsedMs),
      createdAt: new Date(),
    };
  };
  const record = (row: GatewayCall) => sql(db).transaction((tx) => tx.insert('GatewayCall', row));
  let value: T;
  try {
    value = await call();
  } catch (error) {
    const unknown = isAlipayError(error) ? isOutcomeUnknown(error) : false;
    await record(
      rowOf({
        outcome: unknown ? 'unknown' : 'failed',
        resultJson: JSON.stringify(context),
        ...errorColumns(error),
      }),
    );
    if (!isAlipayError(error)) throw error;
    return { ok: false, error, unknown };
  }
  const row = rowOf({
    outcome: 'success',
    resultJson: JSON.stringify({ ...context, ...summarize(value) }),
    errorCode: null,
    errorSubCode: null,
    errorMessage: null,
  });
  try {
    const applied = await sql(db).transaction(async (tx) => {
      await tx.insert('GatewayCall', row);
      return apply(tx, value);
    });
    return { ok: true, value: applied };
  } catch (error) {
    await record(row);
    throw error;
  }
}
