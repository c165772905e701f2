import { orderLeaseKey, type JobLeases } from '../../jobs/leases';
import { closeOrderWithTrade } from './close.service';
import { CLOSE_REASON, JOB_BATCH_SIZE, type PaymentDeps } from './settings';

/**
 * The expiry job: pending orders past `expiresAt` are closed the safe way (closeOrderWithTrade: the Alipay trade is
 * closed first; a trade found paid makes the order PAID instead; an unknown outcome waits for the next pass).
 *
 * Two API processes may run this at once: each order is closed under its lease (jobs/leases.ts), so two processes
 * (or this job and payment recovery) never close or query one order at the same moment, and a process that dies
 * mid-close leaves the order to the others once its lease runs out. Under it, the close re-reads the order, and the
 * order's close is a guarded transition that returns the stock exactly once; the close at Alipay is harmless to
 * repeat (the second one finds the trade closed and asks, which confirms it).
 */

export interface ExpiryStats extends Record<string, number> {
  due: number;
  closed: number;
  paid: number;
  unknown: number;
  /** Orders skipped because another process (or job) held their lease. */
  leased: number;
}

export async function runExpiry(
  deps: PaymentDeps & { leases: JobLeases },
  now: Date = new Date(),
): Promise<ExpiryStats> {
  const stats: ExpiryStats = { due: 0, closed: 0, paid: 0, unknown: 0, leased: 0 };
  const due = await deps.db.order.findMany({
    where: { status: 'PENDING_PAYMENT', expiresAt: { lte: now } },
    select: { id: true },
    orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
    take: JOB_BATCH_SIZE,
  });
  stats.due = due.length;
  for (const { id } of due) {
    const leased = await deps.leases.withLease('order-expiry', orderLeaseKey(id), async () => {
      try {
        const closed = await closeOrderWithTrade(deps, id, {
          reason: CLOSE_REASON.expired,
          actorType: 'system',
          eventType: 'EXPIRED',
        });
        if (closed.result === 'closed') stats.closed++;
        if (closed.result === 'paid') stats.paid++;
        if (closed.result === 'unknown') stats.unknown++;
      } catch (error) {
        deps.logger.error({ err: error, orderId: id }, 'closing an expired order failed; retried next pass');
      }
    });
    if (!leased.taken) stats.leased++;
  }
  return stats;
}
