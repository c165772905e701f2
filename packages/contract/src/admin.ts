import { z } from 'zod';
import { Category, SpecDimension } from './catalog';
import { DateOnly, Fen, Id, IsoDateTime } from './common';
import { OrderStatus, OrderView, ShippingAddressView } from './order';
import { NotifyOutcome, PaymentStatus, PaymentTimeline, RefundKind, RefundStatus } from './payment';

/**
 * The merchant admin API (`/api/admin/...`): sign-in and sessions, orders and their money, products and stock, the
 * dashboard, the audit log and staff accounts. Every route needs `Authorization: Bearer <token>` from
 * `POST /api/admin/session` (401 UNAUTHENTICATED without it) and a role allowed to use it (403 FORBIDDEN otherwise);
 * `ROLE_PERMISSIONS` says which. Money is integer fen, instants ISO UTC, dates China dates (`yyyy-MM-dd`).
 */

// ---------------------------------------------------------------------------------------------------------------
// Roles and permissions
// ---------------------------------------------------------------------------------------------------------------

export const ADMIN_ROLES = ['owner', 'staff'] as const;
export const AdminRole = z.enum(ADMIN_ROLES);
export type AdminRole = z.infer<typeof AdminRole>;

export const ADMIN_PERMISSIONS = [
  'orders.read',
  'orders.ship',
  'orders.complete',
  'orders.refund',
  /** Staff see a shipping phone partly masked; this shows it whole. */
  'orders.read-phone',
  'products.read',
  'products.write',
  'dashboard.read',
  'audit.read',
  'staff.manage',
  'reconciliation.read',
  'reconciliation.run',
  /** The settings page: which keys are configured, which rows and notifies use them. */
  'settings.read',
  /** Webhook endpoints: register, change, rotate secrets, read the delivery log and send again. */
  'webhooks.manage',
  /** The notification centre: paid orders, after-sales, refunds and reconciliation differences as they happen. */
  'notifications.read',
] as const;
export const AdminPermission = z.enum(ADMIN_PERMISSIONS);
export type AdminPermission = z.infer<typeof AdminPermission>;

/** What each role may do. The API enforces exactly this table; the admin app uses it to hide what a role cannot do. */
export const ROLE_PERMISSIONS: Readonly<Record<AdminRole, readonly AdminPermission[]>> = {
  owner: ADMIN_PERMISSIONS,
  staff: [
    'orders.read',
    'orders.ship',
    'orders.complete',
    'products.read',
    'dashboard.read',
    'reconciliation.read',
    'notifications.read',
  ],
};

export function roleCan(role: AdminRole, permission: AdminPermission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The roles holding a permission, e.g. `rolesWith('orders.refund')` is `['owner']`. */
export function rolesWith(permission: AdminPermission): AdminRole[] {
  return ADMIN_ROLES.filter((role) => roleCan(role, permission));
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------------------------

/** Printable text only (no control characters); trimmed. */
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const text = (min: number, max: number) =>
  z.string().trim().min(min).max(max).regex(NO_CONTROL, 'must not contain control characters');
/** Multi-line text: line breaks allowed, other control characters not. */
const multiline = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^(?:[^\p{Cc}]|\n)*$/u, 'must not contain control characters');

export const Page = z.coerce.number().int().min(1).max(100_000).default(1);
export const PageSize = z.coerce.number().int().min(1).max(100).default(20);

/** `{ items, total, page, pageSize }`: offset pages, for tables with page numbers. */
export function offsetPage<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** Rows matching the filter, over all pages. */
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
  });
}

/** `/api/admin/<things>/:id`. */
export const AdminIdParams = z.strictObject({ id: Id });
export type AdminIdParams = z.infer<typeof AdminIdParams>;

const dateRangeOk = (value: { from?: string | undefined; to?: string | undefined }) =>
  !value.from || !value.to || value.from <= value.to;
const DATE_RANGE_MESSAGE = { message: 'from must not be after to', path: ['from'] };

// ---------------------------------------------------------------------------------------------------------------
// Sign-in and sessions
// ---------------------------------------------------------------------------------------------------------------

/** Login names: lower-case letters, digits, `.`, `_`, `-`; 3 to 32 characters, starting with a letter or digit. */
export const AdminUsername = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'must be 3 to 32 lower-case letters, digits, ".", "_" or "-"');

