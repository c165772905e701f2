import type { AfterSaleStatus } from '@shop/contract';
import { defineMachine } from '../../lib/state-machine';

/**
 * The after-sale request's state machine as data, beside the order's and the refund's. Every status change goes
 * through `guardedTransition` with this table (in service.ts), so two approvals, or an approval racing the
 * shopper's cancel, move a request once.
 *
 * REQUESTED --approve (refund only)--> REFUNDING --refund succeeded--> REFUNDED
 *           --approve (return)-------> AWAITING_RETURN --tracking no.--> RETURN_SHIPPED --receipt--> REFUNDING
 * REFUNDING --refund failed--> REFUND_FAILED --approve again--> REFUNDING
 * REQUESTED / AWAITING_RETURN --shopper--> CANCELLED; REQUESTED / RETURN_SHIPPED / REFUND_FAILED --merchant--> REFUSED
 */
export const AFTER_SALE_MACHINE = defineMachine<AfterSaleStatus>('AfterSale', {
  REQUESTED: ['REFUNDING', 'AWAITING_RETURN', 'REFUSED', 'CANCELLED'],
  AWAITING_RETURN: ['RETURN_SHIPPED', 'CANCELLED'],
  RETURN_SHIPPED: ['REFUNDING', 'REFUSED'],
  REFUNDING: ['REFUNDED', 'REFUND_FAILED'],
  REFUND_FAILED: ['REFUNDING', 'REFUSED'],
  REFUNDED: [],
  REFUSED: [],
  CANCELLED: [],
});
