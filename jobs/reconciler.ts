import { logger } from '../server/lib/logger';
import { scheduleChannelSyncs } from '../server/modules/channels/channel-schedule';
import { requeueJobRuns } from '../server/modules/jobs/job-run.service';
import { enqueueWaitingMail } from '../server/modules/mail/outbox.service';
import { scheduleReorderScan } from '../server/modules/purchasing/reorder-schedule';
import { enqueueWaitingVendorNotifications } from '../server/modules/purchasing/vendor-notification.service';
import { runtime } from '../server/runtime';

/**
 * Puts into the queues what the database says is waiting (job rows, queued emails, shop schedules, the
 * scan of every reorder rule): at start, each time Redis is reachable again (it may have restarted empty), and every
 * JOB_RECONCILE_MS (a job a request could not queue while Redis was down). Every job id is derived from
 * its row, so a job the queue still has is never queued twice. Runs in the process that runs the jobs.
 */
export function startReconciler(): { sweep(): Promise<void>; stop(): void } {
  const { queues, config } = runtime();
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  async function pass(): Promise<void> {
    const jobs = await requeueJobRuns(config.jobLockMs);
    const mails = await enqueueWaitingMail();
    const notifications = await enqueueWaitingVendorNotifications();
    await scheduleChannelSyncs();
    await scheduleReorderScan();
    if (jobs || mails || notifications) logger.info({ jobs, mails, notifications }, 'waiting jobs queued');
  }

  // One pass at a time; a trigger during a pass runs one more after it.
  function sweep(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'waiting jobs not queued yet (will try again)'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          void sweep();
        }
      });
    return running;
  }

  queues.onReady(() => void sweep());
  const timer = setInterval(() => void sweep(), config.jobReconcileMs);
  timer.unref();
  return {
    sweep,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
