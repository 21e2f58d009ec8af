import type { JobName } from '../../contracts/jobs';
import { runtime } from '../../server/runtime';
import { eventually } from './eventually';

/** How many jobs of the queue are waiting, delayed or running in the test server's queues. */
export const pendingJobs = (name: JobName): Promise<number> => runtime().queues.pending(name);

/** Resolves once no job of the queue is waiting, delayed or running: the jobs earlier requests queued have run. */
export async function jobsSettled(name: JobName, timeoutMs = 20_000): Promise<void> {
  await eventually(async () => (await pendingJobs(name)) === 0, timeoutMs);
}