/** A new password: 10 to 128 characters (no other composition rules, as NIST SP 800-63B advises). */
export const AdminNewPassword = z.string().min(10).max(128);

/**
 * `POST /api/admin/session`. The username is matched case-insensitively; any wrong pair is 401
 * INVALID_CREDENTIALS with one message. Too many failures (5 per username or 20 per client address in 15 minutes)
 * are 429 TOO_MANY_REQUESTS with `Retry-After`, even for the right password.
 */
export const AdminSignInBody = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type AdminSignInBody = z.infer<typeof AdminSignInBody>;

export const AdminProfile = z.object({
  id: Id,
  username: z.string(),
  role: AdminRole,
  displayName: z.string(),
});
export type AdminProfile = z.infer<typeof AdminProfile>;

export const AdminSessionResponse = z.object({
  token: z.string(),
  /** Slides forward while the session is used. */
  expiresAt: IsoDateTime,
  admin: AdminProfile,
});
export type AdminSessionResponse = z.infer<typeof AdminSessionResponse>;

/** `GET /api/admin/me`. */
export const AdminMeResponse = z.object({
  admin: AdminProfile,
  permissions: z.array(AdminPermission),
  expiresAt: IsoDateTime,
});
export type AdminMeResponse = z.infer<typeof AdminMeResponse>;

// ---------------------------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------------------------

export const ADMIN_ORDER_SORTS = ['createdAt', 'totalFen', 'paidAt'] as const;
export const AdminOrderSort = z.enum(ADMIN_ORDER_SORTS);
export type AdminOrderSort = z.infer<typeof AdminOrderSort>;

export const SortDirection = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof SortDirection>;

/**
 * Filters shared by the list and the CSV export. `from` / `to` are China dates, inclusive, on the order's creation
 * time. `q` matches the order number or the Alipay trade number (exactly or as a prefix), or the buyer's Alipay user
 * id, open id or nickname (a substring). Orders without `paidAt` sort last either way.
 */
const orderFilterShape = {
  status: OrderStatus.optional(),
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  q: text(1, 64).optional(),
  sort: AdminOrderSort.default('createdAt'),
  order: SortDirection.default('desc'),
};

export const AdminOrderListQuery = z
  .strictObject({ ...orderFilterShape, page: Page, pageSize: PageSize })
  .refine(dateRangeOk, DATE_RANGE_MESSAGE);
export type AdminOrderListQuery = z.infer<typeof AdminOrderListQuery>;

/** `GET /api/admin/orders.csv`: the list's filters, every matching row (at most MAX_ORDER_EXPORT_ROWS). */
export const AdminOrderExportQuery = z.strictObject(orderFilterShape).refine(dateRangeOk, DATE_RANGE_MESSAGE);
export type AdminOrderExportQuery = z.infer<typeof AdminOrderExportQuery>;

/** More matching orders than this is a 400 VALIDATION_ERROR asking for a narrower filter. */
export const MAX_ORDER_EXPORT_ROWS = 50_000;

/**
 * The CSV's columns, in order (UTF-8 with a BOM; times in China time `yyyy-MM-dd HH:mm:ss`; amounts in yuan with two
 * decimals, `12.30`). Shipping phone and street are left out on purpose: exported files travel.
 */
export const ORDER_EXPORT_COLUMNS = [
  'order_no',
  'trade_no',
  'status',
  'created_at',
  'paid_at',
  'shipped_at',
  'buyer_user_id',
  'buyer_open_id',
  'buyer_nickname',
  'items',
  'item_count',
  'total_yuan',
  'refunded_yuan',
  'ship_name',
  'ship_region',
  'carrier',
  'tracking_no',
] as const;

export const AdminBuyer = z.object({
  userId: Id,
  alipayUserId: z.string().nullable(),
  alipayOpenId: z.string().nullable(),
  nickname: z.string().nullable(),
});
export type AdminBuyer = z.infer<typeof AdminBuyer>;

