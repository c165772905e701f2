import type {
  GatewayCallView,
  NotifyOutcome,
  NotifyRejectReason,
  NotifyView,
  PaymentView,
  RefundView,
} from '@shop/contract';
import type { GatewayCall, NotifyInbox, Payment, Refund } from '@shop/db';

/** Rows as the contract shows them: ISO strings for instants, parsed JSON for stored JSON. */

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** Stored JSON as an object; anything else (unparseable, an array, a scalar) as an empty one. */
export function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function refundView(refund: Refund): RefundView {
  return {
    id: refund.id,
    orderId: refund.orderId,
    outRequestNo: refund.outRequestNo,
    amountFen: refund.amountFen,
    reason: refund.reason,
    kind: refund.kind,
    status: refund.status,
    failureCode: refund.failureCode,
    failureMessage: refund.failureMessage,
    createdAt: refund.createdAt.toISOString(),
    succeededAt: iso(refund.succeededAt),
    nextQueryAt: iso(refund.nextQueryAt),
  };
}

export function paymentView(payment: Payment): PaymentView {
  return {
    outTradeNo: payment.outTradeNo,
    tradeNo: payment.tradeNo,
    amountFen: payment.amountFen,
    status: payment.status,
    method: payment.method,
    productCode: payment.productCode,
    paidVia: payment.paidVia,
    paidAt: iso(payment.paidAt),
    closedAt: iso(payment.closedAt),
    nextQueryAt: iso(payment.nextQueryAt),
    queryCount: payment.queryCount,
    createdAt: payment.createdAt.toISOString(),
  };
}

export function notifyView(row: NotifyInbox): NotifyView {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseJsonObject(row.fieldsJson))) {
    if (typeof value === 'string') fields[key] = value;
  }
  return {
    id: row.id,
    notifyId: row.notifyId,
    receivedAt: row.receivedAt.toISOString(),
    verified: row.verified,
    rejectReason: row.rejectReason as NotifyRejectReason | null,
    outcome: row.outcome as NotifyOutcome,
    outcomeDetail: row.outcomeDetail,
    acknowledged: row.acknowledged,
    tradeStatus: row.tradeStatus,
    totalFen: row.totalFen,
    outBizNo: row.outBizNo,
    fields,
    rawBody: row.rawBody,
  };
}

export function gatewayCallView(call: GatewayCall): GatewayCallView {
  return {
    id: call.id,
    method: call.method,
    purpose: call.purpose as GatewayCallView['purpose'],
    outcome: call.outcome as GatewayCallView['outcome'],
    refundId: call.refundId,
    result: parseJsonObject(call.resultJson),
    errorCode: call.errorCode,
    errorSubCode: call.errorSubCode,
    errorMessage: call.errorMessage,
    durationMs: call.durationMs,
    createdAt: call.createdAt.toISOString(),
  };
}
