import {
  OPEN_AFTER_SALE_STATUSES,
  type AfterSaleKind,
  type AfterSaleStatus,
  type AfterSaleView,
  type OrderStatus,
} from '@shop/contract';

/** How after-sale requests read to a shopper (the words popular shops use). */

export const AFTER_SALE_STATUS_TEXT: Record<AfterSaleStatus, string> = {
  REQUESTED: '待商家处理',
  AWAITING_RETURN: '待寄回商品',
  RETURN_SHIPPED: '待商家收货',
  REFUNDING: '退款中',
  REFUNDED: '退款成功',
  REFUSED: '商家已拒绝',
  CANCELLED: '已撤销',
  REFUND_FAILED: '退款处理中',
};

export const AFTER_SALE_STATUS_HINT: Record<AfterSaleStatus, string> = {
  REQUESTED: '商家将尽快处理你的申请',
  AWAITING_RETURN: '商家已同意退货，请寄回商品并填写退货单号',
  RETURN_SHIPPED: '商家收到退货后将为你退款',
  REFUNDING: '退款已提交支付宝，请留意到账',
  REFUNDED: '款项已原路退回你的支付宝',
  REFUSED: '如有疑问，可联系商家',
  CANCELLED: '你已撤销本次申请',
  REFUND_FAILED: '退款暂未成功，商家正在处理',
};

export const AFTER_SALE_KIND_TEXT: Record<AfterSaleKind, string> = {
  REFUND_ONLY: '仅退款',
  RETURN_REFUND: '退货退款',
};

export function isOpen(request: Pick<AfterSaleView, 'status'>): boolean {
  return OPEN_AFTER_SALE_STATUSES.includes(request.status);
}

/** Orders a shopper may ask after-sales on: paid, shipped or completed (the API says the same). */
export function canApply(status: OrderStatus): boolean {
  return status === 'PAID' || status === 'SHIPPED' || status === 'COMPLETED';
}

/** The kinds an order allows: a return only once the goods were shipped. */
export function kindsFor(status: OrderStatus): AfterSaleKind[] {
  return status === 'PAID' ? ['REFUND_ONLY'] : ['REFUND_ONLY', 'RETURN_REFUND'];
}

/** The newest request of each order, for the 退款/售后 tab's cards. */
export function latestByOrder(items: readonly AfterSaleView[]): Map<string, AfterSaleView> {
  const latest = new Map<string, AfterSaleView>();
  for (const item of items) {
    const seen = latest.get(item.orderId);
    if (!seen || seen.createdAt < item.createdAt) latest.set(item.orderId, item);
  }
  return latest;
}
