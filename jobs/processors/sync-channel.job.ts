import type { JobResultMap } from '../../contracts/jobs';
import { syncChannel } from '../../server/workflows/channel-sync.workflow';
import type { JobContext } from '../queues';

/** One sync of a shop channel; a shop that is down fails the attempt, retried with backoff by the queue. */
export async function syncChannelJob(job: JobContext<'sync-channel'>): Promise<JobResultMap['sync-channel']> {
  // Pages come in as they are taken: progress is a heartbeat (the total is not known in advance).
  return syncChannel(job.data.channelId, (fetched) => job.progress(Math.min(95, fetched / 10)));
}
