import { AFTER_SALE_STATUSES, OPEN_AFTER_SALE_STATUSES } from '@shop/contract';
import { describe, expect, it } from 'vitest';
import { canTransition } from '../../lib/state-machine';
import { AFTER_SALE_MACHINE } from './state';

describe('after-sale state machine', () => {
  it('ends only in REFUNDED, REFUSED or CANCELLED, and every open status can still end', () => {
    const ends = AFTER_SALE_STATUSES.filter((s) => AFTER_SALE_MACHINE.transitions[s].length === 0);
    expect(ends.sort()).toEqual(['CANCELLED', 'REFUNDED', 'REFUSED']);
    for (const open of OPEN_AFTER_SALE_STATUSES)
      expect(AFTER_SALE_MACHINE.transitions[open].length).toBeGreaterThan(0);
  });

  it('lets the shopper cancel only before money moves, and the merchant refuse only before the refund is sent', () => {
    const cancellable = AFTER_SALE_STATUSES.filter((s) => canTransition(AFTER_SALE_MACHINE, s, 'CANCELLED'));
    expect(cancellable).toEqual(['REQUESTED', 'AWAITING_RETURN']);
    expect(canTransition(AFTER_SALE_MACHINE, 'REFUNDING', 'REFUSED')).toBe(false);
    expect(canTransition(AFTER_SALE_MACHINE, 'AWAITING_RETURN', 'REFUNDING')).toBe(false);
  });
});
