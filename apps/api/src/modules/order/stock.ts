import { MAX_STOCK } from '@shop/contract';
import { newId, type SqlTx, type StockAdjustment } from '@shop/db';
import { AppError } from '../../errors';
import { transitionOrder, type ActorType, type TransitionResult } from './transition';

/*
 * Every write to a SKU's stock, in one place: reserving it for an order, returning it when the order closes, and the
 * merchant's adjustments. Each is one guarded UPDATE, so concurrent orders, closes and adjustments, in any number of
 * processes, never overwrite each other and stock never goes below zero.
 */

export interface StockLine {
  skuId: string;
  quantity: number;
}

/**
 * Reserves stock with a guarded decrement (`stock >= qty`) per SKU, inside the order's transaction. A line that does
 * not fit throws OUT_OF_STOCK and the transaction rolls back every earlier decrement: no oversell, no leak.
 */
export async function reserveStock(
  tx: SqlTx,
  lines: readonly StockLine[],
  now: Date = new Date(),
): Promise<void> {
  for (const line of sortedBySku(lines)) {
    const changed = await tx.run(
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

/** Puts an order's reserved units back. Called only by the transition that closes the order (closePendingOrder). */
async function releaseStock(tx: SqlTx, orderId: string, now: Date): Promise<void> {
  const items = await tx.all<StockLine>(
    'SELECT "skuId", "quantity" FROM "OrderItem" WHERE "orderId" = ?',
    orderId,
  );
  for (const item of sortedBySku(items)) {
    await tx.run(
      'UPDATE "Sku" SET "stock" = "stock" + ?, "updatedAt" = ? WHERE "id" = ?',
      item.quantity,
      now,
      item.skuId,
    );
  }
}

/**
 * A stable order of updates: two transactions that touch the same SKUs lock them in the same order, so on PostgreSQL
 * they queue instead of deadlocking (and on SQLite it changes nothing).
 */
function sortedBySku(lines: readonly StockLine[]): StockLine[] {
  return [...lines].sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
}

/**
 * Closes a pending order and returns its stock, exactly once: the stock moves only when this call's guarded
 * transition is the one that happened, so a concurrent second cancel (or the expiry job racing a cancel) is a no-op.
 */
export async function closePendingOrder(
  tx: SqlTx,
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
  if (result.changed) await releaseStock(tx, orderId, now);
  return result;
}

export type StockAdjustmentResult =
  | { ok: true; adjustment: StockAdjustment }
  | { ok: false; stock: number; reason: 'below-zero' | 'above-max' };

/**
 * Adds `deltaQty` to a SKU's stock (negative removes) with one guarded UPDATE (`stock + delta BETWEEN 0 AND
 * MAX_STOCK`) and writes the StockAdjustment row with the stock after it. Returns why it did not fit otherwise.
 */
export async function adjustStock(
  tx: SqlTx,
  input: { skuId: string; deltaQty: number; reason: string; adminId: string | null },
): Promise<StockAdjustmentResult> {
  const { skuId, deltaQty } = input;
  const changed = await tx.run(
    'UPDATE "Sku" SET "stock" = "stock" + ?, "updatedAt" = ? WHERE "id" = ? AND "stock" >= ? AND "stock" <= ?',
    deltaQty,
    new Date(),
    skuId,
    Math.max(0, -deltaQty),
    MAX_STOCK - Math.max(0, deltaQty),
  );
  const row = await tx.get<{ stock: number }>('SELECT "stock" FROM "Sku" WHERE "id" = ?', skuId);
  if (!row) throw new Error(`SKU ${skuId} disappeared during a stock adjustment`);
  if (changed !== 1)
    return { ok: false, stock: row.stock, reason: deltaQty < 0 ? 'below-zero' : 'above-max' };
  // Id and time are taken while this transaction holds the SKU's row, so the adjustments of one SKU sort in the order
  // they happened, each stockAfter the one before plus its delta.
  const adjustment: StockAdjustment = {
    id: newId(),
    skuId,
    deltaQty,
    stockAfter: row.stock,
    reason: input.reason,
    adminId: input.adminId,
    createdAt: new Date(),
  };
  await tx.insert('StockAdjustment', adjustment);
  return { ok: true, adjustment };
}
