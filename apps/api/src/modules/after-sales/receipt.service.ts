import { OPEN_AFTER_SALE_STATUSES, type OrderView } from '@shop/contract';
import { readDate } from '@shop/db';
import { sql } from '../../db';
import { orderLeaseKey, type JobLeases } from '../../jobs/leases';
import { AppError, notFound } from '../../errors';
import { transitionOrder } from '../order/transition';
import { getOrderView, type OrderReadDeps } from '../order/view';

/*
 * A shipped order completes when the shopper confirms receipt (确认收货), or by itself AUTO_COMPLETE_DAYS after it
 * was shipped, as Taobao and JD do. Both are the guarded SHIPPED -> COMPLETED transition with its event, so a
 * shopper's tap racing the job, or two API processes running the job, complete an order once.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The shopper confirms a shipped order received. Confirming a completed order again answers with it. */
export async function confirmReceived(
  deps: OrderReadDeps,
  input: { userId: string; orderId: string },
): Promise<OrderView> {
  await sql(deps.db).transaction(async (tx) => {
    const owner = await tx.get<{ userId: string }>(
      'SELECT "userId" FROM "Order" WHERE "id" = ?',
      input.orderId,
    );
    if (owner?.userId !== input.userId) throw notFound('Order');
    const result = await transitionOrder(tx, {
      orderId: input.orderId,
      from: ['SHIPPED'],
      to: 'COMPLETED',
      event: { type: 'RECEIVED', actorType: 'user', actorId: input.userId, reason: '买家确认收货' },
      set: { completedAt: new Date() },
    });
    if (!result.changed && result.current !== 'COMPLETED') {
      throw new AppError(
        'ORDER_STATE_CONFLICT',
        `Only a shipped order can be received; this one is ${result.current}`,
        {
          details: { status: result.current },
        },
      );
    }
  });
  return getOrderView(deps, input.userId, input.orderId);
}

/**
 * One pass of the auto-complete job: shipped orders older than `afterDays` with no open after-sale request (a
 * request pauses the clock, as shops do) become COMPLETED. Each order is claimed by its own guarded transition:
 * of two processes the one whose update moved it writes the event; the other finds it moved and does nothing.
 * Returns how many orders this pass completed.
 */
export async function runAutoComplete(
  deps: Pick<OrderReadDeps, 'db'> & { leases: JobLeases },
  afterDays: number,
  now: Date = new Date(),
  batch = 50,
): Promise<number> {
  const cutoff = new Date(now.getTime() - afterDays * DAY_MS);
  const due = await sql(deps.db).read((q) =>
    q.all<{ id: string; shippedAt: string | Date }>(
      `SELECT "id", "shippedAt" FROM "Order" o WHERE o."status" = 'SHIPPED' AND o."shippedAt" <= ?
         AND NOT EXISTS (SELECT 1 FROM "AfterSale" a WHERE a."orderId" = o."id"
           AND a."status" IN (${OPEN_AFTER_SALE_STATUSES.map(() => '?').join(', ')}))
       ORDER BY o."shippedAt" ASC LIMIT ?`,
      cutoff,
      ...OPEN_AFTER_SALE_STATUSES,
      batch,
    ),
  );
  let completed = 0;
  for (const order of due) {
    // Under the order's lease like every job's item (jobs/leases.ts); the guarded transition alone would already
    // complete it once.
    const leased = await deps.leases.withLease('order-auto-complete', orderLeaseKey(order.id), () =>
      sql(deps.db).transaction(async (tx) => {
        const result = await transitionOrder(tx, {
          orderId: order.id,
          from: ['SHIPPED'],
          to: 'COMPLETED',
          event: {
            type: 'AUTO_COMPLETED',
            actorType: 'system',
            reason: `发货${afterDays}天后自动确认收货`,
            data: { shippedAt: readDate(order.shippedAt).toISOString() },
          },
          set: { completedAt: now },
        });
        return result.changed;
      }),
    );
    if (leased.taken && leased.value) completed += 1;
  }
  return completed;
}
