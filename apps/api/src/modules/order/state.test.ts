import { ORDER_STATUSES, type OrderStatus } from '@shop/contract';
import { describe, expect, it } from 'vitest';
import {
  assertTransition as assertMachine,
  canTransition as canMachine,
  IllegalTransitionError,
} from '../../lib/state-machine';
import { ORDER_MACHINE } from './state';

const ORDER_TRANSITIONS = ORDER_MACHINE.transitions;
const assertTransition = (from: OrderStatus, to: OrderStatus) => assertMachine(ORDER_MACHINE, from, to);
const canTransition = (from: OrderStatus, to: OrderStatus) => canMachine(ORDER_MACHINE, from, to);

describe('order state machine', () => {
  it.each([
    ['PENDING_PAYMENT', 'PAID'],
    ['PENDING_PAYMENT', 'CLOSED'],
    ['PAID', 'SHIPPED'],
    ['SHIPPED', 'COMPLETED'],
    ['PAID', 'REFUNDED'],
    ['SHIPPED', 'REFUNDED'],
    ['COMPLETED', 'REFUNDED'],
  ] as const)('allows %s -> %s', (from, to) => {
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each([
    ['PAID', 'PAID'],
    ['SHIPPED', 'PAID'],
    ['CLOSED', 'PAID'],
    ['REFUNDED', 'PAID'],
    ['PAID', 'PENDING_PAYMENT'],
    ['CLOSED', 'PENDING_PAYMENT'],
    ['PENDING_PAYMENT', 'SHIPPED'],
    ['PENDING_PAYMENT', 'REFUNDED'],
  ] as const)('refuses %s -> %s', (from, to) => {
    expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it('has terminal states with no way out and no way back to pending', () => {
    expect(ORDER_TRANSITIONS.CLOSED).toEqual([]);
    expect(ORDER_TRANSITIONS.REFUNDED).toEqual([]);
    for (const from of ORDER_STATUSES) {
      expect(canTransition(from, 'PENDING_PAYMENT')).toBe(false);
      expect(canTransition(from, from)).toBe(false);
    }
  });
});
