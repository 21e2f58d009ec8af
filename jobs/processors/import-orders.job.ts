import { rm, stat } from 'node:fs/promises';
import type { JobResultMap } from '../../contracts/jobs';
import { runImport } from '../../server/workflows/import.workflow';
import type { Mapping } from '../../server/modules/imports/profiles';
import type { JobContext } from '../queues';

/** Imports a stored CSV of orders; progress by the bytes of the file its rows taken span (99 until the end). */
export async function importOrders(job: JobContext<'import-orders'>): Promise<JobResultMap['import-orders']> {
  const { file, mapping, channelId, dryRun, errorsFile } = job.data;
  const { size } = await stat(file);
  const result = await runImport({ file, mapping: mapping as Mapping, channelId, dryRun, errorsFile }, ({ bytes }) =>
    job.progress(Math.min(99, (bytes / Math.max(1, size)) * 100)),
  );
  // The uploaded file is not kept once read (the report is, for its download).
  await rm(file, { force: true });
  return result;
}