export const AdminOrderSummary = z.object({
  id: Id,
  orderNo: z.string(),
  /** Alipay's trade number, once the trade exists. */
  tradeNo: z.string().nullable(),
  status: OrderStatus,
  paymentStatus: PaymentStatus.nullable(),
  subject: z.string(),
  totalFen: Fen,
  refundedFen: Fen,
  /** Refunds sent but not yet confirmed by Alipay. */
  refundPendingFen: Fen,
  /** Units ordered. */
  itemCount: z.number().int().min(0),
  buyer: AdminBuyer,
  shipName: z.string(),
  createdAt: IsoDateTime,
  paidAt: IsoDateTime.nullable(),
  shippedAt: IsoDateTime.nullable(),
});
export type AdminOrderSummary = z.infer<typeof AdminOrderSummary>;

export const AdminOrderList = offsetPage(AdminOrderSummary);
export type AdminOrderList = z.infer<typeof AdminOrderList>;

/** One OrderEvent: every status change and notable fact (payment started, refund requested ...), oldest first. */
export const AdminOrderEvent = z.object({
  id: Id,
  type: z.string(),
  fromStatus: OrderStatus.nullable(),
  toStatus: OrderStatus.nullable(),
  /** user | admin | system | alipay */
  actorType: z.string(),
  actorId: z.string().nullable(),
  /** The admin's display name for admin events; null otherwise. */
  actorName: z.string().nullable(),
  reason: z.string(),
  data: z.record(z.string(), z.unknown()),
  at: IsoDateTime,
});
export type AdminOrderEvent = z.infer<typeof AdminOrderEvent>;

/** The shipping address; `phone` is `138****5678` unless the admin may read phones (`phoneMasked` says which). */
export const AdminShippingAddress = ShippingAddressView.extend({ phoneMasked: z.boolean() });
export type AdminShippingAddress = z.infer<typeof AdminShippingAddress>;

/** What this admin may do to this order now (role and status together); the API checks again. */
export const AdminOrderActions = z.object({
  refund: z.boolean(),
  ship: z.boolean(),
  complete: z.boolean(),
  /** Show a collection QR code (alipay.trade.precreate) for an unpaid order, for the buyer to scan at the counter. */
  collect: z.boolean(),
});
export type AdminOrderActions = z.infer<typeof AdminOrderActions>;

export const AuditLogEntry = z.object({
  id: Id,
  adminId: Id.nullable(),
  actorName: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type AuditLogEntry = z.infer<typeof AuditLogEntry>;

/**
 * `GET /api/admin/orders/:id`. `payment` is the payment timeline: the trade, every refund (merchant and automatic),
 * every notify received (raw fields and body, verified or not, reject reason, outcome) and every gateway call
 * (payment attempts are the calls with purpose `create`, queries `query`, and so on).
 */
export const AdminOrderDetail = OrderView.omit({ address: true, timeline: true }).extend({
  refundPendingFen: Fen,
  /** What a new refund may take: paid, less refunded and pending (0 when nothing was paid). */
  refundableFen: Fen,
  buyer: AdminBuyer,
  address: AdminShippingAddress,
  events: z.array(AdminOrderEvent),
  payment: PaymentTimeline,
  /** Admin actions on this order (refunds, shipping, completion), oldest first. */
  audit: z.array(AuditLogEntry),
  actions: AdminOrderActions,
});
export type AdminOrderDetail = z.infer<typeof AdminOrderDetail>;

/**
 * `POST /api/admin/orders/:id/refunds` takes `RefundCreateBody` (`{amountFen, reason}`, from ./payment) and an
 * optional `Idempotency-Key` header (`IdempotencyKeyHeader`): the same key on the same order answers 200 with the
 * first refund instead of refunding twice; a new refund is 201. The answer is a `RefundView` (./payment).
 */

/** Suggestions for the ship dialog; any carrier name is accepted. */
export const COMMON_CARRIERS = [
  '顺丰速运',
  '中通快递',
  '圆通速递',
  '韵达快递',
  '申通快递',
  '京东物流',
  '极兔速递',
  '中国邮政 EMS',
] as const;

/**
 * `POST /api/admin/orders/:id/ship`: PAID -> SHIPPED. Shipping an order already shipped with the same carrier and
 * number answers 200 with it (a repeated click); anything else not PAID is 409 ORDER_STATE_CONFLICT.
 */
export const AdminShipBody = z.strictObject({
  carrier: text(1, 32),
  trackingNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,40}$/, 'must be 4 to 40 letters, digits or "-"'),
});
export type AdminShipBody = z.infer<typeof AdminShipBody>;

