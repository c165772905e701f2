import type { OrderStatus, OrderTimelineEntry } from '@shop/contract';

/** How orders read to a shopper: status words, the list's tabs, timeline lines and the payment countdown. */

export const STATUS_TEXT: Record<OrderStatus, string> = {
  PENDING_PAYMENT: '待付款',
  PAID: '待发货',
  SHIPPED: '待收货',
  COMPLETED: '已完成',
  CLOSED: '已关闭',
  REFUNDED: '已退款',
};

/** The orders page's tabs; `status` undefined is 全部. One tab per status keeps each tab one API query. */
export const ORDER_TABS: ReadonlyArray<{ key: string; label: string; status?: OrderStatus }> = [
  { key: 'all', label: '全部' },
  { key: 'PENDING_PAYMENT', label: '待付款', status: 'PENDING_PAYMENT' },
  { key: 'PAID', label: '待发货', status: 'PAID' },
  { key: 'SHIPPED', label: '待收货', status: 'SHIPPED' },
  { key: 'COMPLETED', label: '已完成', status: 'COMPLETED' },
  { key: 'CLOSED', label: '已关闭', status: 'CLOSED' },
  { key: 'REFUNDED', label: '退款', status: 'REFUNDED' },
];

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(STATUS_TEXT, value);
}

/** The closing reason in words (the API stores the buyer's cancel in Chinese and the others as keys). */
export function closeReasonText(reason: string | null): string | null {
  if (!reason) return null;
  if (reason === 'expired') return '超时未支付，订单已自动关闭';
  if (reason === 'trade-closed') return '支付宝交易已关闭';
  return reason;
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
};

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
