import { readDate, readInt } from '@shop/db';
import { sql, type Db } from '../../db';
import { metricsRegistry, paymentQueryLag, paymentsDueForQuery, refundsByStatus } from '../../lib/metrics';

/** What the database says at scrape time: the recovery job's backlog and the refunds by status. */
export interface DatabaseFigures {
  /** Payments the recovery job would query now (its own WHERE: duePayments in payment/payment.store.ts). */
  dueForQuery: number;
  /** How long the oldest of them has been due, in seconds; 0 when none is due. */
  queryLagSeconds: number;
  refunds: Array<{ status: string; count: number }>;
}

/**
 * Reads the figures that belong to the database rather than to one process. Every process on one database reports
 * the same values, so dashboards take `max` across instances rather than `sum`. Both statements are served by
 * indexes (`Payment(status, nextQueryAt)`, `Refund(status, ...)`), so a scrape costs two short reads.
 */
export async function readDatabaseFigures(db: Db, now: Date = new Date()): Promise<DatabaseFigures> {
  return sql(db).read(async (q) => {
    const due = await q.get<{ n: number | bigint | string; oldest: string | number | Date | null }>(
      `SELECT COUNT(*) AS "n", MIN("nextQueryAt") AS "oldest" FROM "Payment"
       WHERE "status" IN (?, ?, ?) AND "nextQueryAt" <= ?`,
      'CREATED',
      'OPEN',
      'CLOSED',
      now,
    );
    const refunds = await q.all<{ status: string; n: number | bigint | string }>(
      'SELECT "status", COUNT(*) AS "n" FROM "Refund" GROUP BY "status"',
    );
    const oldest = due?.oldest === null || due?.oldest === undefined ? null : readDate(due.oldest);
    return {
      dueForQuery: readInt(due?.n ?? 0),
      queryLagSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
      refunds: refunds.map((row) => ({ status: row.status, count: readInt(row.n) })),
    };
  });
}

/** This process's metrics in Prometheus's text format, with the database's figures read now. */
export async function renderMetrics(db: Db): Promise<string> {
  const figures = await readDatabaseFigures(db);
  paymentsDueForQuery.set(figures.dueForQuery);
  paymentQueryLag.set(figures.queryLagSeconds);
  // Every status is written each time, so a status whose last refund moved on shows 0 rather than its old count.
  refundsByStatus.reset();
  for (const status of REFUND_STATUSES) refundsByStatus.set({ status }, 0);
  for (const { status, count } of figures.refunds) refundsByStatus.set({ status }, count);
  return metricsRegistry.metrics();
}

const REFUND_STATUSES = ['PENDING', 'UNKNOWN', 'SUCCEEDED', 'FAILED'] as const;
