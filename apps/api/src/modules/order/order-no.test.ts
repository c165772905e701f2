import { describe, expect, it } from 'vitest';
import { newOrderNo, ORDER_NO_PATTERN } from './order-no';

describe('newOrderNo', () => {
  it('starts with the China time of creation and is 20 digits', () => {
    // 2026-11-21T16:30:05Z is 2026-11-22 00:30:05 in China (UTC+8): the date rolls over.
    const orderNo = newOrderNo(new Date('2026-11-21T16:30:05Z'));
    expect(orderNo).toMatch(ORDER_NO_PATTERN);
    expect(orderNo.slice(0, 14)).toBe('20261122003005');
  });

  it('fits Alipay out_trade_no rules and rarely repeats within one second', () => {
    const now = new Date();
    const numbers = new Set(Array.from({ length: 1000 }, () => newOrderNo(now)));
    for (const n of numbers) expect(n).toMatch(/^[A-Za-z0-9_]{1,64}$/);
    expect(numbers.size).toBeGreaterThan(990);
  });
});
