import { formatChinaDate, formatChinaTime } from '@shop/alipay';
import { AppError } from '../../errors';
import type { JobLeases } from '../../jobs/leases';
import type { Job } from '../../jobs/scheduler';
import { RUN_LEASE_MS, runReconciliation, type ReconciliationDeps } from './run.service';

/**
 * The daily reconciliation: once the China-time hour reaches RECONCILE_AT_HOUR, the previous China day is reconciled
 * and settled, once. A day with a finished report (CLEAN or DIFFERENCES) is left alone; a FAILED one (the bill was
 * not ready, Alipay or the network failed) is tried again RECONCILE_RETRY_MS after its failure; a RUNNING one is
 * left to the process that claimed it, until its lease runs out. Any number of API processes may run this job: the
 * day is looked at and run under the `reconcile:<date>` job lease (jobs/leases.ts), so one process at a time does it
 * and the others count it as skipped; the run's unique bill date (run.service.ts) is the second guard, and it also
 * keeps `pnpm reconcile` and the admin's runs, which take no job lease, off a day being run.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The job only looks at the clock and one row per wake-up; once a minute is often enough. */
export const RECONCILE_CHECK_INTERVAL_MS = 60_000;

export interface DailyReconciliationStats extends Record<string, number> {
  ran: number;
  clean: number;
  differences: number;
  failed: number;
  /** Another process had claimed the day (or held its lease). */
  skipped: number;
}

/** The China date the job reconciles at `now`, or null before RECONCILE_AT_HOUR (China time). */
export function dueBillDate(now: Date, atHour: number): string | null {
  const hour = Number(formatChinaTime(now).slice(11, 13));
  return hour < atHour ? null : formatChinaDate(new Date(now.getTime() - DAY_MS));
}

export async function runDailyReconciliation(
  deps: ReconciliationDeps & { leases: JobLeases },
  now: Date = new Date(),
): Promise<DailyReconciliationStats> {
  const stats: DailyReconciliationStats = { ran: 0, clean: 0, differences: 0, failed: 0, skipped: 0 };
  if (!deps.env.RECONCILE_ENABLED) return stats;
  const billDate = dueBillDate(now, deps.env.RECONCILE_AT_HOUR);
  if (!billDate) return stats;
  const leased = await deps.leases.withLease('daily-reconciliation', `reconcile:${billDate}`, () =>
    reconcileDay(deps, billDate, now, stats),
  );
  if (!leased.taken) stats.skipped = 1;
  return stats;
}

async function reconcileDay(
  deps: ReconciliationDeps,
  billDate: string,
  now: Date,
  stats: DailyReconciliationStats,
): Promise<DailyReconciliationStats> {
  const existing = await deps.db.reconciliationRun.findUnique({ where: { billDate } });
  if (existing) {
    if (existing.status === 'CLEAN' || existing.status === 'DIFFERENCES') return stats;
    if (existing.status === 'RUNNING' && now.getTime() - existing.startedAt.getTime() < RUN_LEASE_MS) {
      return stats;
    }
    const failedAt = existing.finishedAt ?? existing.startedAt;
    if (existing.status === 'FAILED' && now.getTime() - failedAt.getTime() < deps.env.RECONCILE_RETRY_MS) {
      return stats;
    }
  }

  try {
    const { run } = await runReconciliation(deps, billDate);
    stats.ran = 1;
    if (run.status === 'CLEAN') stats.clean = 1;
    if (run.status === 'DIFFERENCES') stats.differences = 1;
    if (run.status === 'FAILED') {
      stats.failed = 1;
      deps.logger.warn({ billDate, error: run.error }, 'reconciliation failed; it will be tried again');
    }
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONFLICT') {
      stats.skipped = 1;
      return stats;
    }
    throw error;
  }
  return stats;
}

export function reconciliationJobs(deps: ReconciliationDeps & { leases: JobLeases }): Job[] {
  return [
    {
      name: 'daily-reconciliation',
      intervalMs: RECONCILE_CHECK_INTERVAL_MS,
      run: () => runDailyReconciliation(deps),
    },
  ];
}
