import type { SaleOrderExportInput } from '../../../contracts/schemas/sales';
import { requireAccess, type Auth } from '../auth/access';
import { startJobRun } from '../jobs/job-run.service';
import { ownOrdersOnly } from './sale-order.access';

/** Queues a CSV export of the orders matching the board's filters (kept until done, Redis or not); the job's result names the file. */
export async function exportSaleOrders(auth: Auth, filters: SaleOrderExportInput): Promise<{ jobId: string }> {
  requireAccess(auth, 'saleOrder.export');
  const jobId = await startJobRun('export-orders', { userId: auth.user.id, filters, ...(ownOrdersOnly(auth) && { ownOnly: true }) });
  return { jobId };
}
