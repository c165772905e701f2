import {
  type AdminBuyer,
  type AfterSaleKind,
  type AfterSaleStatus,
  type AdminRole,
  type DeliveryStatus,
  type NotifyOutcome,
  type NotifyRejectReason,
  type OrderStatus,
  type PaymentStatus,
  type ProductStatus,
  type ReconciliationDayStatus,
  type ReconciliationKind,
  type RefundKind,
  type RefundStatus,
} from '@shop/contract';

/** zh-CN names for the contract's codes. Every record is total over its union, so a new code fails typecheck. */

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export const ORDER_STATUS_LABELS: Record<OrderStatus, { label: string; tone: Tone }> = {
  PENDING_PAYMENT: { label: '待支付', tone: 'warning' },
  PAID: { label: '已支付', tone: 'info' },
  SHIPPED: { label: '已发货', tone: 'info' },
  COMPLETED: { label: '已完成', tone: 'success' },
  CLOSED: { label: '已关闭', tone: 'neutral' },
  REFUNDED: { label: '已退款', tone: 'danger' },
};

export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, { label: string; tone: Tone }> = {
  CREATED: { label: '创建中', tone: 'warning' },
  OPEN: { label: '等待付款', tone: 'warning' },
  PAID: { label: '已付款', tone: 'success' },
  CLOSED: { label: '已关闭', tone: 'neutral' },
};

export const REFUND_STATUS_LABELS: Record<RefundStatus, { label: string; tone: Tone }> = {
  PENDING: { label: '处理中', tone: 'warning' },
  UNKNOWN: { label: '结果未知', tone: 'warning' },
  SUCCEEDED: { label: '退款成功', tone: 'success' },
  FAILED: { label: '退款失败', tone: 'danger' },
};

export const REFUND_KIND_LABELS: Record<RefundKind, string> = {
  MERCHANT: '商家退款',
  AUTO_PAID_AFTER_CLOSE: '自动退款（关单后到账）',
};

export const NOTIFY_OUTCOME_LABELS: Record<NotifyOutcome, { label: string; tone: Tone }> = {
  APPLIED: { label: '已生效', tone: 'success' },
  DUPLICATE: { label: '重复通知', tone: 'neutral' },
  NO_CHANGE: { label: '无需变更', tone: 'neutral' },
  REJECTED: { label: '已拒绝', tone: 'danger' },
  AUTO_REFUND: { label: '触发自动退款', tone: 'warning' },
  ERROR: { label: '处理出错', tone: 'danger' },
};

export const NOTIFY_REJECT_LABELS: Record<NotifyRejectReason, string> = {
  malformed: '格式错误',
  'bad-signature': '验签失败',
  'app-id': 'app_id 不符',
  'seller-id': 'seller_id 不符',
  'unknown-order': '未知订单',
  'trade-no': '交易号不符',
  amount: '金额不符',
};

/** The ways to pay, by gateway method and by product code (DESIGN.md, "Ways to pay"). */
export const PAYMENT_METHOD_LABELS: Record<string, string> = {
  'alipay.trade.create': '小程序支付',
  'alipay.trade.wap.pay': '手机网站支付',
  'alipay.trade.precreate': '扫码支付',
};

export const PRODUCT_CODE_LABELS: Record<string, string> = {
  JSAPI_PAY: '小程序支付产品',
  QUICK_WAP_WAY: '手机网站支付产品',
  FACE_TO_FACE_PAYMENT: '当面付',
};

/** "扫码支付 · 当面付 (alipay.trade.precreate / FACE_TO_FACE_PAYMENT)"-style words for a method and product code. */
export function paymentMethodText(method: string, productCode: string): string {
  const words = `${PAYMENT_METHOD_LABELS[method] ?? '支付宝支付'} · ${PRODUCT_CODE_LABELS[productCode] ?? '支付产品'}`;
  return `${words}（${method} / ${productCode}）`;
}

export const GATEWAY_PURPOSE_LABELS: Record<string, string> = {
  create: '创建交易（支付尝试）',
  query: '查询交易',
  close: '关闭交易',
  refund: '发起退款',
  'refund-query': '查询退款',
  bill: '下载对账单',
};

export const GATEWAY_OUTCOME_LABELS: Record<string, { label: string; tone: Tone }> = {
  success: { label: '成功', tone: 'success' },
  failed: { label: '失败', tone: 'danger' },
  unknown: { label: '结果未知', tone: 'warning' },
};

export const PRODUCT_STATUS_LABELS: Record<ProductStatus, { label: string; tone: Tone }> = {
  DRAFT: { label: '草稿', tone: 'neutral' },
  PUBLISHED: { label: '在售', tone: 'success' },
  UNPUBLISHED: { label: '已下架', tone: 'warning' },
};

export const ROLE_LABELS: Record<AdminRole, string> = { owner: '店主', staff: '店员' };

export const RECON_DAY_STATUS_LABELS: Record<ReconciliationDayStatus, { label: string; tone: Tone }> = {
  CLEAN: { label: '无差异', tone: 'success' },
  DIFFERENCES: { label: '有差异', tone: 'danger' },
  FAILED: { label: '失败', tone: 'warning' },
  RUNNING: { label: '对账中', tone: 'info' },
  NOT_RUN: { label: '未对账', tone: 'neutral' },
};

