import type { JobLeases } from '../../jobs/leases';
import type { Job } from '../../jobs/scheduler';
import { runExpiry } from './expiry.job';
import { runRecovery } from './recovery.job';
import type { PaymentDeps } from './settings';

/**
 * The payment module's background jobs, every JOB_INTERVAL_MS. Recovery runs before expiry in a pass, so an order
 * paid at the last moment is found paid before anything tries to close it (closing would find it paid anyway).
 */
export function paymentJobs(deps: PaymentDeps & { leases: JobLeases }): Job[] {
  return [
    { name: 'payment-recovery', intervalMs: deps.env.JOB_INTERVAL_MS, run: () => runRecovery(deps) },
    { name: 'order-expiry', intervalMs: deps.env.JOB_INTERVAL_MS, run: () => runExpiry(deps) },
  ];
}
