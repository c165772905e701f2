import type { DeliveryStatus } from '@shop/db';
import { defineMachine } from '../../lib/state-machine';

/**
 * A delivery is PENDING until it is DELIVERED, given up (FAILED: its retry window ended, or the destination refused
 * it for good) or found to have nothing to send (SKIPPED: the shopper had not agreed to that message). An owner may
 * send a delivered or failed webhook again by hand, which makes it PENDING once more.
 */
export const DELIVERY_MACHINE = defineMachine<DeliveryStatus>('OutboxDelivery', {
  PENDING: ['DELIVERED', 'FAILED', 'SKIPPED'],
  DELIVERED: ['PENDING'],
  FAILED: ['PENDING'],
  SKIPPED: [],
});
