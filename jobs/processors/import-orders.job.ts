import { rm, stat } from 'node:fs/promises';
import type { JobResultMap } from '../../contracts/jobs';
import { runImport } from '../../server/modules/imports/import.pipeline';
import type { Mapping } from '../../server/modules/imports/profiles';
import type { JobContext } from '../queues';

/** Imports a stored CSV of orders; progress by rows read (of the rows the file holds, estimated from its size). */
export async function importOrders(job: JobContext<'import-orders'>): Promise<JobResultMap['import-orders']> {
  const { file, mapping, channelId, dryRun, errorsFile } = job.data;
  const { size } = await stat(file);
  // About 300 bytes a row: enough for a progress bar that moves; 99 until the end.
  const estimated = Math.max(1, size / 300);
  const result = await runImport({ file, mapping: mapping as Mapping, channelId, dryRun, errorsFile }, (rows) =>
    job.progress(Math.min(99, (rows / estimated) * 100)),
  );
  // The uploaded file is not kept once read (the report is, for its download).
  await rm(file, { force: true });
  return result;
}
