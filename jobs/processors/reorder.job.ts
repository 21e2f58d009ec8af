import type { JobResultMap } from '../../contracts/jobs';
import { runReorderRules } from '../../server/workflows/replenishment.workflow';
import type { JobContext } from '../queues';

/** Checks the reorder rules of the products whose stock changed (or every rule, on schedule); idempotent, so a repeated run orders nothing twice. */
export function reorderJob(job: JobContext<'reorder'>): Promise<JobResultMap['reorder']> {
  return runReorderRules(job.data.productIds);
}
