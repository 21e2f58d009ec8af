import type { RecordModel } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { FollowerModel } from './message.model';

// Reads of followers for other domains (accounting: the copies of an emailed invoice).

/** The followers of a record who have not muted it. */
export async function activeFollowers(t: Tx, model: RecordModel, resId: number): Promise<Pick<FollowerModel, 'userId' | 'partnerId'>[]> {
  return FollowerModel.findAll({ where: { model, resId, muted: false }, transaction: t });
}
