import { describe, expect, it } from 'vitest';

import { outcomeOf, pendingMessage, pollBudget, shouldPoll } from './pay-result';

describe('the payment result rules', () => {
  it('keeps asking the server after codes where money may have moved, asks once otherwise', () => {
    for (const code of ['9000', '8000', '6004', undefined, '']) expect(shouldPoll(code)).toBe(true);
    for (const code of ['6001', '6002', '4000']) expect(shouldPoll(code)).toBe(false);
    expect(pollBudget('9000')).toBeGreaterThan(1);
    expect(pollBudget('6001')).toBe(1);
  });

  it('trusts only the order status: 9000 with a pending order is still pending', () => {
    expect(outcomeOf('PENDING_PAYMENT')).toBe('pending');
    expect(pendingMessage('9000').title).toBe('支付结果确认中');
    for (const status of ['PAID', 'SHIPPED', 'COMPLETED', 'REFUNDED'] as const)
      expect(outcomeOf(status)).toBe('paid');
    expect(outcomeOf('CLOSED')).toBe('closed');
  });

  it('words the pending state by the hint', () => {
    expect(pendingMessage('6001').hint).toContain('取消');
    expect(pendingMessage('4000').title).toBe('支付失败');
  });
});
