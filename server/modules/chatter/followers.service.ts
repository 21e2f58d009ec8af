import { Op, UniqueConstraintError } from 'sequelize';
import type { z } from 'zod';
import type { Follower, followerCreate } from '../../../contracts/schemas/chatter';
import type { List } from '../../../contracts/schemas/common';
import type { RecordModel } from '../../../contracts/states';
import { withTransaction, type Tx } from '../../db/transaction';
import { NotFoundError, ValidationError } from '../../http/errors';
import { assertRecordAccess, recordSpec } from '../../lib/records';
import type { Auth } from '../auth/access';
import { userExists, userNames } from '../auth/users.service';
import { partnerExists, partnerNames } from '../partners/partner.service';
import { FollowerModel } from './message.model';

// Who follows a record (users and partners): they are notified of its messages, partners by email.

/** Removes a follower if present (idempotent). */
export async function unfollow(t: Tx, model: RecordModel, resId: number, who: { userId?: number | null; partnerId?: number | null }): Promise<void> {
  await FollowerModel.destroy({ where: { model, resId, userId: who.userId ?? null, partnerId: who.partnerId ?? null }, transaction: t });
}

/** Adds a follower unless already following (idempotent). */
export async function follow(t: Tx, model: RecordModel, resId: number, who: { userId?: number | null; partnerId?: number | null }): Promise<FollowerModel> {
  const key = { model, resId, userId: who.userId ?? null, partnerId: who.partnerId ?? null };
  const existing = await FollowerModel.findOne({ where: key, transaction: t });
  if (existing) return existing;
  return insertFollower(t, key);
}

async function insertFollower(t: Tx, key: { model: RecordModel; resId: number; userId: number | null; partnerId: number | null }): Promise<FollowerModel> {
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

/** Every follower of a record, read once in t by a new message (its author, notifications, emails). */
export async function recordFollowers(t: Tx, model: RecordModel, resId: number): Promise<FollowerModel[]> {
  return FollowerModel.findAll({ where: { model, resId }, transaction: t });
}

/** follow() on a record whose followers were read in t (recordFollowers): a new one is added to `known`. */
export async function followKnown(
  t: Tx,
  model: RecordModel,
  resId: number,
  who: { userId?: number | null; partnerId?: number | null },
  known: FollowerModel[],
): Promise<void> {
  const userId = who.userId ?? null;
  const partnerId = who.partnerId ?? null;
  if (known.some((f) => f.userId === userId && f.partnerId === partnerId)) return;
  known.push(await insertFollower(t, { model, resId, userId, partnerId }));
}

/** The partners of a record: the customer or vendor it concerns and every partner who follows it. */
export async function recordPartnerIds(t: Tx, model: RecordModel, resId: number): Promise<Set<number>> {
  const followers = await FollowerModel.findAll({ where: { model, resId, partnerId: { [Op.ne]: null } }, attributes: ['partnerId'], transaction: t });
  const record = await recordSpec(model)?.describe(t, resId);
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

/** The users following a record who are not muting it, in t (from `known` when read already). */
export async function unmutedUserFollowers(t: Tx, model: string, resId: number, known?: FollowerModel[]): Promise<number[]> {
  if (known) return known.filter((f) => f.userId !== null && !f.muted).map((f) => f.userId!);
  const rows = await FollowerModel.findAll({ where: { model, resId, userId: { [Op.ne]: null }, muted: false }, attributes: ['userId'], transaction: t });
  return rows.map((f) => f.userId!);
}

/** The partners following a record who are not muting it, in t (from `known` when read already). */
export async function unmutedPartnerFollowers(t: Tx, model: string, resId: number, known?: FollowerModel[]): Promise<number[]> {
  if (known) return known.filter((f) => f.partnerId !== null && !f.muted).map((f) => f.partnerId!);
  const rows = await FollowerModel.findAll({ where: { model, resId, partnerId: { [Op.ne]: null }, muted: false }, attributes: ['partnerId'], transaction: t });
  return rows.map((f) => f.partnerId!);
}

async function toFollowers(rows: FollowerModel[]): Promise<Follower[]> {
  const [users, partners] = await Promise.all([
    userNames(
      null,
      rows.map((r) => r.userId),
    ),
    partnerNames(
      null,
      rows.map((r) => r.partnerId),
    ),
  ]);
  const name = (r: FollowerModel) => (r.userId ? users.get(r.userId) : r.partnerId !== null ? partners.get(r.partnerId) : undefined) ?? '';
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
    if (input.userId && !(await userExists(t, input.userId))) {
      throw ValidationError.field('userId', `user ${input.userId} does not exist`);
    }
    if (input.partnerId && !(await partnerExists(t, input.partnerId))) {
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
