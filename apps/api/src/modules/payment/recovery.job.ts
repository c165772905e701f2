import type { OrderStatus } from '@shop/contract';
import { readDate, type Payment } from '@shop/db';
import { sql } from '../../db';
import { orderLeaseKey, type JobLeases } from '../../jobs/leases';
import { hasSubCode } from './gateway-log';
import { claimPaymentQuery, duePayments, endPaymentQueries, findPayment } from './payment.store';
import { resolveRefund, type RefundResolution } from './refund.service';
import { claimRefundQuery, dueRefunds } from './refund.store';
import { backoffMs, CLOSE_REASON, JOB_BATCH_SIZE, later, type PaymentDeps } from './settings';
import { closeOrderAndPayment } from './settle';
import { applyTradeState, queryTrade, type TradeSync } from './trade-sync';

/**
 * The recovery job: a lost notify must never lose a paid order, and an unknown refund must never stay unknown.
 *
 * Payments still open (or whose create outcome is unknown, or closed ones due a last look) are asked about with
 * alipay.trade.query once their `nextQueryAt` is due; the answer is applied exactly as a notify would be (recorded
 * as source `query`). Refunds PENDING or UNKNOWN are asked about with alipay.trade.fastpay.refund.query, and sent
 * again with the same out_request_no when Alipay has no record of them.
 *
 * Two API processes may run this at once. Each item is worked on under its order's lease (jobs/leases.ts), so no
 * two processes (nor this job and the expiry job) ask Alipay about one order at the same moment; a process that dies
 * mid-item leaves the order to the others once its lease runs out. Under the lease, the item is claimed by moving its
 * `nextQueryAt` forward only where it still holds the value this pass read (a guarded update), so an item another
 * process finished between this pass's read and its lease is skipped, and the next query is scheduled before the
 * call. Every effect after that is a guarded transition as well.
 */

export interface RecoveryStats extends Record<string, number> {
  paymentsQueried: number;
  paid: number;
  autoRefunds: number;
  closed: number;
  refundsQueried: number;
  refundsSucceeded: number;
  refundsFailed: number;
  refundsSentAgain: number;
  /** Items skipped because another process (or job) held their order's lease. */
  leased: number;
}

type SyncOrNot = TradeSync | 'not-exist' | 'unanswered';

async function claimPayment(deps: PaymentDeps, payment: Payment): Promise<boolean> {
  const next = later(
    backoffMs(
      deps.env.PAYMENT_QUERY_DELAY_MS,
      deps.env.PAYMENT_QUERY_MAX_INTERVAL_MS,
      payment.queryCount + 1,
    ),
  );
  return sql(deps.db).transaction((tx) => claimPaymentQuery(tx, payment, next));
}

/** One payment: query and apply. Exposed for tests and tools. */
export async function recoverPayment(deps: PaymentDeps, payment: Payment): Promise<SyncOrNot> {
  const query = await queryTrade(deps, payment);
  if (query.ok) return applyTradeState(deps, payment, query.value, 'query');
  if (!hasSubCode(query, 'ACQ.TRADE_NOT_EXIST')) return 'unanswered';
  // Alipay has no such trade. A closed payment needs no more looks. An intent whose create never landed is closed
  // with its order once the order has expired (no create can succeed after time_expire); before that, a retry of
  // the create may still come, so it waits.
  if (payment.status === 'CLOSED') {
    await sql(deps.db).transaction((tx) => endPaymentQueries(tx, payment.id));
    return 'not-exist';
  }
  await sql(deps.db).transaction(async (tx) => {
    const order = await tx.get<{ status: OrderStatus; expiresAt: string | Date }>(
      'SELECT "status", "expiresAt" FROM "Order" WHERE "id" = ?',
      payment.orderId,
    );
    if (!order) return;
    if (readDate(order.expiresAt).getTime() <= Date.now() || order.status !== 'PENDING_PAYMENT') {
      await closeOrderAndPayment(tx, payment, payment.orderId, {
        reason: CLOSE_REASON.expired,
        actorType: 'system',
        eventType: 'EXPIRED',
        recheckAfterMs: null,
      });
    }
  });
  return 'not-exist';
}

/** One pass of the recovery job over due payments and refunds. */
export async function runRecovery(
  deps: PaymentDeps & { leases: JobLeases },
  now: Date = new Date(),
): Promise<RecoveryStats> {
  const stats: RecoveryStats = {
    paymentsQueried: 0,
    paid: 0,
    autoRefunds: 0,
    closed: 0,
    refundsQueried: 0,
    refundsSucceeded: 0,
    refundsFailed: 0,
    refundsSentAgain: 0,
    leased: 0,
  };

  const payments = await sql(deps.db).read((q) => duePayments(q, now, JOB_BATCH_SIZE));
  for (const payment of payments) {
    const leased = await deps.leases.withLease(
      'payment-recovery',
      orderLeaseKey(payment.orderId),
      async () => {
        if (!(await claimPayment(deps, payment))) return;
        stats.paymentsQueried++;
        try {
          const result = await recoverPayment(deps, payment);
          if (result === 'paid') stats.paid++;
          if (result === 'auto-refund') stats.autoRefunds++;
          if (result === 'closed') stats.closed++;
        } catch (error) {
          deps.logger.error(
            { err: error, paymentId: payment.id },
            'payment recovery failed; retried next pass',
          );
        }
      },
    );
    if (!leased.taken) stats.leased++;
  }

  const refunds = await sql(deps.db).read((q) => dueRefunds(q, now, JOB_BATCH_SIZE));
  for (const refund of refunds) {
    const next = later(
      backoffMs(
        deps.env.REFUND_RETRY_DELAY_MS,
        deps.env.PAYMENT_QUERY_MAX_INTERVAL_MS,
        refund.queryCount + 1,
      ),
    );
    const leased = await deps.leases.withLease(
      'payment-recovery',
      orderLeaseKey(refund.orderId),
      async () => {
        if (!(await sql(deps.db).transaction((tx) => claimRefundQuery(tx, refund, next)))) return;
        stats.refundsQueried++;
        let resolution: RefundResolution = 'unresolved';
        try {
          const payment = await sql(deps.db).read((q) => findPayment(q, { id: refund.paymentId }));
          if (!payment) throw new Error(`refund ${refund.id} has no payment`);
          resolution = await resolveRefund(deps, refund, payment);
        } catch (error) {
          deps.logger.error({ err: error, refundId: refund.id }, 'refund recovery failed; retried next pass');
        }
        if (resolution === 'succeeded') stats.refundsSucceeded++;
        if (resolution === 'failed') stats.refundsFailed++;
        if (resolution === 'sent-again') stats.refundsSentAgain++;
      },
    );
    if (!leased.taken) stats.leased++;
  }
  return stats;
}
