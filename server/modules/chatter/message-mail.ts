import type { Attachment } from '../../../contracts/schemas/chatter';
import type { RecordModel } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { recordSpec } from '../../lib/records';
import { activeUsers } from '../auth/users.service';
import { ensureCompany } from '../company/company.service';
import { formatAddress, queueMail } from '../mail/outbox.service';
import { replyAddress } from '../mail/reply-address';
import { renderTemplate } from '../mail/templates';
import { partnerContacts } from '../partners/partner.service';
import { unmutedPartnerFollowers } from './followers.service';
import type { FollowerModel, MessageModel } from './message.model';

// Which followers a message is emailed to, written to the outbox in the message's transaction:
// - a comment goes to every partner who follows the record (the customer included), never a note;
// - users get the notifications they were given in the inbox by email too when they chose so.

export type MessageMailOptions = {
  /** Users given an inbox notification for this message. */
  notifiedUserIds: number[];
  attachments: Attachment[];
  /** Partners not to email (e.g. the one whose reply this message is, or who got a dedicated email). */
  excludePartnerIds?: number[];
  authorName: string;
  /** The record's followers, when read already in t. */
  followers?: FollowerModel[];
};

export async function mailForMessage(t: Tx, m: MessageModel, opts: MessageMailOptions): Promise<number> {
  const spec = recordSpec(m.model);
  if (!spec) return 0;
  const recipients: { key: string; name: string; email: string; isCustomer: boolean }[] = [];

  if (m.type === 'comment') {
    const ids = (await unmutedPartnerFollowers(t, m.model, m.resId, opts.followers)).filter((id) => !opts.excludePartnerIds?.includes(id));
    const partners = await partnerContacts(t, ids);
    for (const p of partners) if (p.email) recipients.push({ key: `partner:${p.id}`, name: p.name, email: p.email, isCustomer: true });
  }
  if (opts.notifiedUserIds.length) {
    const users = await activeUsers(t, opts.notifiedUserIds, { notifyByEmail: true });
    for (const u of users) recipients.push({ key: `user:${u.id}`, name: u.name, email: u.email, isCustomer: false });
  }
  if (!recipients.length) return 0;
  // The record is described only for a message someone gets by email.
  const record = await spec.describe(t, m.resId);
  if (!record) return 0;

  const company = await ensureCompany(t);
  const attachments = opts.attachments.map((a) => ({ id: a.id, name: a.name, mimeType: a.mimeType, size: a.size }));
  for (const r of recipients) {
    const rendered = await renderTemplate(t, 'message_notification', {
      recipient: { name: r.name },
      isCustomer: r.isCustomer,
      author: { name: opts.authorName },
      record: { name: record.name, model: m.model },
      message: { body: m.body, type: m.type, attachments },
      company: { name: company.name },
    });
    await queueMail(
      t,
      {
        key: `message:${m.id}:${r.key}`,
        to: formatAddress(r.name, r.email),
        ...rendered,
        replyTo: replyAddress(m.model as RecordModel, m.resId),
        model: m.model as RecordModel,
        resId: m.resId,
        chatterMessageId: m.id,
        attachments,
      },
      company.name,
    );
  }
  return recipients.length;
}
