import path from 'node:path';
import type { ExportOrdersResult } from '../../contracts/jobs';
import { jobFilePath } from '../../server/modules/jobs/job-files';
import { writeOrdersCsv } from '../../server/modules/sales/sale-order-export.service';
import type { JobContext } from '../queues';

// The CSV export of the board: sales writes the file, the job reports where it is.
export async function exportOrders(job: JobContext<'export-orders'>): Promise<ExportOrdersResult> {
  const file = jobFilePath(job.id);
  const { rows } = await writeOrdersCsv(file, job.data, (pct) => job.progress(pct));
  return { file: path.basename(file), rows, url: `/api/jobs/${encodeURIComponent(job.id)}/download` };
}