export const RECON_KIND_LABELS: Record<ReconciliationKind, { label: string; tone: Tone }> = {
  MATCHED: { label: '一致', tone: 'success' },
  MISSING_IN_LEDGER: { label: '支付宝有、本地无', tone: 'danger' },
  MISSING_IN_BILL: { label: '本地有、账单无', tone: 'danger' },
  AMOUNT_MISMATCH: { label: '金额不符', tone: 'danger' },
  STATUS_MISMATCH: { label: '状态不符', tone: 'danger' },
  PAID_AFTER_CLOSE: { label: '关单后支付（已自动退款）', tone: 'info' },
  REFUND_MISMATCH: { label: '退款不符', tone: 'danger' },
};

/** Order events (`OrderEvent.type`); unknown types show as they are. */
export const ORDER_EVENT_LABELS: Record<string, string> = {
  CREATED: '下单',
  PAYMENT_STARTED: '发起支付',
  PAYMENT_OPENED: '支付宝交易已创建',
  PAID: '支付成功',
  EXPIRED: '超时关闭',
  CANCELLED: '买家取消',
  CLOSED: '订单关闭',
  PAID_AFTER_CLOSE: '关单后到账',
  REFUND_REQUESTED: '申请退款',
  REFUND_OUTCOME_UNKNOWN: '退款结果未知',
  REFUND_SUCCEEDED: '退款成功',
  REFUND_FAILED: '退款失败',
  REFUNDED: '全额退款',
  SHIPPED: '发货',
  COMPLETED: '完成',
  RECEIVED: '买家确认收货',
  AUTO_COMPLETED: '超时自动确认收货',
  AFTER_SALE_REQUESTED: '买家申请售后',
  AFTER_SALE_APPROVED: '同意售后',
  AFTER_SALE_REFUSED: '拒绝售后',
  AFTER_SALE_CANCELLED: '买家撤销售后',
  AFTER_SALE_RETURN_SHIPPED: '买家寄回商品',
  AFTER_SALE_RETURN_RECEIVED: '确认收到退货',
  AFTER_SALE_REFUNDED: '售后退款成功',
  AFTER_SALE_REFUND_FAILED: '售后退款失败',
};

export const AFTER_SALE_STATUS_LABELS: Record<AfterSaleStatus, { label: string; tone: Tone }> = {
  REQUESTED: { label: '待处理', tone: 'warning' },
  AWAITING_RETURN: { label: '待买家退货', tone: 'info' },
  RETURN_SHIPPED: { label: '待确认收货', tone: 'warning' },
  REFUNDING: { label: '退款中', tone: 'info' },
  REFUNDED: { label: '退款成功', tone: 'success' },
  REFUSED: { label: '已拒绝', tone: 'neutral' },
  CANCELLED: { label: '买家已撤销', tone: 'neutral' },
  REFUND_FAILED: { label: '退款失败', tone: 'danger' },
};

export const AFTER_SALE_KIND_LABELS: Record<AfterSaleKind, string> = {
  REFUND_ONLY: '仅退款',
  RETURN_REFUND: '退货退款',
};

/** A webhook delivery's state (`OutboxDelivery.status`). */
export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, { label: string; tone: Tone }> = {
  PENDING: { label: '投递中', tone: 'warning' },
  DELIVERED: { label: '已送达', tone: 'success' },
  FAILED: { label: '投递失败', tone: 'danger' },
  SKIPPED: { label: '已跳过', tone: 'neutral' },
};

export const ACTOR_LABELS: Record<string, string> = {
  user: '买家',
  admin: '管理员',
  system: '系统',
  alipay: '支付宝',
};

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'admin.sign-in': '登录',
  'admin.sign-in-failed': '登录失败',
  'admin.sign-out': '退出登录',
  'order.refund': '订单退款',
  'order.ship': '订单发货',
  'order.complete': '订单完成',
  'product.create': '新建商品',
  'product.update': '编辑商品',
  'product.publish': '上架商品',
  'product.unpublish': '下架商品',
  'sku.price': '修改价格',
  'sku.stock': '调整库存',
  'staff.create': '新建员工',
  'staff.deactivate': '停用员工',
  'reconciliation.run': '执行对账',
  'reconciliation.line.requery': '对账重新查询',
  'reconciliation.line.resolve': '对账差异处理',
  'after-sale.approve': '同意售后',
  'after-sale.refuse': '拒绝售后',
  'after-sale.receive': '确认收到退货',
  'product.photos': '管理商品图片',
  'webhook.create': '新建 Webhook',
  'webhook.update': '修改 Webhook',
  'webhook.delete': '删除 Webhook',
  'webhook.rotate-secret': '轮换 Webhook 密钥',
  'webhook.resend': '重发 Webhook',
  'access.denied': '越权操作被拒绝',
};

export function labelOf(table: Record<string, string>, key: string): string {
  return table[key] ?? key;
}

/** How a buyer is named in lists: nickname, else Alipay user id, else open id. */
export function buyerName(buyer: AdminBuyer): string {
  return buyer.nickname ?? buyer.alipayUserId ?? buyer.alipayOpenId ?? buyer.userId;
}
