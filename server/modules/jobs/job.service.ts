import { existsSync } from 'node:fs';
import type { JobStatus } from '../../../contracts/schemas/jobs';
import { NotFoundError } from '../../http/errors';
import { jobFilePath } from './job-files';
import { ownJobRun } from './job-run.service';
import type { Auth } from '../auth/access';

export async function getJob(auth: Auth, id: string): Promise<JobStatus> {
  const { data: _d, ...status } = await ownJobRun(auth, id);
  return status;
}

/** The file a finished export job wrote. */
export async function jobDownload(auth: Auth, id: string): Promise<{ path: string; filename: string }> {
  const job = await ownJobRun(auth, id);
  const file = jobFilePath(id);
  if (job.state !== 'completed' || !existsSync(file)) throw new NotFoundError('Export file of job', id);
  return { path: file, filename: `orders-${new Date().toISOString().slice(0, 10)}.csv` };
}
