import { Op, type WhereOptions } from 'sequelize';
import type { z } from 'zod';
import type { PickingDue, pickingListQuery } from '../../../contracts/schemas/inventory';
import type { PickingState, PickingType } from '../../../contracts/states';
import { dayRange, utcDay } from '../../db/dates';
import { isSqlite } from '../../db/sequelize';
import { idsWhere, searchedWheres } from '../../http/list';
import type { Auth } from '../auth/access';
import { pickingScope } from './picking.access';
import { pickingSearch } from './picking.search';
import { PickingModel } from './stock.model';

// The filters of the transfers lists (deliveries, receipts), shared by the list and the counts that
// other screens show of it (the dashboard's tiles count exactly what their list shows).

const OPEN_STATES: PickingState[] = ['draft', 'waiting', 'confirmed', 'assigned'];

/**
 * Open transfers (of these types) due before today (late: isLatePicking's rule) or today, in UTC days:
 * the few open ones read from the (state, type, scheduledDate) index, not by walking every done
 * transfer scheduled before them in the list's order.
 */
function dueWhere(due: PickingDue, types: PickingType[] | undefined): WhereOptions<PickingModel> {
  const today = dayRange(utcDay(), utcDay());
  return idsWhere(PickingModel, {
    state: OPEN_STATES,
    ...(types?.length && { type: types }),
    scheduledDate: due === 'late' ? { [Op.lt]: today.start } : { [Op.gte]: today.start, [Op.lt]: today.end },
  });
}

export type PickingFilter = Omit<Partial<z.output<typeof pickingListQuery>>, 'limit' | 'offset'>;

/**
 * The WHERE of a transfers list under the user's record rule (`list`), and of its count (`count`): the
 * same, with the search as the ids it finds (read from the search's indexes, not by walking every
 * transfer of the type to test it). `broad`: a search by a common surname, read along the list's
 * indexes instead (ignoreIndexes) and counted to a lower limit. `byIds`: on SQLite, the list and its
 * count read from the ids the due filter or the search finds (readByIds).
 */
export async function pickingWheres(
  auth: Auth,
  query: PickingFilter,
): Promise<{ list: WhereOptions<PickingModel>; count: WhereOptions<PickingModel>; broad: boolean; byIds: boolean }> {
  const and: WhereOptions[] = [];
  if (query.type?.length) and.push({ type: query.type });
  if (query.state?.length) and.push({ state: query.state });
  if (query.saleOrderId) and.push({ saleOrderId: query.saleOrderId });
  if (query.purchaseOrderId) and.push({ purchaseOrderId: query.purchaseOrderId });
  if (query.due) and.push(dueWhere(query.due, query.type));
  and.push(pickingScope(auth));
  const due = !!query.due && isSqlite();
  if (!query.q?.trim()) return { list: { [Op.and]: and }, count: { [Op.and]: and }, broad: false, byIds: due };
  const wheres = await searchedWheres(PickingModel, and, await pickingSearch(query.q));
  return { ...wheres, byIds: wheres.byIds || due };
}

/** The WHERE of a transfers list under the user's record rule. */
export async function pickingWhere(auth: Auth, query: PickingFilter): Promise<WhereOptions<PickingModel>> {
  return (await pickingWheres(auth, query)).list;
}

/** How many transfers a list shows under these filters. */
export async function countPickings(auth: Auth, query: PickingFilter): Promise<number> {
  return PickingModel.count({ where: await pickingWhere(auth, query) });
}
