import type { OrderStatus } from '@shop/contract';
import { defineMachine } from '../../lib/state-machine';

/**
 * The order state machine as data (DESIGN.md, "States"). Every status change goes through `transitionOrder`: the
 * machine's guarded update (`WHERE status = from`) whose row count is checked, written with an OrderEvent row.
 */
export const ORDER_MACHINE = defineMachine<OrderStatus>('Order', {
  PENDING_PAYMENT: ['PAID', 'CLOSED'],
  PAID: ['SHIPPED', 'REFUNDED'],
  SHIPPED: ['COMPLETED', 'REFUNDED'],
  COMPLETED: ['REFUNDED'],
  CLOSED: [],
  REFUNDED: [],
});

/** Statuses in which money has been received and may be refunded. */
export const REFUNDABLE_STATUSES: readonly OrderStatus[] = ['PAID', 'SHIPPED', 'COMPLETED'];
