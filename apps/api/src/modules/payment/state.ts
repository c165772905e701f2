import type { PaymentStatus, RefundStatus } from '@shop/db';
import { defineMachine } from '../../lib/state-machine';

/**
 * The payment and refund state machines as data, beside the order's (order/state.ts). Every status change of a
 * Payment or a Refund goes through `guardedTransition` with one of these, in payment.store.ts or refund.store.ts.
 */

/**
 * A payment is an intent (CREATED) until Alipay confirms its trade (OPEN); it ends PAID or CLOSED. A CLOSED payment
 * can still become PAID: Alipay may take a payment for a trade the shop closed (the order stays closed and the money
 * is refunded automatically, settle.ts).
 */
export const PAYMENT_MACHINE = defineMachine<PaymentStatus>('Payment', {
  CREATED: ['OPEN', 'PAID', 'CLOSED'],
  OPEN: ['PAID', 'CLOSED'],
  CLOSED: ['PAID'],
  PAID: [],
});

/**
 * A refund is written PENDING before the gateway call; an answer that never came makes it UNKNOWN (resolved by
 * query); Alipay's answer makes it SUCCEEDED or FAILED. A FAILED refund Alipay later reports as done becomes
 * SUCCEEDED: Alipay holds the money.
 */
export const REFUND_MACHINE = defineMachine<RefundStatus>('Refund', {
  PENDING: ['UNKNOWN', 'SUCCEEDED', 'FAILED'],
  UNKNOWN: ['SUCCEEDED', 'FAILED'],
  FAILED: ['SUCCEEDED'],
  SUCCEEDED: [],
});

/** Payments whose trade may still be paid at Alipay. */
export const OPEN_PAYMENT_STATUSES: readonly PaymentStatus[] = ['CREATED', 'OPEN'];

/** Refunds whose outcome at Alipay is not known yet. */
export const OPEN_REFUND_STATUSES: readonly RefundStatus[] = ['PENDING', 'UNKNOWN'];
