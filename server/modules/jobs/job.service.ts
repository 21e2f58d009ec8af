import { existsSync } from 'node:fs';
import path from 'node:path';
import type { JobStatus } from '../../../contracts/schemas/jobs';
import { NotFoundError } from '../../http/errors';
import { ownJobRun } from './job-run.service';
import type { Auth } from '../auth/access';
import { runtime } from '../../runtime';

export async function getJob(auth: Auth, id: string): Promise<JobStatus> {
  const { data: _d, ...status } = await ownJobRun(auth, id);
  return status;
}

/** Where the export job with this id writes its CSV file. */
export function exportFilePath(jobId: string): string {
  return path.join(runtime().config.dataDir, 'exports', `${jobId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`);
}

/** The file a finished export job wrote. */
export async function jobDownload(auth: Auth, id: string): Promise<{ path: string; filename: string }> {
  const job = await ownJobRun(auth, id);
  const file = exportFilePath(id);
  if (job.state !== 'completed' || !existsSync(file)) throw new NotFoundError('Export file of job', id);
  return { path: file, filename: `orders-${new Date().toISOString().slice(0, 10)}.csv` };
}
