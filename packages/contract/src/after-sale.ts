import { z } from 'zod';
import { Fen, Id, IsoDateTime } from './common';
import { OrderStatus } from './order';

/*
 * After-sales (售后): a shopper asks for a refund (仅退款) or a return (退货退款) on a paid, shipped or completed order;
 * the merchant approves (the refund goes through the one refund path) or refuses with a reason. Money is integer fen.
 */

export const AFTER_SALE_KINDS = ['REFUND_ONLY', 'RETURN_REFUND'] as const;
export const AfterSaleKind = z.enum(AFTER_SALE_KINDS);
export type AfterSaleKind = z.infer<typeof AfterSaleKind>;

export const AFTER_SALE_STATUSES = [
  'REQUESTED',
  'AWAITING_RETURN',
  'RETURN_SHIPPED',
  'REFUNDING',
  'REFUNDED',
  'REFUSED',
  'CANCELLED',
  'REFUND_FAILED',
] as const;
export const AfterSaleStatus = z.enum(AFTER_SALE_STATUSES);
export type AfterSaleStatus = z.infer<typeof AfterSaleStatus>;

/** Requests still waiting for someone: at most one of these per order. */
export const OPEN_AFTER_SALE_STATUSES: readonly AfterSaleStatus[] = [
  'REQUESTED',
  'AWAITING_RETURN',
  'RETURN_SHIPPED',
  'REFUNDING',
  'REFUND_FAILED',
];

/** The reasons a shopper picks from (what popular shops offer); the API accepts only these. */
export const AFTER_SALE_REASONS = [
  '不想要了',
  '拍错/多拍',
  '商品破损',
  '质量问题',
  '与描述不符',
  '少件/漏发',
  '未按约定时间发货',
  '其他',
] as const;
export const AfterSaleReason = z.enum(AFTER_SALE_REASONS);
export type AfterSaleReason = z.infer<typeof AfterSaleReason>;

export const MAX_AFTER_SALE_PHOTOS = 6;

const NO_CONTROL_MULTILINE = /^(?:[^\p{Cc}]|\n)*$/u;
const NO_CONTROL = /^[^\p{Cc}]*$/u;

/** A photo the shopper uploaded first (`POST /api/uploads`): the path the upload answered with. */
export const UploadPath = z
  .string()
  .regex(/^\/media\/u\/[A-Za-z0-9_-]{1,64}$/, 'must be a path from an upload');

export const AfterSaleLineInput = z.strictObject({
  skuId: Id,
  quantity: z.number().int().min(1).max(999),
});
export type AfterSaleLineInput = z.infer<typeof AfterSaleLineInput>;

/**
 * `POST /api/orders/:id/after-sales`. Without `lines` the request is for the whole order (what is left to refund);
 * with them, for those lines at their paid price. `amountFen`, when given, may ask for less than that.
 */
export const AfterSaleCreateBody = z.strictObject({
  kind: AfterSaleKind,
  reason: AfterSaleReason,
  description: z
    .string()
    .trim()
    .max(200)
    .regex(NO_CONTROL_MULTILINE, 'must not contain control characters')
    .optional(),
  lines: z
    .array(AfterSaleLineInput)
    .min(1)
    .max(50)
    .refine((l) => new Set(l.map((x) => x.skuId)).size === l.length, 'each line may appear once')
    .optional(),
  amountFen: z.number().int().min(1).max(10_000_000_000).optional(),
  photos: z.array(UploadPath).max(MAX_AFTER_SALE_PHOTOS).optional(),
});
export type AfterSaleCreateBody = z.infer<typeof AfterSaleCreateBody>;

/** `POST /api/after-sales/:id/return`: the shopper sent the goods back. */
export const AfterSaleReturnBody = z.strictObject({
  carrier: z.string().trim().min(1).max(32).regex(NO_CONTROL, 'must not contain control characters'),
  trackingNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,40}$/, 'must be 4 to 40 letters, digits or "-"'),
});
export type AfterSaleReturnBody = z.infer<typeof AfterSaleReturnBody>;

