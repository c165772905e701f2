import type { OutboxEvent } from '@shop/db';
import { describe, expect, it } from 'vitest';
import { messageValues, type EventData, type OrderSnapshot } from './messages';
import { eventText } from './notifications.service';

// What a shopper's message and the admin's notification centre say about money: the same text as the shop's and
// the admin's pages (the contract's formatFen), so one order reads ¥3,299.00 everywhere.

const order: OrderSnapshot = {
  id: 'o1',
  orderNo: '20261206123456780001',
  status: 'PAID',
  totalFen: 329_900,
  refundedFen: 0,
  paidAt: '2026-12-06T02:03:04.000Z',
  shippedAt: null,
  carrier: null,
  trackingNo: null,
  items: [{ title: '降噪耳机', specText: '黑色', quantity: 1, unitPriceFen: 329_900 }],
};

const event: OutboxEvent = {
  id: 'e1',
  type: 'order.paid',
  orderId: order.id,
  userId: 'u1',
  dataJson: '{}',
  createdAt: new Date('2026-12-06T02:03:05.000Z'),
  dispatchedAt: null,
};

describe('amounts in messages and notifications', () => {
  it('writes a payment message amount with the thousands separator, in China time', () => {
    expect(messageValues('payment', event, { order })).toEqual([
      order.orderNo,
      '¥3,299.00',
      '2026-12-06 10:03:04',
      '降噪耳机',
    ]);
  });

  it('writes a refund message amount the same way', () => {
    const data: EventData = { order, amountFen: 123_456_789, reason: '不想要了' };
    expect(messageValues('refund', { ...event, type: 'refund.succeeded' }, data)[1]).toBe('¥1,234,567.89');
  });

  it('writes the notification centre amounts the same way', () => {
    expect(eventText('order.paid', { order })).toBe(`订单 ${order.orderNo} 已支付 ¥3,299.00`);
    expect(eventText('refund.succeeded', { order, amountFen: 100_000 })).toBe(
      `订单 ${order.orderNo} 退款 ¥1,000.00 已到账`,
    );
    expect(eventText('after_sale.requested', { order, amountFen: 5, reason: '破损' })).toBe(
      `订单 ${order.orderNo} 申请售后 ¥0.05：破损`,
    );
  });

  it('leaves out an amount that is not whole fen rather than print a wrong one', () => {
    expect(eventText('refund.succeeded', { order, amountFen: 12.5 })).toBe(
      `订单 ${order.orderNo} 退款  已到账`,
    );
  });
});
