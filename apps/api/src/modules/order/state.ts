import type { OrderStatus } from '@shop/contract';

/**
 * The order state machine as data (DESIGN.md, "States"). Every status change goes through `assertTransition` and a
 * guarded update (`WHERE status = from`) whose row count is checked, written with an OrderEvent row.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING_PAYMENT: ['PAID', 'CLOSED'],
  PAID: ['SHIPPED', 'REFUNDED'],
  SHIPPED: ['COMPLETED', 'REFUNDED'],
  COMPLETED: ['REFUNDED'],
  CLOSED: [],
  REFUNDED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`an order cannot move from ${from} to ${to}`);
  }
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** Statuses in which money has been received and may be refunded. */
export const REFUNDABLE_STATUSES: readonly OrderStatus[] = ['PAID', 'SHIPPED', 'COMPLETED'];