/** `POST /api/admin/orders/:id/complete`: SHIPPED -> COMPLETED (no body); COMPLETED again answers 200. */
export const AdminCompleteBody = z.strictObject({});
export type AdminCompleteBody = z.infer<typeof AdminCompleteBody>;

// ---------------------------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------------------------

export const PRODUCT_STATUSES = ['DRAFT', 'PUBLISHED', 'UNPUBLISHED'] as const;
export const ProductStatus = z.enum(PRODUCT_STATUSES);
export type ProductStatus = z.infer<typeof ProductStatus>;

/** `GET /api/admin/products`: every status, newest first; `q` matches title or subtitle. */
export const AdminProductListQuery = z.strictObject({
  q: text(1, 50).optional(),
  status: ProductStatus.optional(),
  categoryId: Id.optional(),
  page: Page,
  pageSize: PageSize,
});
export type AdminProductListQuery = z.infer<typeof AdminProductListQuery>;

export const AdminProductSummary = z.object({
  id: Id,
  title: z.string(),
  subtitle: z.string(),
  status: ProductStatus,
  featured: z.boolean(),
  categoryId: Id,
  categoryName: z.string(),
  /** The lowest and highest SKU price. */
  minPriceFen: Fen,
  maxPriceFen: Fen,
  skuCount: z.number().int().min(0),
  /** Units available over all SKUs. */
  totalStock: z.number().int().min(0),
  /** SKUs with stock 0. */
  soldOutSkuCount: z.number().int().min(0),
  salesCount: z.number().int().min(0),
  /** The first image (a path on the API), or null. */
  imageUrl: z.string().nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type AdminProductSummary = z.infer<typeof AdminProductSummary>;

export const AdminProductList = offsetPage(AdminProductSummary);
export type AdminProductList = z.infer<typeof AdminProductList>;

export const AdminSkuView = z.object({
  id: Id,
  specs: z.record(z.string(), z.string()),
  /** The values in dimension order, `曜石黑 / 256GB`; empty for a single-SKU product. */
  specText: z.string(),
  priceFen: Fen,
  stock: z.number().int().min(0),
});
export type AdminSkuView = z.infer<typeof AdminSkuView>;

export const StockAdjustmentView = z.object({
  id: Id,
  skuId: Id,
  specText: z.string(),
  deltaQty: z.number().int(),
  stockAfter: z.number().int().min(0),
  reason: z.string(),
  adminId: Id.nullable(),
  adminName: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type StockAdjustmentView = z.infer<typeof StockAdjustmentView>;

/** How many generated pictures a product can show (`/images/products/:id/0.svg` to `9.svg`). */
export const MAX_PRODUCT_IMAGE_CHOICES = 10;

export const AdminProductDetail = z.object({
  id: Id,
  title: z.string(),
  subtitle: z.string(),
  description: z.string(),
  status: ProductStatus,
  featured: z.boolean(),
  categoryId: Id,
  categoryName: z.string(),
  /** The images shown, in order (paths on the API). */
  images: z.array(z.string()),
  /** Every generated image this product may show; `images` is chosen from these. */
  imageChoices: z.array(z.string()),
  specs: z.array(SpecDimension),
  skus: z.array(AdminSkuView),
  minPriceFen: Fen,
  salesCount: z.number().int().min(0),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** The latest stock adjustments, newest first (at most 50). */
  stockAdjustments: z.array(StockAdjustmentView),
});
export type AdminProductDetail = z.infer<typeof AdminProductDetail>;

/** `GET /api/admin/categories`: the categories a product may be put in. */
export const AdminCategoryList = z.object({ items: z.array(Category) });
export type AdminCategoryList = z.infer<typeof AdminCategoryList>;

export const MAX_PRODUCT_SKUS = 100;
export const MAX_STOCK = 1_000_000;
/** The highest SKU price the admin accepts (¥1,000,000.00). */
export const MAX_SKU_PRICE_FEN = 100_000_000;

const specName = text(1, 10);
const specValue = text(1, 20);

export const AdminSkuInput = z.strictObject({
  /** One value per dimension of the product's `specs`; `{}` (the default) for a single-SKU product. */
  specs: z.record(specName, specValue).default({}),
  priceFen: z.number().int().min(1).max(MAX_SKU_PRICE_FEN),
  stock: z.number().int().min(0).max(MAX_STOCK),
});
export type AdminSkuInput = z.infer<typeof AdminSkuInput>;

/**
 * `POST /api/admin/products` (owner): 201 with the product. `specs` are the dimensions in display order (derived from
 * the SKUs when left out); every SKU must name one listed value of each dimension, and no two SKUs the same values
 * (400 VALIDATION_ERROR otherwise). The product shows `imageCount` generated pictures (default 3). New products are
 * drafts unless `status` says PUBLISHED.
 */
export const AdminProductCreateBody = z.strictObject({
  categoryId: Id,
  title: text(1, 60),
  subtitle: text(0, 120).default(''),
  description: multiline(2000).default(''),
  featured: z.boolean().default(false),
  status: z.enum(['DRAFT', 'PUBLISHED']).default('DRAFT'),
  specs: z
    .array(z.strictObject({ name: specName, values: z.array(specValue).min(1).max(50) }))
    .max(3)
    .optional(),
  skus: z.array(AdminSkuInput).min(1).max(MAX_PRODUCT_SKUS),
  imageCount: z.number().int().min(1).max(MAX_PRODUCT_IMAGE_CHOICES).default(3),
});
export type AdminProductCreateBody = z.infer<typeof AdminProductCreateBody>;

/**
 * `PATCH /api/admin/products/:id` (owner): any of these fields, at least one. `images` lists paths from the product's
 * `imageChoices`, each once, in display order. Prices and stock have their own routes below; the status changes
 * through publish and unpublish.
 */
export const AdminProductUpdateBody = z
  .strictObject({
    title: text(1, 60).optional(),
    subtitle: text(0, 120).optional(),
    description: multiline(2000).optional(),
    categoryId: Id.optional(),
    featured: z.boolean().optional(),
    images: z
      .array(z.string().max(200))
      .min(1)
      .max(MAX_PRODUCT_IMAGE_CHOICES)
      .refine((paths) => new Set(paths).size === paths.length, 'each image may appear once')
      .optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'change at least one field',
  });
export type AdminProductUpdateBody = z.infer<typeof AdminProductUpdateBody>;

/**
 * `POST /api/admin/products/:id/publish` and `/unpublish` (owner, no body): the product with its new status.
 * Publishing a published product (or unpublishing one not on sale) answers 200 and changes nothing.
 */
export const AdminPublishBody = z.strictObject({});
export type AdminPublishBody = z.infer<typeof AdminPublishBody>;

/** `/api/admin/products/:id/skus/:skuId/...`. */
export const AdminSkuParams = z.strictObject({ id: Id, skuId: Id });
export type AdminSkuParams = z.infer<typeof AdminSkuParams>;

/** `PUT /api/admin/products/:id/skus/:skuId/price` (owner): the product, with `minPriceFen` kept in step. */
export const AdminSkuPriceBody = z.strictObject({
  priceFen: z.number().int().min(1).max(MAX_SKU_PRICE_FEN),
});
export type AdminSkuPriceBody = z.infer<typeof AdminSkuPriceBody>;

/**
 * `POST /api/admin/products/:id/skus/:skuId/stock-adjustments` (owner): adds `deltaQty` (negative removes) to the
 * SKU's stock in one guarded update, so concurrent adjustments and orders never lose an update; stock never goes
 * below zero (409 OUT_OF_STOCK with `{stock, deltaQty}`). 201 with the product.
 */
export const AdminStockAdjustmentBody = z.strictObject({
  deltaQty: z
    .number()
    .int()
    .min(-MAX_STOCK)
    .max(MAX_STOCK)
    .refine((n) => n !== 0, 'must not be 0'),
  reason: text(1, 200),
});
export type AdminStockAdjustmentBody = z.infer<typeof AdminStockAdjustmentBody>;

// ---------------------------------------------------------------------------------------------------------------
// Dashboard
// ---------------------------------------------------------------------------------------------------------------

/** `GET /api/admin/dashboard` (no query). */
export const DASHBOARD_DAYS = 30;
/** A payment still CREATED or OPEN this long after its order expired is stuck (the jobs should have closed it). */
export const STUCK_PAYMENT_GRACE_MINUTES = 5;
/** Rejected notifies are shown for this many days. */
export const ATTENTION_NOTIFY_DAYS = 7;
/** Each attention list carries at most this many items (newest first); `count` is the full number. */
export const ATTENTION_LIST_LIMIT = 20;

/** Money by China day: payments proven that day (sales) and refunds Alipay confirmed that day. */
export const DashboardDay = z.object({
  date: DateOnly,
  paidOrders: z.number().int().min(0),
  salesFen: Fen,
  refundsFen: Fen,
});
export type DashboardDay = z.infer<typeof DashboardDay>;

export const AttentionNotify = z.object({
  id: Id,
  orderId: Id.nullable(),
  orderNo: z.string().nullable(),
  receivedAt: IsoDateTime,
  verified: z.boolean(),
  rejectReason: z.string().nullable(),
  outcome: z.string(),
});
export type AttentionNotify = z.infer<typeof AttentionNotify>;

export const AttentionPayment = z.object({
  orderId: Id,
  orderNo: z.string(),
  status: PaymentStatus,
  amountFen: Fen,
  createdAt: IsoDateTime,
  orderExpiresAt: IsoDateTime,
  queryCount: z.number().int().min(0),
  nextQueryAt: IsoDateTime.nullable(),
});
export type AttentionPayment = z.infer<typeof AttentionPayment>;

export const AttentionRefund = z.object({
  id: Id,
  orderId: Id,
  orderNo: z.string(),
  kind: RefundKind,
  status: RefundStatus,
  amountFen: Fen,
  failureCode: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type AttentionRefund = z.infer<typeof AttentionRefund>;

function attentionList<T extends z.ZodType>(item: T) {
  return z.object({ count: z.number().int().min(0), items: z.array(item) });
}

export const DashboardResponse = z.object({
  generatedAt: IsoDateTime,
  /** Today's China date and figures (also the last entry of `days`). */
  today: DashboardDay,
  /** The last DASHBOARD_DAYS China days, oldest first, today included; empty days are zeros. */
  days: z.array(DashboardDay),
  attention: z.object({
    /** Notifies received in the last ATTENTION_NOTIFY_DAYS days that were not verified, refused, or failed on our side. */
    notifies: attentionList(AttentionNotify),
    /** Payments CREATED or OPEN past their order's expiry plus STUCK_PAYMENT_GRACE_MINUTES. */
    stuckPayments: attentionList(AttentionPayment),
    /** Automatic refunds (payments that arrived for closed orders) of the last DASHBOARD_DAYS days, any status. */
    autoRefunds: attentionList(AttentionRefund),
    /** Refunds PENDING or UNKNOWN (waiting for Alipay's answer), any age. */
    openRefunds: attentionList(AttentionRefund),
  }),
});
export type DashboardResponse = z.infer<typeof DashboardResponse>;

// ---------------------------------------------------------------------------------------------------------------
// Audit log
// ---------------------------------------------------------------------------------------------------------------

/** Actions written to the audit log (`action` is free text in the query, so future actions filter too). */
export const AUDIT_ACTIONS = [
  'admin.sign-in',
  'admin.sign-in-failed',
  'admin.sign-out',
  'order.refund',
  'order.ship',
  'order.complete',
  'product.create',
  'product.update',
  'product.publish',
  'product.unpublish',
  'sku.price',
  'sku.stock',
  'staff.create',
  'staff.deactivate',
  'reconciliation.run',
  'reconciliation.line.requery',
  'reconciliation.line.resolve',
  'after-sale.approve',
  'after-sale.refuse',
  'after-sale.receive',
  'product.photos',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.rotate-secret',
  'webhook.resend',
  /** A signed-in admin tried something their role may not do (the request was refused with 403). */
  'access.denied',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `GET /api/admin/audit-logs` (owner): newest first. `from` / `to` are China dates, inclusive. */
export const AuditLogQuery = z
  .strictObject({
    action: z
      .string()
      .regex(/^[a-z][a-z.-]{0,63}$/, 'must be an action name')
      .optional(),
    /** `Order`, `Product`, `Sku`, `Admin`, `ReconciliationRun`, `ReconciliationLine` ... */
    targetType: z
      .string()
      .regex(/^[A-Za-z]{1,40}$/, 'must be a target type')
      .optional(),
    targetId: Id.optional(),
    adminId: Id.optional(),
    from: DateOnly.optional(),
    to: DateOnly.optional(),
    page: Page,
    pageSize: PageSize,
  })
  .refine(dateRangeOk, DATE_RANGE_MESSAGE);
export type AuditLogQuery = z.infer<typeof AuditLogQuery>;

export const AuditLogList = offsetPage(AuditLogEntry);
export type AuditLogList = z.infer<typeof AuditLogList>;

// ---------------------------------------------------------------------------------------------------------------
// Staff (owner only)
// ---------------------------------------------------------------------------------------------------------------

export const AdminAccount = AdminProfile.extend({
  active: z.boolean(),
  createdAt: IsoDateTime,
  lastLoginAt: IsoDateTime.nullable(),
});
export type AdminAccount = z.infer<typeof AdminAccount>;

/** `GET /api/admin/staff`: every admin account, owners first, then by username. */
export const AdminAccountList = z.object({ items: z.array(AdminAccount) });
export type AdminAccountList = z.infer<typeof AdminAccountList>;

/** `POST /api/admin/staff`: a new `staff` account, 201; a taken username is 409 CONFLICT. */
export const AdminStaffCreateBody = z.strictObject({
  username: AdminUsername,
  displayName: text(1, 40),
  password: AdminNewPassword,
});
export type AdminStaffCreateBody = z.infer<typeof AdminStaffCreateBody>;

/**
 * `POST /api/admin/staff/:id/deactivate` (no body): the account can no longer sign in and its sessions end at once.
 * Deactivating an inactive account answers 200; an owner account is 409 CONFLICT.
 */
export const AdminDeactivateBody = z.strictObject({});
export type AdminDeactivateBody = z.infer<typeof AdminDeactivateBody>;

// ---------------------------------------------------------------------------------------------------------------
// Settings: keys (owner only)
// ---------------------------------------------------------------------------------------------------------------

/** A configured key, by id: an address key's own id, or an Alipay public key's (first 8 hex of SHA-256 of its DER). */
export const KeyRole = z.enum(['current', 'next', 'old', 'certificate']);
export type KeyRole = z.infer<typeof KeyRole>;

/** How many rows of one encrypted table hold a field under each configured address key. */
export const AddressKeyTable = z.object({
  table: z.enum(['Address', 'Order']),
  rows: z.number().int(),
  /** Configured key id -> rows with a field under it. */
  byKey: z.record(z.string(), z.number().int()),
  /** Rows under a key that is not configured (the API refuses to start with any). */
  unknown: z.number().int(),
});
export type AddressKeyTable = z.infer<typeof AddressKeyTable>;

/** One notify of the recent ones, with the Alipay key that verified it (null: it did not verify). */
export const KeyedNotify = z.object({
  id: z.string(),
  receivedAt: IsoDateTime,
  notifyId: z.string().nullable(),
  outTradeNo: z.string().nullable(),
  outcome: NotifyOutcome,
  alipayKeyId: z.string().nullable(),
});
export type KeyedNotify = z.infer<typeof KeyedNotify>;

/** `GET /api/admin/settings/keys`: the keys in use and what uses them. */
export const AdminKeySettings = z.object({
  address: z.object({
    keys: z.array(z.object({ keyId: z.string(), role: KeyRole })),
    tables: z.array(AddressKeyTable),
  }),
  alipay: z.object({
    mode: z.enum(['public-key', 'certificate']),
    keys: z.array(
      z.object({
        keyId: z.string(),
        role: KeyRole,
        /** Notifies this key verified in the last 7 days, and the latest one's time. */
        notifies7d: z.number().int(),
        lastNotifyAt: IsoDateTime.nullable(),
      }),
    ),
    /** The 20 most recent notifies, newest first. */
    recentNotifies: z.array(KeyedNotify),
  }),
});
export type AdminKeySettings = z.infer<typeof AdminKeySettings>;
