import sanitizeHtml from 'sanitize-html';
import { rooms } from '../../../contracts/events';
import type { Follower, Message, MessagePost, TrackingValue, followerCreate, messageListQuery } from '../../../contracts/schemas/chatter';
import type { List } from '../../../contracts/schemas/common';
import type { RecordModel } from '../../../contracts/states';
import type { z } from 'zod';
import { iso } from '../../db/columns';
import { withTransaction, type Tx } from '../../db/transaction';
import { ForbiddenError, NotFoundError, ValidationError } from '../../http/errors';
import { recordSpec } from '../../lib/records';
import { publish } from '../../realtime/publisher';
import { can, type Auth } from '../auth/access';
import { UserModel } from '../auth/user.model';
import { PartnerModel } from '../partners/partner.model';
import { FollowerModel, MessageModel } from './message.model';
import { notifyForMessage } from './notification.service';

// The chatter of any record (model, resId): messages, tracking notes and followers (Odoo mail.thread).

/** 404 when the record does not exist, 403 when the caller may not read (or write) it. */
async function checkRecord(auth: Auth, model: RecordModel, resId: number, need: 'read' | 'write'): Promise<void> {
  const spec = recordSpec(model);
  if (!spec || !(await spec.exists(resId))) throw new NotFoundError(`${model}`, resId);
  if (!can(auth, need === 'read' ? spec.read : spec.write)) throw new ForbiddenError(`Your role may not ${need} ${model} records`);
}

// Rich text keeps its formatting and links; scripts, event handlers and styles never get through.
export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'span'],
    allowedAttributes: { a: ['href', 'title'], span: ['data-mention'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  }).trim();
}

export function toMessage(m: MessageModel, names: Map<number, string>): Message {
  return {
    id: m.id,
    model: m.model as RecordModel,
    resId: m.resId,
    type: m.type,
    body: m.body,
    authorId: m.authorId,
    authorName: m.authorId ? (names.get(m.authorId) ?? null) : null,
    authorPartnerId: m.authorPartnerId,
    tracking: m.tracking ?? [],
    attachments: [],
    createdAt: iso(m.createdAt),
  };
}

export async function authorNames(ids: (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!unique.length) return new Map();
  const users = await UserModel.findAll({ where: { id: unique }, attributes: ['id', 'name'] });
  return new Map(users.map((u) => [u.id, u.name]));
}

function publishMessage(t: Tx, m: MessageModel): void {
  publish(t, rooms.record(m.model as RecordModel, m.resId), 'message.posted', { id: m.id, model: m.model as RecordModel, resId: m.resId, type: m.type });
}

export async function listMessages(auth: Auth, query: z.output<typeof messageListQuery>): Promise<List<Message>> {
  await checkRecord(auth, query.model, query.resId, 'read');
  const where = { model: query.model, resId: query.resId };
  const [rows, total] = await Promise.all([
    MessageModel.findAll({ where, order: [['id', 'DESC']], limit: query.limit, offset: query.offset }),
    MessageModel.count({ where }),
  ]);
  const names = await authorNames(rows.map((r) => r.authorId));
  return { items: rows.map((r) => toMessage(r, names)), total };
}

export async function postMessage(auth: Auth, input: MessagePost): Promise<Message> {
  await checkRecord(auth, input.model, input.resId, 'read');
  const body = sanitizeBody(input.body);
  if (!body) throw ValidationError.field('body', 'is empty once unsafe markup is removed');
  const m = await withTransaction(async (t) => {
    const created = await MessageModel.create(
      { model: input.model, resId: input.resId, type: input.type, body, authorId: auth.user.id, authorPartnerId: null, tracking: null },
      { transaction: t },
    );
    // Whoever posts follows the record from then on.
    await follow(t, input.model, input.resId, { userId: auth.user.id });
    await notifyForMessage(t, created, auth.user.id);
    publishMessage(t, created);
    return created;
  });
  return toMessage(m, new Map([[auth.user.id, auth.user.name]]));
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

/** Adds a follower unless already following (idempotent). */
export async function follow(t: Tx, model: RecordModel, resId: number, who: { userId?: number | null; partnerId?: number | null }): Promise<FollowerModel> {
  const key = { model, resId, userId: who.userId ?? null, partnerId: who.partnerId ?? null };
  const existing = await FollowerModel.findOne({ where: key, transaction: t });
  return existing ?? FollowerModel.create(key, { transaction: t });
}

async function toFollowers(rows: FollowerModel[]): Promise<Follower[]> {
  const userIds = rows.map((r) => r.userId).filter((i): i is number => i !== null);
  const partnerIds = rows.map((r) => r.partnerId).filter((i): i is number => i !== null);
  const [users, partners] = await Promise.all([
    userIds.length ? UserModel.findAll({ where: { id: userIds }, attributes: ['id', 'name'] }) : [],
    partnerIds.length ? PartnerModel.findAll({ where: { id: partnerIds }, attributes: ['id', 'name'] }) : [],
  ]);
  const name = (r: FollowerModel) => (r.userId ? users.find((u) => u.id === r.userId)?.name : partners.find((p) => p.id === r.partnerId)?.name) ?? '';
  return rows.map((r) => ({ id: r.id, model: r.model as RecordModel, resId: r.resId, userId: r.userId, partnerId: r.partnerId, name: name(r) }));
}

export async function listFollowers(auth: Auth, model: RecordModel, resId: number): Promise<List<Follower>> {
  await checkRecord(auth, model, resId, 'read');
  const rows = await FollowerModel.findAll({ where: { model, resId }, order: [['id', 'ASC']] });
  return { items: await toFollowers(rows), total: rows.length };
}

/** Anyone who may read a record may follow it; adding someone else takes the right to change it. */
export async function addFollower(auth: Auth, input: z.output<typeof followerCreate>): Promise<Follower> {
  const self = input.userId === auth.user.id;
  await checkRecord(auth, input.model, input.resId, self ? 'read' : 'write');
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
  await checkRecord(auth, row.model as RecordModel, row.resId, row.userId === auth.user.id ? 'read' : 'write');
  await withTransaction((t) => FollowerModel.destroy({ where: { id }, transaction: t }));
}
