import { formatFen, type OrderStatus, type OrderTimelineEntry } from '@shop/contract';

/** How orders read to a shopper: status words, the list's tabs, timeline lines and the payment countdown. */

export const STATUS_TEXT: Record<OrderStatus, string> = {
  PENDING_PAYMENT: '待付款',
  PAID: '待发货',
  SHIPPED: '待收货',
  COMPLETED: '已完成',
  CLOSED: '已关闭',
  REFUNDED: '已退款',
};

/**
 * The orders page's tabs, each one API query: `status` undefined is 全部; 退款/售后 lists every order with a refund,
 * partial or pending included, whatever its status (`refunds=true`), as popular shops do.
 */
export interface OrderTab {
  key: string;
  label: string;
  status?: OrderStatus;
  refunds?: true;
}

export const REFUND_TAB_KEY = 'REFUND';

export const ORDER_TABS: readonly OrderTab[] = [
  { key: 'all', label: '全部' },
  { key: 'PENDING_PAYMENT', label: '待付款', status: 'PENDING_PAYMENT' },
  { key: 'PAID', label: '待发货', status: 'PAID' },
  { key: 'SHIPPED', label: '待收货', status: 'SHIPPED' },
  { key: 'COMPLETED', label: '已完成', status: 'COMPLETED' },
  { key: 'CLOSED', label: '已关闭', status: 'CLOSED' },
  { key: REFUND_TAB_KEY, label: '退款/售后', refunds: true },
];

/**
 * The tab a link asks for: `?tab=<key>`, or `?status=<status>` as older links say it (REFUNDED meant the refund
 * tab); anything else is 全部.
 */
export function tabFor(params: { tab?: string; status?: string }): OrderTab {
  const key = params.tab ?? (params.status === 'REFUNDED' ? REFUND_TAB_KEY : params.status);
  return ORDER_TABS.find((tab) => tab.key === key) ?? (ORDER_TABS[0] as OrderTab);
}

/**
 * What an order's amount is called, as popular Chinese shops label it: what is to be paid (应付) while unpaid, what
 * was paid (实付) once paid, and only the order's amount (订单金额) when it closed without payment. `long` is the
 * detail page's wording (应付款 / 实付款).
 */
export function amountLabel(status: OrderStatus, form: 'short' | 'long' = 'short'): string {
  if (status === 'PENDING_PAYMENT') return form === 'long' ? '应付款' : '应付';
  if (status === 'CLOSED') return '订单金额';
  return form === 'long' ? '实付款' : '实付';
}

/** "已退款 ¥10.00", "退款中 ¥5.00", or both; null without any refund. */
export function refundSummary(order: { refundedFen: number; refundPendingFen: number }): string | null {
  const parts = [
    order.refundedFen > 0 ? `已退款 ${formatFen(order.refundedFen)}` : null,
    order.refundPendingFen > 0 ? `退款中 ${formatFen(order.refundPendingFen)}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join('，') : null;
}

/** How the API names a buyer's own cancellation (`BUYER_CANCEL_REASON` in apps/api). */
const BUYER_CANCEL_REASON = '买家取消订单';

/**
 * The closing reason in words. The API's reasons are keys (and its own words for a buyer's cancel); none is shown
 * as it is, so a reason the shop does not know reads as a plain 订单已关闭.
 */
export function closeReasonText(reason: string | null): string | null {
  if (!reason) return null;
  if (reason === 'expired') return '超时未支付，订单已自动关闭';
  if (reason === 'trade-closed') return '支付宝交易已关闭';
  if (reason === BUYER_CANCEL_REASON) return '你已取消订单';
  return '订单已关闭';
}

const EVENT_TEXT: Record<string, string> = {
  CREATED: '订单已提交',
  PAID: '支付成功',
  SHIPPED: '商家已发货',
  COMPLETED: '交易完成',
  CANCELLED: '你取消了订单',
  PAID_AFTER_CLOSE: '订单关闭后收到付款，已原路退回',
  REFUND_REQUESTED: '商家发起退款',
  REFUND_SUCCEEDED: '退款成功',
  REFUND_FAILED: '退款未成功，商家正在处理',
  REFUND_OUTCOME_UNKNOWN: '退款处理中',
  REFUNDED: '已全额退款',
  RECEIVED: '你已确认收货',
  AUTO_COMPLETED: '超时自动确认收货',
  AFTER_SALE_REQUESTED: '你申请了售后',
  AFTER_SALE_APPROVED: '商家同意了售后申请',
  AFTER_SALE_REFUSED: '商家拒绝了售后申请',
  AFTER_SALE_CANCELLED: '你撤销了售后申请',
  AFTER_SALE_RETURN_SHIPPED: '你已寄回商品',
  AFTER_SALE_RETURN_RECEIVED: '商家已收到退货',
  AFTER_SALE_REFUNDED: '售后退款成功',
  AFTER_SALE_REFUND_FAILED: '售后退款未成功，商家正在处理',
};

/** Events whose note the shopper should read too (the merchant's reason for a refusal). */
const EVENTS_WITH_NOTE = new Set(['AFTER_SALE_REFUSED']);

/** Events about the payment's plumbing (trade created, sheet opened) mean nothing to a shopper. */
const HIDDEN_EVENTS = new Set(['PAYMENT_STARTED', 'PAYMENT_OPENED']);

export interface TimelineLine {
  at: string;
  text: string;
}

/** The shopper's timeline, newest first. */
export function timelineLines(entries: readonly OrderTimelineEntry[]): TimelineLine[] {
  return entries
    .filter((entry) => !HIDDEN_EVENTS.has(entry.type))
    .map((entry) => ({
      at: entry.at,
      text:
        entry.type === 'CLOSED'
          ? (closeReasonText(entry.note) ?? '订单已关闭')
          : EVENTS_WITH_NOTE.has(entry.type) && entry.note
            ? `${EVENT_TEXT[entry.type]}：${entry.note}`
            : (EVENT_TEXT[entry.type] ?? (entry.status ? STATUS_TEXT[entry.status] : '订单已更新')),
    }))
    .reverse();
}

/** "14:05" left to pay, or "1:02:03" past an hour; null once expired. */
export function countdownText(expiresAt: string, nowMs: number): string | null {
  const left = Math.floor((Date.parse(expiresAt) - nowMs) / 1000);
  if (!(left > 0)) return null;
  const hours = Math.floor(left / 3600);
  const minutes = Math.floor((left % 3600) / 60);
  const seconds = left % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

/** China time, as shoppers read it: "2026-11-21 14:05:09" (UTC+8 whatever the device's zone). */
export function chinaTime(iso: string): string {
  const date = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
  );
}
