import type { ApiDeps } from '../deps';
import { adminJobs } from '../modules/admin/jobs';
import { afterSaleJobs } from '../modules/after-sales/jobs';
import { backupJobs } from '../modules/backup/backup.job';
import { outboxJobs } from '../modules/outbox/worker';
import { paymentJobs } from '../modules/payment/jobs';
import { reconciliationJobs } from '../modules/reconciliation/job';
import type { Job } from './scheduler';

/** The API's background jobs. Modules add theirs here. */
export function apiJobs(deps: ApiDeps): Job[] {
  return [
    ...paymentJobs(deps),
    ...reconciliationJobs(deps),
    ...adminJobs(deps),
    ...afterSaleJobs(deps),
    ...backupJobs(deps),
    ...outboxJobs(deps),
  ];
}
