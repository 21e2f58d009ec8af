import { rooms } from '../../../contracts/events';
import type { RecordModel } from '../../../contracts/states';
import { insertRows } from '../../db/bulk';
import { afterCommit, type Tx } from '../../db/transaction';
import { emitNow } from '../../realtime/publisher';

// The chatter of many records at once, for records just created by the system in t (an import's chunk):
// their followers in one statement, their notes in another, message.posted for each after commit.

/**
 * Followers of records created in t (nobody follows them yet), in one statement: what followNew
 * writes, without a model instance per row.
 */
export async function followNewRecords(
  t: Tx,
  model: RecordModel,
  entries: { resId: number; userId?: number | null; partnerId?: number | null }[],
): Promise<void> {
  if (!entries.length) return;
  const now = new Date();
  await insertRows(
    t,
    'followers',
    ['model', 'resId', 'userId', 'partnerId', 'muted', 'followerKey', 'createdAt'],
    entries.map((e) => [model, e.resId, e.userId ?? null, e.partnerId ?? null, false, e.userId != null ? `u:${e.userId}` : `p:${e.partnerId}`, now]),
  );
}

/**
 * Internal notes by the system (a channel's "This order needs attention: …") on records created in t,
 * one statement for them all (the author is written as createMessage writes a channel: no user, no
 * partner, an empty address). What createMessage does for such a note comes to this: no author
 * to add as a follower, nobody to notify (a new record's only followers are partners, and notes are
 * staff-only), no email; message.posted in each record's room after commit.
 */
export async function noteNewRecords(t: Tx, model: RecordModel, notes: { resId: number; body: string }[]): Promise<void> {
  if (!notes.length) return;
  const now = new Date();
  const ids = await insertRows(
    t,
    'messages',
    ['model', 'resId', 'type', 'body', 'authorId', 'authorPartnerId', 'emailFrom', 'tracking', 'createdAt'],
    notes.map((n) => [model, n.resId, 'note', n.body, null, null, '', null, now]),
    { ids: true },
  );
  afterCommit(t, () => {
    notes.forEach((n, i) => emitNow(rooms.record(model, n.resId), 'message.posted', { id: ids[i]!, model, resId: n.resId, type: 'note' }));
  });
}
