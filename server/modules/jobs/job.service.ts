import { existsSync } from 'node:fs';
import type { JobStatus } from '../../../contracts/schemas/jobs';
import { ForbiddenError, NotFoundError } from '../../http/errors';
import { runtime } from '../../runtime';
import { exportFilePath } from '../../../jobs/processors/export-orders.job';
import { findJobRun, type JobRunInfo } from './job-run.service';
import type { Auth } from '../auth/access';

async function ownJob(auth: Auth, id: string): Promise<JobRunInfo> {
  // A job started from a row is answered from it (whatever Redis knows or lost); others from the queue.
  const job = (await findJobRun(id)) ?? (await runtime().queues.get(id));
  if (!job) throw new NotFoundError('Job', id);
  if (job.data.userId !== auth.user.id && auth.user.role !== 'admin') throw new ForbiddenError('This job belongs to another user');
  return job;
}

export async function getJob(auth: Auth, id: string): Promise<JobStatus> {
  const { data: _d, ...status } = await ownJob(auth, id);
  return status;
}

/** The file a finished export job wrote. */
export async function jobDownload(auth: Auth, id: string): Promise<{ path: string; filename: string }> {
  const job = await ownJob(auth, id);
  const file = exportFilePath(id);
  if (job.state !== 'completed' || !existsSync(file)) throw new NotFoundError('Export file of job', id);
  return { path: file, filename: `orders-${new Date().toISOString().slice(0, 10)}.csv` };
}
