import { Op, type WhereOptions } from 'sequelize';
import type { z } from 'zod';
import type { PickingDue, pickingListQuery } from '../../../contracts/schemas/inventory';
import type { PickingState, PickingType } from '../../../contracts/states';
import { dayRange, utcDay } from '../../db/dates';
import { isSqlite } from '../../db/sequelize';
import { idsWhere, ignoreIndexes, readByIds, searchedWheres, type IndexHintOptions } from '../../http/list';
import type { Auth } from '../auth/access';
import { pickingScope } from './picking.access';
import { PARTNER_INDEXES, pickingSearch } from './picking.search';
import { PickingModel } from './stock.model';

// The filters of the transfers lists (deliveries, receipts), shared by the list and the counts that
// other screens show of it (the dashboard's tiles count exactly what their list shows).

const OPEN_STATES: PickingState[] = ['draft', 'waiting', 'confirmed', 'assigned'];

/**
 * Open transfers (of these types) due before today (late: isLatePicking's rule) or today, in UTC days:
 * the few open ones read from the (state, type, scheduledDate) index, not by walking every done
 * transfer scheduled before them in the list's order. As the ids it finds (idsWhere), or `inline` for a
 * select read INDEXED BY that index (DUE_INDEX, SQLite: covering, the page's ids sorted from it alone).
 */
function dueWhere(due: PickingDue, types: PickingType[] | undefined, inline: boolean): WhereOptions<PickingModel> {
  const today = dayRange(utcDay(), utcDay());
  const where = {
    state: OPEN_STATES,
    ...(types?.length && { type: types }),
    scheduledDate: due === 'late' ? { [Op.lt]: today.start } : { [Op.gte]: today.start, [Op.lt]: today.end },
  };
  return inline ? where : idsWhere(PickingModel, where);
}

/** The index the due filters read (dueWhere). */
const DUE_INDEX = 'stock_pickings_state_type_scheduled';

export type PickingFilter = Omit<Partial<z.output<typeof pickingListQuery>>, 'limit' | 'offset'>;

/**
 * The WHERE of a transfers list under the user's record rule (`list`), and of its count (`count`): the
 * same, with the search as the ids it finds (read from the search's indexes, not by walking every
 * transfer of the type to test it). `broad`: a search by a common surname, read along the list's
 * indexes instead (ignoreIndexes) and counted to a lower limit. `hints`: how the list and its count read
 * (IndexHintOptions: a narrow search from its ids on SQLite); `hinted`: the caller reads with them, so
 * on SQLite a due filter may read its index (DUE_INDEX) instead of its ids.
 */
export async function pickingWheres(
  auth: Auth,
  query: PickingFilter,
  hinted = false,
): Promise<{ list: WhereOptions<PickingModel>; count: WhereOptions<PickingModel>; broad: boolean; hints: IndexHintOptions }> {
  const indexedDue = hinted && isSqlite() && !!query.due;
  const and: WhereOptions[] = [];
  if (query.type?.length) and.push({ type: query.type });
  if (query.state?.length) and.push({ state: query.state });
  if (query.saleOrderId) and.push({ saleOrderId: query.saleOrderId });
  if (query.purchaseOrderId) and.push({ purchaseOrderId: query.purchaseOrderId });
  if (query.due) and.push(dueWhere(query.due, query.type, indexedDue));
  and.push(pickingScope(auth));
  const dueHints: IndexHintOptions = indexedDue ? { indexedBy: DUE_INDEX } : {};
  if (!query.q?.trim()) return { list: { [Op.and]: and }, count: { [Op.and]: and }, broad: false, hints: dueHints };
  const { byIds, ...wheres } = await searchedWheres(PickingModel, and, await pickingSearch(query.q));
  return { ...wheres, hints: byIds ? readByIds() : indexedDue ? dueHints : wheres.broad ? ignoreIndexes(PARTNER_INDEXES) : {} };
}

/** The WHERE of a transfers list under the user's record rule. */
export async function pickingWhere(auth: Auth, query: PickingFilter): Promise<WhereOptions<PickingModel>> {
  return (await pickingWheres(auth, query)).list;
}

/** How many transfers a list shows under these filters. */
export async function countPickings(auth: Auth, query: PickingFilter): Promise<number> {
  return PickingModel.count({ where: await pickingWhere(auth, query) });
}
