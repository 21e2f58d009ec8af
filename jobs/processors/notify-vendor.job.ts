import type { JobResultMap } from '../../contracts/jobs';
import { deliverVendorNotification } from '../../server/modules/purchasing/vendor-notification.service';
import type { JobContext } from '../queues';

/** POSTs one vendor notification; a failure is retried by the queue with backoff, the last one marks it failed. */
export function notifyVendor(job: JobContext<'notify-vendor'>): Promise<JobResultMap['notify-vendor']> {
  return deliverVendorNotification(job.data.notificationId, { final: job.attempt >= job.attempts });
}
