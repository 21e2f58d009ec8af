import type { JobResultMap } from '../../contracts/jobs';
import { authForUser } from '../../server/modules/auth/auth.service';
import { runInvoiceBatch } from '../../server/workflows/invoicing.workflow';
import type { JobContext } from '../queues';

/** Invoices (and optionally posts and sends) the selected orders; progress per order, a result per order. */
export async function invoiceOrders(job: JobContext<'invoice-orders'>): Promise<JobResultMap['invoice-orders']> {
  const { userId, key, ...input } = job.data;
  // The requesting user's rights apply; the automation rule runs as the system.
  const auth = userId === null ? null : await authForUser(userId);
  return runInvoiceBatch(auth, { ...input, key: key || `batch:${job.id}` }, (done, total) => job.progress((done / total) * 100));
}