/** `POST /api/admin/after-sales/:id/refuse`. */
export const AfterSaleRefuseBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(NO_CONTROL_MULTILINE, 'must not contain control characters'),
});
export type AfterSaleRefuseBody = z.infer<typeof AfterSaleRefuseBody>;

export const AfterSaleParams = z.strictObject({ id: Id });

export const AfterSaleLineView = z.object({
  skuId: Id,
  title: z.string(),
  specText: z.string(),
  imageUrl: z.string(),
  unitPriceFen: Fen,
  quantity: z.number().int(),
});
export type AfterSaleLineView = z.infer<typeof AfterSaleLineView>;

export const AfterSaleView = z.object({
  id: Id,
  orderId: Id,
  orderNo: z.string(),
  orderStatus: OrderStatus,
  kind: AfterSaleKind,
  status: AfterSaleStatus,
  amountFen: Fen,
  reason: z.string(),
  description: z.string(),
  /** Empty for the whole order. */
  lines: z.array(AfterSaleLineView),
  photos: z.array(z.string()),
  refuseReason: z.string().nullable(),
  returnCarrier: z.string().nullable(),
  returnTrackingNo: z.string().nullable(),
  /** The refund's status at Alipay once one was sent. */
  refundStatus: z.enum(['PENDING', 'UNKNOWN', 'SUCCEEDED', 'FAILED']).nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  decidedAt: IsoDateTime.nullable(),
});
export type AfterSaleView = z.infer<typeof AfterSaleView>;

export const AfterSaleList = z.object({ items: z.array(AfterSaleView) });
export type AfterSaleList = z.infer<typeof AfterSaleList>;

/** `GET /api/admin/after-sales?status&page`: newest first; `openCount` is the admin's badge. */
export const AdminAfterSaleListQuery = z.strictObject({
  status: z.union([AfterSaleStatus, z.literal('OPEN')]).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type AdminAfterSaleListQuery = z.infer<typeof AdminAfterSaleListQuery>;

export const AdminAfterSaleList = z.object({
  items: z.array(AfterSaleView),
  total: z.number().int(),
  openCount: z.number().int(),
});
export type AdminAfterSaleList = z.infer<typeof AdminAfterSaleList>;

/** `GET /api/shop-info`: what the shop tells a shopper who wants to reach the merchant (联系商家). */
export const ShopInfo = z.object({ name: z.string(), phone: z.string(), hours: z.string() });
export type ShopInfo = z.infer<typeof ShopInfo>;

/** `POST /api/uploads` answer. */
export const UploadResult = z.object({ path: z.string(), width: z.number().int(), height: z.number().int() });
export type UploadResult = z.infer<typeof UploadResult>;

/** What an upload may be: checked by the bytes, never by the name or the Content-Type. */
export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Product photos (the admin's photo manager)
// ---------------------------------------------------------------------------------------------------------------

export const MAX_PRODUCT_PHOTOS = 9;

/** One uploaded product photo. `url` is the detail-size variant; the first photo is the cover. */
export const ProductPhotoView = z.object({
  id: Id,
  url: z.string(),
  contentType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  byteSize: z.number().int(),
  isCover: z.boolean(),
});
export type ProductPhotoView = z.infer<typeof ProductPhotoView>;

export const ProductPhotoList = z.object({ items: z.array(ProductPhotoView) });
export type ProductPhotoList = z.infer<typeof ProductPhotoList>;

/** `POST /api/admin/photos?productId=`: the body is the file's bytes. */
export const ProductPhotoUploadQuery = z.strictObject({ productId: Id });

/** `PUT /api/admin/products/:id/photos`: every photo of the product, in the order to show; the first is the cover. */
export const ProductPhotoOrderBody = z.strictObject({
  photoIds: z
    .array(Id)
    .min(1)
    .max(MAX_PRODUCT_PHOTOS)
    .refine((ids) => new Set(ids).size === ids.length, 'each photo may appear once'),
});
export type ProductPhotoOrderBody = z.infer<typeof ProductPhotoOrderBody>;
