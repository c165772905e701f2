import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, IllegalTransitionError } from '../../lib/state-machine';
import { PAYMENT_MACHINE, REFUND_MACHINE } from './state';

describe('payment state machine', () => {
  it.each([
    ['CREATED', 'OPEN'],
    ['CREATED', 'PAID'],
    ['CREATED', 'CLOSED'],
    ['OPEN', 'PAID'],
    ['OPEN', 'CLOSED'],
    ['CLOSED', 'PAID'],
  ] as const)('allows %s -> %s', (from, to) => {
    expect(() => assertTransition(PAYMENT_MACHINE, from, to)).not.toThrow();
  });

  it.each([
    ['PAID', 'OPEN'],
    ['PAID', 'CLOSED'],
    ['PAID', 'CREATED'],
    ['OPEN', 'CREATED'],
    ['CLOSED', 'OPEN'],
  ] as const)('refuses %s -> %s', (from, to) => {
    expect(() => assertTransition(PAYMENT_MACHINE, from, to)).toThrow(IllegalTransitionError);
  });

  it('ends at PAID, and nothing goes back to an intent', () => {
    expect(PAYMENT_MACHINE.transitions.PAID).toEqual([]);
    for (const from of ['CREATED', 'OPEN', 'PAID', 'CLOSED'] as const) {
      expect(canTransition(PAYMENT_MACHINE, from, 'CREATED')).toBe(false);
      expect(canTransition(PAYMENT_MACHINE, from, from)).toBe(false);
    }
  });
});

describe('refund state machine', () => {
  it.each([
    ['PENDING', 'UNKNOWN'],
    ['PENDING', 'SUCCEEDED'],
    ['PENDING', 'FAILED'],
    ['UNKNOWN', 'SUCCEEDED'],
    ['UNKNOWN', 'FAILED'],
    ['FAILED', 'SUCCEEDED'],
  ] as const)('allows %s -> %s', (from, to) => {
    expect(() => assertTransition(REFUND_MACHINE, from, to)).not.toThrow();
  });

  it.each([
    ['SUCCEEDED', 'FAILED'],
    ['SUCCEEDED', 'PENDING'],
    ['FAILED', 'PENDING'],
    ['UNKNOWN', 'PENDING'],
    ['FAILED', 'UNKNOWN'],
  ] as const)('refuses %s -> %s', (from, to) => {
    expect(() => assertTransition(REFUND_MACHINE, from, to)).toThrow(IllegalTransitionError);
  });

  it('never leaves SUCCEEDED: a refund that moved money stays moved', () => {
    expect(REFUND_MACHINE.transitions.SUCCEEDED).toEqual([]);
  });
});
