import type { Job } from '../../jobs/scheduler';
import { sql } from '../../db';
import type { AfterSaleDeps } from './service';
import { sendRefund } from './service';
import { runAutoComplete } from './receipt.service';

/**
 * Approved requests whose refund is not settled yet: one whose process died before the refund was written is sent
 * again with the same key (requestRefund finds the first refund, if any), and one whose refund the payment recovery
 * job has since settled moves to REFUNDED or REFUND_FAILED. Returns how many requests it looked at.
 */
export async function runAfterSaleRefunds(
  deps: AfterSaleDeps,
  now: Date = new Date(),
  graceMs = 30_000,
): Promise<number> {
  const rows = await sql(deps.db).read((q) =>
    q.all<{ id: string }>(
      `SELECT "id" FROM "AfterSale" WHERE "status" = 'REFUNDING' AND ("refundId" IS NOT NULL OR "updatedAt" <= ?)
       ORDER BY "updatedAt" ASC LIMIT 50`,
      new Date(now.getTime() - graceMs),
    ),
  );
  for (const row of rows) {
    try {
      await sendRefund(deps, row.id);
    } catch (error) {
      deps.logger.error(
        { err: error, afterSaleId: row.id },
        'after-sale refund failed; the next pass retries it',
      );
    }
  }
  return rows.length;
}

export function afterSaleJobs(deps: AfterSaleDeps): Job[] {
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
