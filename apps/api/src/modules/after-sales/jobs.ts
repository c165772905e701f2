import { orderLeaseKey, type JobLeases } from '../../jobs/leases';
import type { Job } from '../../jobs/scheduler';
import { sql } from '../../db';
import type { AfterSaleDeps } from './service';
import { sendRefund } from './service';
import { runAutoComplete } from './receipt.service';

/**
 * Approved requests whose refund is not settled yet: one whose process died before the refund was written is sent
 * again with the same key (requestRefund finds the first refund, if any), and one whose refund the payment recovery
 * job has since settled moves to REFUNDED or REFUND_FAILED. Each request is handled under its order's lease
 * (jobs/leases.ts), so two processes never refund one order at the same moment. Returns how many requests it looked
 * at (under a lease).
 */
export async function runAfterSaleRefunds(
  deps: AfterSaleDeps & { leases: JobLeases },
  now: Date = new Date(),
  graceMs = 30_000,
): Promise<number> {
  const rows = await sql(deps.db).read((q) =>
    q.all<{ id: string; orderId: string }>(
      `SELECT "id", "orderId" FROM "AfterSale" WHERE "status" = 'REFUNDING' AND ("refundId" IS NOT NULL OR "updatedAt" <= ?)
       ORDER BY "updatedAt" ASC LIMIT 50`,
      new Date(now.getTime() - graceMs),
    ),
  );
  let looked = 0;
  for (const row of rows) {
    const leased = await deps.leases.withLease('after-sale-refunds', orderLeaseKey(row.orderId), async () => {
      try {
        await sendRefund(deps, row.id);
      } catch (error) {
        deps.logger.error(
          { err: error, afterSaleId: row.id },
          'after-sale refund failed; the next pass retries it',
        );
      }
    });
    if (leased.taken) looked += 1;
  }
  return looked;
}

export function afterSaleJobs(deps: AfterSaleDeps & { leases: JobLeases }): Job[] {
  return [
    {
      name: 'after-sale-refunds',
      intervalMs: deps.env.JOB_INTERVAL_MS,
      run: async () => ({ refunds: await runAfterSaleRefunds(deps) }),
    },
    {
      name: 'order-auto-complete',
      intervalMs: deps.env.JOB_INTERVAL_MS,
      run: async () => ({ completed: await runAutoComplete(deps, deps.env.AUTO_COMPLETE_DAYS) }),
    },
  ];
}
