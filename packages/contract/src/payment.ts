import { z } from 'zod';
import { Fen, Id, IsoDateTime } from './common';

/**
 * Payments and refunds: the shopper starts a payment (`POST /api/orders/:id/payment`, answered with
 * `PaymentCreateResponse` from ./order), the merchant refunds, and the admin shows each order's payment timeline:
 * the trade, every notify received (forgeries included), every gateway call made, and every refund.
 */

export const PAYMENT_STATUSES = ['CREATED', 'OPEN', 'PAID', 'CLOSED'] as const;
export const PaymentStatus = z.enum(PAYMENT_STATUSES);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const REFUND_STATUSES = ['PENDING', 'UNKNOWN', 'SUCCEEDED', 'FAILED'] as const;
export const RefundStatus = z.enum(REFUND_STATUSES);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const REFUND_KINDS = ['MERCHANT', 'AUTO_PAID_AFTER_CLOSE'] as const;
export const RefundKind = z.enum(REFUND_KINDS);
export type RefundKind = z.infer<typeof RefundKind>;

/** The largest refund Alipay accepts in one call (100,000,000.00 yuan). */
export const MAX_REFUND_FEN = 10_000_000_000;

/** A merchant refund. `amountFen` is at most what is left to refund; Alipay's refund_reason is at most 256 chars. */
export const RefundCreateBody = z.strictObject({
  amountFen: z.number().int().min(1).max(MAX_REFUND_FEN),
  reason: z.string().trim().min(1).max(256),
});
export type RefundCreateBody = z.infer<typeof RefundCreateBody>;

export const RefundView = z.object({
  id: Id,
  orderId: Id,
  /** Stable per refund: retries reuse it, so Alipay refunds it once. */
  outRequestNo: z.string(),
  amountFen: Fen,
  reason: z.string(),
  kind: RefundKind,
  status: RefundStatus,
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
  createdAt: IsoDateTime,
  succeededAt: IsoDateTime.nullable(),
  /** When the recovery job next asks Alipay about a pending or unknown refund. */
  nextQueryAt: IsoDateTime.nullable(),
});
export type RefundView = z.infer<typeof RefundView>;

export const PaymentView = z.object({
  outTradeNo: z.string(),
  tradeNo: z.string().nullable(),
  amountFen: Fen,
  status: PaymentStatus,
  /** How it was handed to Alipay: alipay.trade.create, alipay.trade.wap.pay or alipay.trade.precreate. */
  method: z.string(),
  /** JSAPI_PAY, QUICK_WAP_WAY or FACE_TO_FACE_PAYMENT. */
  productCode: z.string(),
  /** How the payment was proven: `notify`, `query` (the recovery job) or `close` (found paid while closing). */
  paidVia: z.string().nullable(),
  paidAt: IsoDateTime.nullable(),
  closedAt: IsoDateTime.nullable(),
  nextQueryAt: IsoDateTime.nullable(),
  queryCount: z.number().int(),
  createdAt: IsoDateTime,
});
export type PaymentView = z.infer<typeof PaymentView>;

export const NOTIFY_OUTCOMES = [
  'APPLIED',
  'DUPLICATE',
  'NO_CHANGE',
  'REJECTED',
  'AUTO_REFUND',
  'ERROR',
] as const;
export const NotifyOutcome = z.enum(NOTIFY_OUTCOMES);
export type NotifyOutcome = z.infer<typeof NotifyOutcome>;

/** Why a notify was refused. */
export const NOTIFY_REJECT_REASONS = [
  'malformed',
  'bad-signature',
  'app-id',
  'seller-id',
  'unknown-order',
  'trade-no',
  'amount',
] as const;
export const NotifyRejectReason = z.enum(NOTIFY_REJECT_REASONS);
export type NotifyRejectReason = z.infer<typeof NotifyRejectReason>;

/** One async notify as received, verified or not. */
export const NotifyView = z.object({
  id: Id,
  notifyId: z.string().nullable(),
  receivedAt: IsoDateTime,
  verified: z.boolean(),
  rejectReason: NotifyRejectReason.nullable(),
  outcome: NotifyOutcome,
  outcomeDetail: z.string(),
  /** Whether we answered `success`. */
  acknowledged: z.boolean(),
  tradeStatus: z.string().nullable(),
  totalFen: Fen.nullable(),
  /** The refund request number, on refund notifies. */
  outBizNo: z.string().nullable(),
  fields: z.record(z.string(), z.string()),
  rawBody: z.string(),
});
export type NotifyView = z.infer<typeof NotifyView>;

export const GATEWAY_PURPOSES = ['create', 'query', 'close', 'refund', 'refund-query'] as const;
export const GATEWAY_OUTCOMES = ['success', 'failed', 'unknown'] as const;

/** One call the shop made to Alipay about an order. */
export const GatewayCallView = z.object({
  id: Id,
  method: z.string(),
  purpose: z.enum(GATEWAY_PURPOSES),
  outcome: z.enum(GATEWAY_OUTCOMES),
  refundId: Id.nullable(),
  result: z.record(z.string(), z.unknown()),
  errorCode: z.string().nullable(),
  errorSubCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  durationMs: z.number().int(),
  createdAt: IsoDateTime,
});
export type GatewayCallView = z.infer<typeof GatewayCallView>;

/** Everything about an order's money, for the merchant: oldest first in each list. */
export const PaymentTimeline = z.object({
  orderId: Id,
  totalFen: Fen,
  refundedFen: Fen,
  refundPendingFen: Fen,
  payment: PaymentView.nullable(),
  refunds: z.array(RefundView),
  notifies: z.array(NotifyView),
  gatewayCalls: z.array(GatewayCallView),
});
export type PaymentTimeline = z.infer<typeof PaymentTimeline>;
