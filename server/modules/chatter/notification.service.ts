import type { z } from 'zod';
import { rooms } from '../../../contracts/events';
import type { Notification, NotificationList, notificationListQuery } from '../../../contracts/schemas/chatter';
import type { RecordModel } from '../../../contracts/states';
import { iso } from '../../db/columns';
import { withTransaction, type Tx } from '../../db/transaction';
import { NotFoundError } from '../../http/errors';
import { mayUseRecord, recordSpec } from '../../lib/records';
import { publish } from '../../realtime/publisher';
import type { Auth } from '../auth/access';
import { activeUsers } from '../auth/users.service';
import { follow, followKnown, unmutedUserFollowers } from './followers.service';
import { MessageModel, NotificationModel, type FollowerModel } from './message.model';
import { messageExtras, toMessage, type MessageExtras } from './message.mapper';

const MENTION = /data-mention="(\d+)"/g;

/** Users named in a body by `<span data-mention="<userId>">`, as the console's @-autocomplete writes them. */
export function mentionedUserIds(body: string): number[] {
  return [...new Set([...body.matchAll(MENTION)].map((m) => Number(m[1])))];
}

/**
 * Writes one inbox notification per user who follows the record (the author and muted followers aside) and per
 * @mentioned user who may read it, in the message's transaction; each is announced on the user's
 * room after commit. Mentioned users follow the record from then on. Returns who was notified.
 */
export async function notifyForMessage(t: Tx, m: MessageModel, authorId: number | null, known?: FollowerModel[]): Promise<number[]> {
  const mentioned = mentionedUserIds(m.body).filter((id) => id !== authorId);
  const mentionedUsers = await activeUsers(t, mentioned);
  // Only who may read the record is told of it.
  const readable: number[] = [];
  for (const u of mentionedUsers) if (await mayUseRecord({ user: u }, m.model, m.resId)) readable.push(u.id);
  for (const userId of readable) {
    if (known) await followKnown(t, m.model as RecordModel, m.resId, { userId }, known);
    else await follow(t, m.model as RecordModel, m.resId, { userId });
  }
  const followers = await unmutedUserFollowers(t, m.model, m.resId, known);
  const reasons = new Map<number, 'follower' | 'mention'>();
  for (const userId of followers) if (userId !== authorId) reasons.set(userId, 'follower');
  for (const id of readable) reasons.set(id, 'mention');
  if (!reasons.size) return [];
  const rows = await NotificationModel.bulkCreate(
    [...reasons].map(([userId, reason]) => ({ userId, messageId: m.id, reason, isRead: false })),
    { transaction: t },
  );
  for (const n of rows) publish(t, rooms.user(n.userId), 'notification.created', { id: n.id });
  return [...reasons.keys()];
}

function toNotification(n: NotificationModel, extras: MessageExtras, names: Map<string, string>): Notification {
  const m = n.message!;
  return {
    recordName: names.get(`${m.model}:${m.resId}`) ?? null,
    id: n.id,
    reason: n.reason,
    isRead: n.isRead,
    createdAt: iso(n.createdAt),
    message: toMessage(m, extras),
  };
}

/** The signed-in user's inbox, newest first, with the unread count for the header badge. */
export async function listNotifications(auth: Auth, query: z.output<typeof notificationListQuery>): Promise<NotificationList> {
  const where = { userId: auth.user.id, ...(query.unread !== undefined && { isRead: !query.unread }) };
  const [rows, total, unread] = await Promise.all([
    NotificationModel.findAll({ where, include: [{ model: MessageModel, as: 'message' }], order: [['id', 'DESC']], limit: query.limit, offset: query.offset }),
    NotificationModel.count({ where }),
    NotificationModel.count({ where: { userId: auth.user.id, isRead: false } }),
  ]);
  const messages = rows.map((r) => r.message!);
  const extras = await messageExtras(null, messages);
  const names = new Map<string, string>();
  for (const key of new Set(rows.map((r) => `${r.message!.model}:${r.message!.resId}`))) {
    const [model, resId] = key.split(':');
    const info = await recordSpec(model!)?.describe(null, Number(resId));
    if (info) names.set(key, info.name);
  }
  return { items: rows.map((r) => toNotification(r, extras, names)), total, unread };
}

export async function markRead(auth: Auth, id: number): Promise<void> {
  const n = await withTransaction((t) => NotificationModel.update({ isRead: true }, { where: { id, userId: auth.user.id }, transaction: t }));
  if (!n[0]) {
    // Already read is fine; someone else's or a missing one is not found.
    const own = await NotificationModel.findOne({ where: { id, userId: auth.user.id }, attributes: ['id'] });
    if (!own) throw new NotFoundError('Notification', id);
  }
}

export async function markAllRead(auth: Auth): Promise<void> {
  await withTransaction((t) => NotificationModel.update({ isRead: true }, { where: { userId: auth.user.id, isRead: false }, transaction: t }));
}
