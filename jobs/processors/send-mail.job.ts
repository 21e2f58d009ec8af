import type { JobResultMap } from '../../contracts/jobs';
import { readAttachment } from '../../server/modules/chatter/attachments.service';
import { AttachmentModel } from '../../server/modules/chatter/message.model';
import { deliverOutboxMail, type AttachmentLoader } from '../../server/modules/mail/outbox.service';
import type { JobContext } from '../queues';

// The files of an email are read from the chatter's storage at send time.
const loadAttachments: AttachmentLoader = async (refs) => {
  if (!refs.length) return [];
  const rows = await AttachmentModel.findAll({ where: { id: refs.map((r) => r.id) } });
  return Promise.all(rows.map(async (a) => ({ filename: a.name, contentType: a.mimeType, data: await readAttachment(a) })));
};

/** Sends one outbox row; a failure is retried by the queue with backoff, the last one marks the row failed. */
export function sendMail(job: JobContext<'send-mail'>): Promise<JobResultMap['send-mail']> {
  return deliverOutboxMail(job.data.outboxId, { final: job.attempt >= job.attempts }, loadAttachments);
}
