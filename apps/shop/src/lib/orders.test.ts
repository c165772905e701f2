import { describe, expect, it } from 'vitest';

import {
  amountLabel,
  chinaTime,
  closeReasonText,
  countdownText,
  ORDER_TABS,
  refundSummary,
  STATUS_TEXT,
  tabFor,
  timelineLines,
} from './orders';

describe('orders as shoppers read them', () => {
  it('has 全部, a tab for every status on its way, and 退款/售后 for every order with a refund', () => {
    expect(ORDER_TABS.map((t) => t.label)).toEqual([
      '全部',
      '待付款',
      '待发货',
      '待收货',
      '已完成',
      '已关闭',
      '退款/售后',
    ]);
    expect(ORDER_TABS[0]).toEqual({ key: 'all', label: '全部' });
    // REFUNDED has no tab of its own: those orders are in 退款/售后 with the partly refunded ones.
    expect(ORDER_TABS.map((t) => t.status).filter(Boolean)).toEqual(
      Object.keys(STATUS_TEXT).filter((s) => s !== 'REFUNDED'),
    );
    expect(ORDER_TABS.at(-1)).toEqual({ key: 'REFUND', label: '退款/售后', refunds: true });
  });

  it('opens the tab a link asks for, old ?status= links included', () => {
    expect(tabFor({ tab: 'SHIPPED' }).status).toBe('SHIPPED');
    expect(tabFor({ tab: 'REFUND' }).refunds).toBe(true);
    expect(tabFor({ status: 'REFUNDED' }).key).toBe('REFUND');
    expect(tabFor({ status: 'PAID' }).key).toBe('PAID');
    expect(tabFor({ tab: 'nonsense' }).key).toBe('all');
    expect(tabFor({}).key).toBe('all');
  });

  it('names the amount by what it is: 应付 unpaid, 订单金额 closed unpaid, 实付 once paid', () => {
    expect(amountLabel('PENDING_PAYMENT')).toBe('应付');
    expect(amountLabel('PENDING_PAYMENT', 'long')).toBe('应付款');
    expect(amountLabel('CLOSED')).toBe('订单金额');
    expect(amountLabel('CLOSED', 'long')).toBe('订单金额');
    for (const status of ['PAID', 'SHIPPED', 'COMPLETED', 'REFUNDED'] as const) {
      expect(amountLabel(status)).toBe('实付');
      expect(amountLabel(status, 'long')).toBe('实付款');
    }
  });

  it('sums up refunds done and pending, and says nothing without any', () => {
    expect(refundSummary({ refundedFen: 0, refundPendingFen: 0 })).toBeNull();
    expect(refundSummary({ refundedFen: 1050, refundPendingFen: 0 })).toBe('已退款 ¥10.50');
    expect(refundSummary({ refundedFen: 0, refundPendingFen: 500 })).toBe('退款中 ¥5.00');
    expect(refundSummary({ refundedFen: 100, refundPendingFen: 200 })).toBe('已退款 ¥1.00，退款中 ¥2.00');
  });

  it('words closing reasons and never shows one it does not know', () => {
    expect(closeReasonText(null)).toBeNull();
    expect(closeReasonText('expired')).toBe('超时未支付，订单已自动关闭');
    expect(closeReasonText('trade-closed')).toBe('支付宝交易已关闭');
    expect(closeReasonText('买家取消订单')).toBe('你已取消订单');
    expect(closeReasonText('closed by an operator script')).toBe('订单已关闭');
  });

  it('counts down to expiry and stops at zero', () => {
    const now = Date.parse('2026-11-21T06:00:00.000Z');
    expect(countdownText('2026-11-21T06:14:05.000Z', now)).toBe('14:05');
    expect(countdownText('2026-11-21T07:02:03.900Z', now)).toBe('1:02:03');
    expect(countdownText('2026-11-21T06:00:00.500Z', now)).toBeNull();
    expect(countdownText('2026-11-21T05:59:00.000Z', now)).toBeNull();
  });

  it('shows times in China time', () => {
    expect(chinaTime('2026-11-21T16:05:09.000Z')).toBe('2026-11-22 00:05:09');
  });

  it('tells the timeline newest first, without payment plumbing, with closing reasons in words', () => {
    const at = (m: number) => `2026-11-21T06:${String(m).padStart(2, '0')}:00.000Z`;
    const lines = timelineLines([
      { type: 'CREATED', status: 'PENDING_PAYMENT', at: at(0), note: '' },
      { type: 'PAYMENT_STARTED', status: null, at: at(1), note: '' },
      { type: 'CLOSED', status: 'CLOSED', at: at(15), note: 'expired' },
      { type: 'SOMETHING_NEW', status: null, at: at(16), note: 'x' },
    ]);
    expect(lines.map((l) => l.text)).toEqual(['订单已更新', '超时未支付，订单已自动关闭', '订单已提交']);
  });
});
