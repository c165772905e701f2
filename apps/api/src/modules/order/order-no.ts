import { randomInt } from 'node:crypto';
import { formatChinaTime } from '@shop/alipay';

/** Random digits after the timestamp: a million numbers per second before a collision is even possible. */
const RANDOM_DIGITS = 6;

/**
 * Our order number, also Alipay's out_trade_no (letters, digits and underscore, at most 64 characters): the China
 * time of creation, `yyyyMMddHHmmss`, then random digits, 20 digits in all. Readable by support staff ("placed on
 * the 21st at 22:37") and sortable; the unique index on Order.orderNo, with a retry on collision, makes it unique.
 */
export function newOrderNo(now: Date = new Date()): string {
  const stamp = formatChinaTime(now).replace(/\D/g, '');
  return stamp + String(randomInt(0, 10 ** RANDOM_DIGITS)).padStart(RANDOM_DIGITS, '0');
}

export const ORDER_NO_PATTERN = /^\d{20}$/;
