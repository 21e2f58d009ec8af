import type { JobName, JobResultMap } from '../contracts/jobs';
import { beatJobRun, claimJobRun, completeJobRun, failJobRun } from '../server/modules/jobs/job-run.service';
import { logger } from '../server/lib/logger';
import { runtime } from '../server/runtime';
import type { Processor } from './queues';

const quietly = (p: Promise<unknown>, jobId: string) =>
  p.catch((err: unknown) => logger.warn({ jobId, err: err instanceof Error ? err.message : String(err) }, 'job row not updated'));

/**
 * A processor whose job is a database row (startJobRun): the run takes the row first, so the work is
 * done once however often the queue delivers the job (queued again after Redis lost it, or a worker
 * that lost Redis mid-run); a finished row answers with its outcome. A job without a row runs as is.
 */
export function durable<N extends JobName>(processor: Processor<N>): Processor<N> {
  return async (job) => {
    const staleMs = runtime().config.jobLockMs;
    const claim = await claimJobRun(job.id, staleMs);
    if (claim.kind === 'untracked') return processor(job);
    if (claim.kind === 'finished') {
      if (claim.state === 'failed') throw new Error(claim.failedReason ?? 'the job failed');
      return claim.result as JobResultMap[N];
    }
    const { token } = claim;
    const beat = setInterval(() => void quietly(beatJobRun(job.id, token), job.id), Math.max(250, Math.floor(staleMs / 3)));
    let lastPct = -1;
    try {
      const result = await processor({
        ...job,
        progress: async (pct) => {
          await job.progress(pct);
          const rounded = Math.max(0, Math.min(99, Math.round(pct)));
          if (rounded !== lastPct) {
            lastPct = rounded;
            await quietly(beatJobRun(job.id, token, rounded), job.id);
          }
        },
      });
      await completeJobRun(job.id, token, result);
      return result;
    } catch (err) {
      await quietly(failJobRun(job.id, token, err instanceof Error ? err.message : String(err), job.attempt >= job.attempts), job.id);
      throw err;
    } finally {
      clearInterval(beat);
    }
  };
}
