import { describe, expect, it } from 'vitest';

import { chinaTime, countdownText, ORDER_TABS, STATUS_TEXT, timelineLines } from './orders';

describe('orders as shoppers read them', () => {
  it('has a tab for every status plus 全部', () => {
    expect(ORDER_TABS.map((t) => t.status).filter(Boolean)).toEqual(Object.keys(STATUS_TEXT));
    expect(ORDER_TABS[0]).toEqual({ key: 'all', label: '全部' });
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
