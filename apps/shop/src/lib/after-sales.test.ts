import type { AfterSaleView } from '@shop/contract';
import { describe, expect, it } from 'vitest';

import { canApply, isOpen, kindsFor, latestByOrder } from './after-sales';

describe('after-sales words and rules', () => {
  it('offers after-sales on paid, shipped and completed orders, and returns only after shipping', () => {
    expect(
      ['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPLETED', 'CLOSED', 'REFUNDED'].filter((s) =>
        canApply(s as never),
      ),
    ).toEqual(['PAID', 'SHIPPED', 'COMPLETED']);
    expect(kindsFor('PAID')).toEqual(['REFUND_ONLY']);
    expect(kindsFor('SHIPPED')).toEqual(['REFUND_ONLY', 'RETURN_REFUND']);
  });

  it('keeps the newest request of each order', () => {
    const at = (orderId: string, createdAt: string, status: AfterSaleView['status']) =>
      ({ orderId, createdAt, status }) as AfterSaleView;
    const latest = latestByOrder([
      at('a', '2026-12-01T00:00:00.000Z', 'REFUSED'),
      at('a', '2026-12-02T00:00:00.000Z', 'REFUNDED'),
      at('b', '2026-12-01T00:00:00.000Z', 'REQUESTED'),
    ]);
    expect(latest.get('a')?.status).toBe('REFUNDED');
    expect(isOpen(latest.get('b')!)).toBe(true);
    expect(isOpen(latest.get('a')!)).toBe(false);
  });
});
