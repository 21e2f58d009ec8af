import type { Attachment, Message } from '../../../contracts/schemas/chatter';
import type { RecordModel } from '../../../contracts/states';
import { iso } from '../../db/columns';
import type { Tx } from '../../db/transaction';
import { userNames } from '../auth/users.service';
import { bareAddress, displayName } from '../mail/inbound.service';
import { partnerNames } from '../partners/partner.service';
import { attachmentsOf } from './attachments.service';
import type { MessageModel } from './message.model';

// A chatter message as the API shows it.

/** Names and files to show with messages: authors (users, or partners for emailed replies) and attachments. */
export type MessageExtras = { users: Map<number, string>; partners: Map<number, string>; attachments: Map<number, Attachment[]> };

export function toMessage(m: MessageModel, extras: MessageExtras): Message {
  const authorName = m.authorId
    ? extras.users.get(m.authorId)
    : m.authorPartnerId
      ? extras.partners.get(m.authorPartnerId)
      : m.emailFrom && (displayName(m.emailFrom) ?? bareAddress(m.emailFrom));
  return {
    id: m.id,
    model: m.model as RecordModel,
    resId: m.resId,
    type: m.type,
    body: m.body,
    authorId: m.authorId,
    authorName: authorName ?? null,
    authorPartnerId: m.authorPartnerId,
    emailFrom: m.emailFrom ?? null,
    tracking: m.tracking ?? [],
    attachments: extras.attachments.get(m.id) ?? [],
    createdAt: iso(m.createdAt),
  };
}

/** The extras of these messages, read in t (null: outside any transaction). */
export async function messageExtras(t: Tx | null, rows: MessageModel[]): Promise<MessageExtras> {
  const authors = rows.map((m) => m.authorId);
  const partnerAuthors = rows.map((m) => m.authorPartnerId);
  const messageIds = rows.map((m) => m.id);
  const [users, partners, attachments] = await Promise.all([userNames(t, authors), partnerNames(partnerAuthors, t ?? undefined), attachmentsOf(t, messageIds)]);
  return { users, partners, attachments };
}
