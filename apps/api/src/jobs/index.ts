import type { ApiDeps } from '../deps';
import type { Job } from './scheduler';

/** The API's background jobs. Modules add theirs here. */
export function apiJobs(_deps: ApiDeps): Job[] {
  return [];
}
