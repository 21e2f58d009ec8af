import sanitizeHtml from 'sanitize-html';
import { Op, UniqueConstraintError } from 'sequelize';
import { rooms } from '../../../contracts/events';
import type { Attachment, Follower, Message, MessagePost, TrackingValue, followerCreate, messageListQuery } from '../../../contracts/schemas/chatter';
import type { List } from '../../../contracts/schemas/common';
import type { RecordModel } from '../../../contracts/states';
import type { z } from 'zod';
import { iso } from '../../db/columns';
import { withTransaction, type Tx } from '../../db/transaction';
import { NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm } from '../../http/list';
import { assertRecordAccess, mayUseRecord, recordSpec } from '../../lib/records';
import { bareAddress, displayName } from '../mail/inbound.service';
import { publish } from '../../realtime/publisher';
import { requireAccess, type Auth } from '../auth/access';
import { UserModel } from '../auth/user.model';
import { PartnerModel } from '../partners/partner.model';
import { attachmentsOf, linkUploads, toAttachment } from './attachments.service';
import { FollowerModel, MessageModel } from './message.model';
import { mailForMessage } from './message-mail';
import { notifyForMessage } from './notification.service';

// The chatter of any record (model, resId): messages, tracking notes and followers (Odoo mail.thread).

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

export async function messageExtras(rows: MessageModel[]): Promise<MessageExtras> {
  const ids = (pick: (m: MessageModel) => number | null) => [...new Set(rows.map(pick).filter((i): i is number => i !== null))];
  const userIds = ids((m) => m.authorId);
  const partnerIds = ids((m) => m.authorPartnerId);
  const [users, partners, attachments] = await Promise.all([
    userIds.length ? UserModel.findAll({ where: { id: userIds }, attributes: ['id', 'name'] }) : [],
    partnerIds.length ? PartnerModel.findAll({ where: { id: partnerIds }, attributes: ['id', 'name'] }) : [],
    attachmentsOf(rows.map((m) => m.id)),
  ]);
  return { users: new Map(users.map((u) => [u.id, u.name])), partners: new Map(partners.map((p) => [p.id, p.name])), attachments };
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
  const extras = await messageExtras(rows);
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
  // Whoever posts follows the record from then on.
  if ('userId' in input.author) await follow(t, input.model, input.resId, { userId: input.author.userId });
  else if (input.author.partnerId) await follow(t, input.model, input.resId, { partnerId: input.author.partnerId });
  const notified = await notifyForMessage(t, created, byUser ? (input.author as { userId: number }).userId : null);
  if (input.mail !== false) {
    await mailForMessage(t, created, { notifiedUserIds: notified, attachments, authorName: input.author.name, excludePartnerIds: input.excludePartnerIds });
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

/** Removes a follower if present (idempotent). */
export async function unfollow(t: Tx, model: RecordModel, resId: number, who: { userId?: number | null; partnerId?: number | null }): Promise<void> {
  await FollowerModel.destroy({ where: { model, resId, userId: who.userId ?? null, partnerId: who.partnerId ?? null }, transaction: t });
}

/** Adds a follower unless already following (idempotent). */
export async function follow(t: Tx, model: RecordModel, resId: number, who: { userId?: number | null; partnerId?: number | null }): Promise<FollowerModel> {
  const key = { model, resId, userId: who.userId ?? null, partnerId: who.partnerId ?? null };
  const existing = await FollowerModel.findOne({ where: key, transaction: t });
  if (existing) return existing;
  try {
    return await FollowerModel.create(key, { transaction: t });
  } catch (err) {
    // Followed meanwhile by a concurrent transaction (MySQL: only this statement failed). A locking
    // read sees that committed row, which this transaction's snapshot does not.
    if (!(err instanceof UniqueConstraintError)) throw err;
    const row = await FollowerModel.findOne({ where: key, transaction: t, lock: t.LOCK.SHARE });
    if (!row) throw err;
    return row;
  }
}

/** The partners of a record: the customer or vendor it concerns and every partner who follows it. */
export async function recordPartnerIds(t: Tx, model: RecordModel, resId: number): Promise<Set<number>> {
  const followers = await FollowerModel.findAll({ where: { model, resId, partnerId: { [Op.ne]: null } }, attributes: ['partnerId'], transaction: t });
  const record = await recordSpec(model)?.describe(resId, t);
  const ids = new Set(followers.map((f) => f.partnerId!));
  if (record?.partnerId) ids.add(record.partnerId);
  return ids;
}

/** Followers of records created in t (nobody follows them yet), in one statement. */
export async function followNew(t: Tx, model: RecordModel, entries: { resId: number; userId?: number | null; partnerId?: number | null }[]): Promise<void> {
  if (!entries.length) return;
  await FollowerModel.bulkCreate(
    entries.map((e) => ({ model, resId: e.resId, userId: e.userId ?? null, partnerId: e.partnerId ?? null })),
    { transaction: t, validate: true },
  );
}

async function toFollowers(rows: FollowerModel[]): Promise<Follower[]> {
  const userIds = rows.map((r) => r.userId).filter((i): i is number => i !== null);
  const partnerIds = rows.map((r) => r.partnerId).filter((i): i is number => i !== null);
  const [users, partners] = await Promise.all([
    userIds.length ? UserModel.findAll({ where: { id: userIds }, attributes: ['id', 'name'] }) : [],
    partnerIds.length ? PartnerModel.findAll({ where: { id: partnerIds }, attributes: ['id', 'name'] }) : [],
  ]);
  const name = (r: FollowerModel) => (r.userId ? users.find((u) => u.id === r.userId)?.name : partners.find((p) => p.id === r.partnerId)?.name) ?? '';
  return rows.map((r) => ({
    id: r.id,
    model: r.model as RecordModel,
    resId: r.resId,
    userId: r.userId,
    partnerId: r.partnerId,
    name: name(r),
    muted: r.muted,
  }));
}

export async function listFollowers(auth: Auth, model: RecordModel, resId: number): Promise<List<Follower>> {
  await assertRecordAccess(auth, model, resId, 'read');
  const rows = await FollowerModel.findAll({ where: { model, resId }, order: [['id', 'ASC']] });
  return { items: await toFollowers(rows), total: rows.length };
}

/** Anyone who may read a record may follow it; adding someone else takes the right to change it. */
export async function addFollower(auth: Auth, input: z.output<typeof followerCreate>): Promise<Follower> {
  const self = input.userId === auth.user.id;
  await assertRecordAccess(auth, input.model, input.resId, self ? 'read' : 'write');
  const row = await withTransaction(async (t) => {
    if (input.userId && !(await UserModel.findByPk(input.userId, { transaction: t }))) {
      throw ValidationError.field('userId', `user ${input.userId} does not exist`);
    }
    if (input.partnerId && !(await PartnerModel.findByPk(input.partnerId, { transaction: t }))) {
      throw ValidationError.field('partnerId', `partner ${input.partnerId} does not exist`);
    }
    return follow(t, input.model, input.resId, { userId: input.userId, partnerId: input.partnerId });
  });
  return (await toFollowers([row]))[0]!;
}

export async function removeFollower(auth: Auth, id: number): Promise<void> {
  const row = await FollowerModel.findByPk(id);
  if (!row) throw new NotFoundError('Follower', id);
  await assertRecordAccess(auth, row.model as RecordModel, row.resId, row.userId === auth.user.id ? 'read' : 'write');
  await withTransaction((t) => FollowerModel.destroy({ where: { id }, transaction: t }));
}

/** Mutes (or unmutes) the record for the signed-in user: no inbox notification or email from it, @mentions aside. */
export async function setMuted(auth: Auth, input: { model: RecordModel; resId: number; muted: boolean }): Promise<Follower> {
  await assertRecordAccess(auth, input.model, input.resId, 'read');
  const row = await withTransaction(async (t) => {
    const f = await follow(t, input.model, input.resId, { userId: auth.user.id });
    if (f.muted !== input.muted) {
      f.muted = input.muted;
      await f.save({ transaction: t });
    }
    return f;
  });
  return (await toFollowers([row]))[0]!;
}

/** Users who may read the record, for @mention autocomplete. */
export async function mentionCandidates(
  auth: Auth,
  input: { model: RecordModel; resId: number; q: string },
): Promise<List<{ id: number; name: string; email: string }>> {
  await assertRecordAccess(auth, input.model, input.resId, 'read');
  const term = likeTerm(input.q);
  const users = await UserModel.findAll({
    where: { active: true, ...(input.q && { [Op.or]: [{ name: { [Op.like]: term } }, { email: { [Op.like]: term } }] }) },
    attributes: ['id', 'name', 'email', 'role', 'orderAccess'],
    order: [['name', 'ASC']],
    limit: 50,
  });
  const items = [];
  for (const u of users) {
    if (items.length === 10) break;
    if (await mayUseRecord({ user: u }, input.model, input.resId)) items.push({ id: u.id, name: u.name, email: u.email });
  }
  return { items, total: items.length };
}
