import { z } from 'zod';
import { MAX_LINE_QUANTITY } from './cart';
import { Cursor, cursorPage, Fen, Id, IsoDateTime, Limit } from './common';

export const ORDER_STATUSES = [
  'PENDING_PAYMENT',
  'PAID',
  'SHIPPED',
  'COMPLETED',
  'CLOSED',
  'REFUNDED',
] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const MAX_ORDER_LINES = 50;

const OrderLineInput = z.strictObject({
  skuId: Id,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
});

/** A buyer's note: line breaks allowed, other control characters not. */
const note = z
  .string()
  .trim()
  .max(200)
  .regex(/^(?:[^\p{Cc}]|\n)*$/u, 'must not contain control characters')
  .optional();

export const OrderCreateBody = z.union([
  z.strictObject({
    items: z
      .array(OrderLineInput)
      .min(1)
      .max(MAX_ORDER_LINES)
      .refine(
        (lines) => new Set(lines.map((l) => l.skuId)).size === lines.length,
        'each SKU may appear once',
      ),
    addressId: Id,
    note,
  }),
  z.strictObject({
    fromCart: z.literal(true),
    addressId: Id,
    note,
  }),
]);
export type OrderCreateBody = z.infer<typeof OrderCreateBody>;

/** `/api/orders/:id` and `/api/orders/:id/cancel`. */
export const OrderParams = z.strictObject({ id: Id });
export type OrderParams = z.infer<typeof OrderParams>;

/**
 * `GET /api/orders`. `refunds=true` keeps the orders with any refund, whatever their status: money refunded or a
 * refund on its way (`refundedFen > 0` or `refundPendingFen > 0`), or REFUNDED; `refunds=false` the others. With
 * `status` too, both hold.
 */
export const OrderListQuery = z.strictObject({
  status: OrderStatus.optional(),
  refunds: z.enum(['true', 'false']).optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});
export type OrderListQuery = z.infer<typeof OrderListQuery>;

export const OrderItemView = z.object({
  skuId: Id,
  productId: Id,
  title: z.string(),
  specText: z.string(),
  imageUrl: z.string(),
  unitPriceFen: Fen,
  quantity: z.number().int(),
  lineTotalFen: Fen,
});
export type OrderItemView = z.infer<typeof OrderItemView>;

export const OrderTimelineEntry = z.object({
  type: z.string(),
  status: OrderStatus.nullable(),
  at: IsoDateTime,
  note: z.string(),
});
export type OrderTimelineEntry = z.infer<typeof OrderTimelineEntry>;

export const ShippingAddressView = z.object({
  name: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
});
export type ShippingAddressView = z.infer<typeof ShippingAddressView>;

export const OrderSummary = z.object({
  id: Id,
  orderNo: z.string(),
  status: OrderStatus,
  totalFen: Fen,
  refundedFen: Fen,
  /** Refunds sent to Alipay and not yet confirmed. */
  refundPendingFen: Fen,
  itemCount: z.number().int(),
  firstItem: OrderItemView.nullable(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderView = z.object({
  id: Id,
  orderNo: z.string(),
  status: OrderStatus,
  /** The Alipay subject: the first item's title, plus "等N件" for more. */
  subject: z.string(),
  itemsFen: Fen,
  shippingFen: Fen,
  totalFen: Fen,
  refundedFen: Fen,
  /** Refunds sent to Alipay and not yet confirmed. */
  refundPendingFen: Fen,
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  paidAt: IsoDateTime.nullable(),
  shippedAt: IsoDateTime.nullable(),
  completedAt: IsoDateTime.nullable(),
  closedAt: IsoDateTime.nullable(),
  closeReason: z.string().nullable(),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  note: z.string(),
  address: ShippingAddressView,
  items: z.array(OrderItemView),
  timeline: z.array(OrderTimelineEntry),
});
export type OrderView = z.infer<typeof OrderView>;

export const OrderList = cursorPage(OrderSummary);
export type OrderList = z.infer<typeof OrderList>;

export const PaymentCreateResponse = z.object({
  tradeNo: z.string(),
  outTradeNo: z.string(),
});
export type PaymentCreateResponse = z.infer<typeof PaymentCreateResponse>;

/** The ways to pay (DESIGN.md, "Ways to pay"): the gateway method and the product code it was used with. */
export const PAYMENT_METHODS = [
  'alipay.trade.create',
  'alipay.trade.wap.pay',
  'alipay.trade.precreate',
] as const;
export const PaymentMethodName = z.enum(PAYMENT_METHODS);
export type PaymentMethodName = z.infer<typeof PaymentMethodName>;

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(512)
  .refine((url) => !/[\s]/.test(url), 'must not contain whitespace');

/**
 * `POST /api/orders/:id/payment/wap`: mobile web payment (alipay.trade.wap.pay, QUICK_WAP_WAY). `returnUrl` is
 * where the browser comes back after paying (with Alipay's signed parameters added to its query), `quitUrl` where
 * it goes when the shopper leaves the cashier. Both must be on one of the shop's own origins.
 */
export const PaymentWapBody = z.strictObject({ returnUrl: httpUrl, quitUrl: httpUrl });
export type PaymentWapBody = z.infer<typeof PaymentWapBody>;

export const PaymentWapResponse = z.object({
  outTradeNo: z.string(),
  method: z.literal('alipay.trade.wap.pay'),
  productCode: z.string(),
  /** Send the browser here (GET): the gateway's cashier, with the signed request in the query. */
  url: z.string(),
});
export type PaymentWapResponse = z.infer<typeof PaymentWapResponse>;

/**
 * `POST /api/payments/wap-return`: the query string the browser came back with on return_url, as key/value pairs.
 * Verified like a notify; only a hint (the notify or a query settles the order).
 */
export const WapReturnBody = z.strictObject({
  params: z
    .record(z.string().min(1).max(64), z.string().max(4096))
    .refine((params) => Object.keys(params).length <= 40, 'at most 40 parameters'),
});
export type WapReturnBody = z.infer<typeof WapReturnBody>;

export const WapReturnResponse = z.object({
  orderId: z.string(),
  outTradeNo: z.string(),
  tradeNo: z.string(),
  totalFen: z.number().int(),
  /** The order's status after the check (a verified return makes the API ask Alipay now). */
  orderStatus: OrderStatus,
});
export type WapReturnResponse = z.infer<typeof WapReturnResponse>;

/** `POST /api/orders/:id/payment/qr` and the admin's collection QR: an empty object. */
export const PaymentQrBody = z.strictObject({});
export type PaymentQrBody = z.infer<typeof PaymentQrBody>;

export const PaymentQrResponse = z.object({
  outTradeNo: z.string(),
  method: z.literal('alipay.trade.precreate'),
  productCode: z.string(),
  /** The content to render as a QR code (a URL the Alipay app opens). */
  qrCode: z.string(),
  /** When this code stops being shown; asking again after it gives a new code. */
  expiresAt: z.string(),
});
export type PaymentQrResponse = z.infer<typeof PaymentQrResponse>;
