import sanitizeHtml from 'sanitize-html';
import type { z } from 'zod';
import { rooms } from '../../../contracts/events';
import type { Attachment, Message, MessagePost, TrackingValue, messageListQuery } from '../../../contracts/schemas/chatter';
import type { List } from '../../../contracts/schemas/common';
import type { RecordModel } from '../../../contracts/states';
import { withTransaction, type Tx } from '../../db/transaction';
import { ValidationError } from '../../http/errors';
import { assertRecordAccess, mayUseRecord } from '../../lib/records';
import { publish } from '../../realtime/publisher';
import { requireAccess, type Auth } from '../auth/access';
import { searchActiveUsers } from '../auth/users.service';
import { linkUploads, toAttachment } from './attachments.service';
import { followKnown, recordFollowers } from './followers.service';
import { MessageModel } from './message.model';
import { messageExtras, toMessage, type MessageExtras } from './message.mapper';
import { mailForMessage } from './message-mail';
import { notifyForMessage } from './notification.service';

// The chatter of any record (model, resId): messages and tracking notes (Odoo mail.thread); its followers
// are in followers.service.ts, its inbox notifications in notification.service.ts.

// Rich text keeps its formatting and links; scripts, event handlers and styles never get through.
export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      ...['p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'span'],
      // Tables: an emailed order or invoice keeps its lines.
      ...['table', 'thead', 'tbody', 'tr', 'th', 'td'],
    ],
    allowedAttributes: { a: ['href', 'title'], span: ['data-mention'], th: ['align', 'colspan'], td: ['align', 'colspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  }).trim();
}

function publishMessage(t: Tx, m: MessageModel): void {
  publish(t, rooms.record(m.model as RecordModel, m.resId), 'message.posted', { id: m.id, model: m.model as RecordModel, resId: m.resId, type: m.type });
}

export async function listMessages(auth: Auth, query: z.output<typeof messageListQuery>): Promise<List<Message>> {
  await assertRecordAccess(auth, query.model, query.resId, 'read');
  const where = { model: query.model, resId: query.resId };
  const [rows, total] = await Promise.all([
    MessageModel.findAll({ where, order: [['id', 'DESC']], limit: query.limit, offset: query.offset }),
    MessageModel.count({ where }),
  ]);
  const extras = await messageExtras(null, rows);
  return { items: rows.map((r) => toMessage(r, extras)), total };
}

export type NewMessage = {
  model: RecordModel;
  resId: number;
  type: 'comment' | 'note';
  /** Safe HTML (sanitised by the caller). */
  body: string;
  author: { userId: number; name: string } | { partnerId: number | null; name: string; email: string };
  /** The poster's pending uploads to attach (users), or files already saved for this message (email). */
  attachmentIds?: number[];
  auth?: Auth;
  /** Partners who must not get this message by email (they wrote it, or got their own email). */
  excludePartnerIds?: number[];
  /** false: the caller emails this message itself (e.g. an invoice and its copies); followers still get their inbox notification. */
  mail?: boolean;
};

/**
 * Writes a message in t with everything that goes with it: its author follows the record, followers
 * and @mentioned users get their notifications, emails go to the outbox, message.posted after commit.
 */
export async function createMessage(t: Tx, input: NewMessage, attach?: (m: MessageModel) => Promise<Attachment[]>): Promise<Message> {
  const byUser = 'userId' in input.author;
  const created = await MessageModel.create(
    {
      model: input.model,
      resId: input.resId,
      type: input.type,
      body: input.body,
      authorId: 'userId' in input.author ? input.author.userId : null,
      authorPartnerId: 'partnerId' in input.author ? input.author.partnerId : null,
      emailFrom: 'email' in input.author ? input.author.email : null,
      tracking: null,
    },
    { transaction: t },
  );
  const attachments = attach ? await attach(created) : [];
  // The record's followers, read once for the author, the notifications and the emails.
  const followers = await recordFollowers(t, input.model, input.resId);
  // Whoever posts follows the record from then on.
  if ('userId' in input.author) await followKnown(t, input.model, input.resId, { userId: input.author.userId }, followers);
  else if (input.author.partnerId) await followKnown(t, input.model, input.resId, { partnerId: input.author.partnerId }, followers);
  const notified = await notifyForMessage(t, created, byUser ? (input.author as { userId: number }).userId : null, followers);
  if (input.mail !== false) {
    await mailForMessage(t, created, {
      notifiedUserIds: notified,
      attachments,
      authorName: input.author.name,
      excludePartnerIds: input.excludePartnerIds,
      followers,
    });
  }
  publishMessage(t, created);
  const extras: MessageExtras = {
    users: byUser ? new Map([[(input.author as { userId: number }).userId, input.author.name]]) : new Map(),
    partners: 'partnerId' in input.author && input.author.partnerId ? new Map([[input.author.partnerId, input.author.name]]) : new Map(),
    attachments: new Map([[created.id, attachments]]),
  };
  return toMessage(created, extras);
}

export async function postMessage(auth: Auth, input: MessagePost): Promise<Message> {
  await assertRecordAccess(auth, input.model, input.resId, 'read');
  // A message (not a note) goes to the record's followers by email, the customer included.
  if (input.type === 'comment') requireAccess(auth, 'mail.send');
  const body = sanitizeBody(input.body);
  if (!body) throw ValidationError.field('body', 'is empty once unsafe markup is removed');
  return withTransaction((t) =>
    createMessage(t, { model: input.model, resId: input.resId, type: input.type, body, author: { userId: auth.user.id, name: auth.user.name } }, async (m) =>
      (await linkUploads(t, auth, input.attachmentIds, m)).map(toAttachment),
    ),
  );
}

/**
 * Logs tracked-field changes as one tracking note inside the transaction of the change itself, so a
 * rolled-back change leaves no note. Nothing is written when nothing tracked changed.
 */
export async function logTracking(t: Tx, ref: { model: RecordModel; resId: number; authorId: number | null }, tracking: TrackingValue[]): Promise<void> {
  if (!tracking.length) return;
  const m = await MessageModel.create(
    { model: ref.model, resId: ref.resId, type: 'tracking', body: '', authorId: ref.authorId, authorPartnerId: null, tracking },
    { transaction: t },
  );
  publishMessage(t, m);
}

/** Users who may read the record, for @mention autocomplete. */
export async function mentionCandidates(
  auth: Auth,
  input: { model: RecordModel; resId: number; q: string },
): Promise<List<{ id: number; name: string; email: string }>> {
  await assertRecordAccess(auth, input.model, input.resId, 'read');
  const users = await searchActiveUsers(null, input.q, 50);
  const items = [];
  for (const u of users) {
    if (items.length === 10) break;
    if (await mayUseRecord({ user: u }, input.model, input.resId)) items.push({ id: u.id, name: u.name, email: u.email });
  }
  return { items, total: items.length };
}
