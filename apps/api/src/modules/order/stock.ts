import type { SyncTx } from '@shop/db';
import type { Tx } from '../../db';
import { AppError } from '../../http/errors';
import { transitionOrder, type ActorType, type TransitionResult } from './transition';

export interface StockLine {
  skuId: string;
  quantity: number;
}

/**
 * Reserves stock with a guarded decrement (`stock >= qty`) per SKU, inside the order's (synchronous) transaction. A
 * line that does not fit throws OUT_OF_STOCK and the transaction rolls back every earlier decrement: no oversell, no
 * leak.
 */
export function reserveStock(tx: SyncTx, lines: readonly StockLine[], now: Date = new Date()): void {
  // A stable order of updates keeps concurrent transactions from different processes from deadlocking.
  const sorted = [...lines].sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
  for (const line of sorted) {
    const changed = tx.run(
      'UPDATE "Sku" SET "stock" = "stock" - ?, "updatedAt" = ? WHERE "id" = ? AND "stock" >= ?',
      line.quantity,
      now,
      line.skuId,
      line.quantity,
    );
    if (changed !== 1) {
      throw new AppError('OUT_OF_STOCK', 'Not enough stock for one of the items', {
        details: { skuId: line.skuId, requested: line.quantity },
      });
    }
  }
}

/** Puts an order's reserved units back. Call only as part of the transition that closes the order. */
async function releaseStock(tx: Tx, orderId: string): Promise<void> {
  const items = await tx.orderItem.findMany({ where: { orderId }, select: { skuId: true, quantity: true } });
  for (const item of items) {
    await tx.sku.update({ where: { id: item.skuId }, data: { stock: { increment: item.quantity } } });
  }
}

/**
 * Closes a pending order and returns its stock, exactly once: the stock moves only when this call's guarded
 * transition is the one that happened, so a concurrent second cancel (or the expiry job racing a cancel) is a no-op.
 */
export async function closePendingOrder(
  tx: Tx,
  orderId: string,
  options: { reason: string; actorType: ActorType; actorId?: string | null; type?: string },
): Promise<TransitionResult> {
  const now = new Date();
  const result = await transitionOrder(tx, {
    orderId,
    from: ['PENDING_PAYMENT'],
    to: 'CLOSED',
    set: { closedAt: now, closeReason: options.reason },
    event: {
      type: options.type ?? 'CLOSED',
      actorType: options.actorType,
      actorId: options.actorId ?? null,
      reason: options.reason,
    },
  });
  if (result.changed) await releaseStock(tx, orderId);
  return result;
}
