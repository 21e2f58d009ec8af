import { Op, type Includeable, type Order, type WhereOptions } from 'sequelize';
import { rooms, type PresenceUser } from '../../../contracts/events';
import { type SaleOrder, type SaleOrderFilters, type SaleOrderList, type SaleOrderListQuery, type StateCounts } from '../../../contracts/schemas/sales';
import { SALE_ORDER_STATES, type SaleOrderState } from '../../../contracts/states';
import { isSqlite } from '../../db/sequelize';
import type { Tx } from '../../db/transaction';
import { NotFoundError } from '../../http/errors';
import {
  afterCursor,
  countEachUpTo,
  countUpTo,
  ignoreIndexes,
  listCountLimit,
  listPage,
  orderFrom,
  type IndexHintOptions,
  type SortKey,
} from '../../http/list';
import { publish } from '../../realtime/publisher';
import { requireAccess, type Auth } from '../auth/access';
import { assertOrderAccess, orderScope } from './sale-order.access';
import { deriveDeliveryStatus, deriveInvoiceStatus, toSaleOrder, toSummary } from './sale-order.mapper';
import { SaleOrderLineModel, SaleOrderModel } from './sale-order.model';
import { CUSTOMER_INDEXES, orderSearch, partnerInclude } from './sale-order.search';
import { totals } from './sale-order.lines';

// Reading orders: the board's list and counts, one order with its lines, and publishing a change.
// Creating is sale-order.create.ts, correcting sale-order.update.ts, state changes sale-order.actions.ts.

const fullInclude: Includeable[] = [partnerInclude, { model: SaleOrderLineModel, as: 'lines', include: [{ association: 'product' }] }];

const SORTABLE = ['name', 'dateOrder', 'amountTotal', 'createdAt', 'updatedAt', 'state'] as const;
// What each sort's cursor holds.
const SORT_KEYS: Record<(typeof SORTABLE)[number], SortKey> = {
  name: { kind: 'text' },
  dateOrder: { kind: 'date' },
  amountTotal: { kind: 'number' },
  createdAt: { kind: 'date' },
  updatedAt: { kind: 'date' },
  state: { kind: 'text' },
};

/**
 * The board's filters, shared by the list, the state counts and the CSV export: `where`, and `broad`: a
 * customer search matching a large share of the customers (orderSearch), which reads best along the
 * sort's or the filter's index (boardHints) and is counted to a lower limit.
 */
type BoardFilter = { where: WhereOptions<SaleOrderModel>; broad: boolean };

async function boardFilter(f: Partial<SaleOrderFilters>): Promise<BoardFilter> {
  const and: WhereOptions[] = [];
  if (f.state?.length) and.push({ state: f.state });
  if (f.partnerId) and.push({ partnerId: f.partnerId });
  if (f.invoiceStatus) and.push({ invoiceStatus: f.invoiceStatus });
  if (f.deliveryStatus) and.push({ deliveryStatus: f.deliveryStatus });
  if (f.needsAttention !== undefined) and.push({ needsAttention: f.needsAttention });
  if (f.channelId) and.push({ channelId: f.channelId });
  if (f.dateFrom) and.push({ dateOrder: { [Op.gte]: new Date(`${f.dateFrom}T00:00:00Z`) } });
  if (f.dateTo) and.push({ dateOrder: { [Op.lt]: new Date(new Date(`${f.dateTo}T00:00:00Z`).getTime() + 86_400_000) } });
  const search = f.q?.trim() ? await orderSearch(f.q) : null;
  // One customer chosen as well: that customer's index serves, the search is no longer broad.
  return { where: { [Op.and]: search ? [search.where, ...and] : and }, broad: !!search?.broad && !f.partnerId };
}

/** The WHERE of the board's filters (the list's, the state counts', the CSV export's). */
export async function filterWhere(f: Partial<SaleOrderFilters>): Promise<WhereOptions<SaleOrderModel>> {
  return (await boardFilter(f)).where;
}

export { partnerInclude };

/** A broad search walks the sort's or the filter's index on MariaDB (ignoreIndexes). */
const boardHints = (filter: BoardFilter): IndexHintOptions => (filter.broad ? ignoreIndexes(CUSTOMER_INDEXES) : {});

export async function listSaleOrders(auth: Auth, query: SaleOrderListQuery): Promise<SaleOrderList> {
  requireAccess(auth, 'saleOrder.read');
  const filter = await boardFilter(query);
  const where = { [Op.and]: [filter.where, orderScope(auth)] };
  const hints = boardHints(filter);
  const [rows, total] = await Promise.all([
    boardPage(query.after ? { [Op.and]: [where, afterCursor(query.sort, query.after, SORT_KEYS)] } : where, hints, {
      order: orderFrom(query.sort, SORTABLE, '-createdAt'),
      limit: query.limit,
      offset: query.after ? 0 : query.offset,
    }),
    countUpTo(SaleOrderModel, where, listCountLimit(filter.broad), hints),
  ]);
  return listPage(
    rows.map((o) => toSummary(o, o.partner?.name ?? '')),
    total,
    query.limit,
    query.sort,
  );
}

/** From this offset on, a page reads its ids alone first (along the sort's index, no row read), then its rows. */
const DEEP_OFFSET = 100;

/** One page of the board; a deep offset skips along the index alone, then reads the page's rows by id. */
async function boardPage(
  where: WhereOptions<SaleOrderModel>,
  hints: IndexHintOptions,
  { order, limit, offset }: { order: Order; limit: number; offset: number },
): Promise<SaleOrderModel[]> {
  if (offset < DEEP_OFFSET) return SaleOrderModel.findAll({ where, include: [partnerInclude], order, limit, offset: offset || undefined, ...hints });
  const ids = await SaleOrderModel.findAll({ where, attributes: ['id'], order, limit, offset, raw: true, ...hints });
  if (!ids.length) return [];
  return SaleOrderModel.findAll({ where: { id: ids.map((r) => r.id) }, include: [partnerInclude], order });
}

/** Orders per state for the board's columns, under the same filters (state aside), each counted up to the limit. */
export async function countByState(auth: Auth, filters: Partial<SaleOrderFilters>): Promise<StateCounts> {
  requireAccess(auth, 'saleOrder.read');
  const filter = await boardFilter({ ...filters, state: undefined });
  const where = { [Op.and]: [filter.where, orderScope(auth)] };
  const { counts, estimated } = await countEachUpTo(SaleOrderModel, where, 'state', SALE_ORDER_STATES, listCountLimit(filter.broad), boardHints(filter));
  return { ...counts, ...(estimated.length && { estimated }) };
}

export async function loadOrder(t: Tx | null, id: number, lock = false): Promise<SaleOrderModel> {
  if (lock && t && !isSqlite()) {
    // Lock the order row first (MySQL), then read it with its lines. SQLite transactions already run one at a time.
    const row = await SaleOrderModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE });
    if (!row) throw new NotFoundError('Sale order', id);
  }
  const o = await SaleOrderModel.findByPk(id, { include: fullInclude, transaction: t });
  if (!o) throw new NotFoundError('Sale order', id);
  return o;
}

export async function getSaleOrder(auth: Auth, id: number): Promise<SaleOrder> {
  requireAccess(auth, 'saleOrder.read');
  const o = await loadOrder(null, id);
  assertOrderAccess(auth, o);
  return toSaleOrder(o);
}

/** Publishes order.created/updated to the board and the record room once t commits. */
export function publishOrder(t: Tx, o: SaleOrderModel, auth: Auth | null, before?: { state: SaleOrderState; version: number }): void {
  const payload = {
    id: o.id,
    version: o.version,
    order: toSummary(o, o.partner?.name ?? ''),
    ...(auth && { by: { id: auth.user.id, name: auth.user.name } satisfies PresenceUser }),
  };
  // Users limited to their own orders watch the board through their own board room.
  const targets = [rooms.ordersBoard, rooms.record('saleOrder', o.id), ...(o.createdById ? [rooms.ownBoard(rooms.ordersBoard, o.createdById)] : [])];
  if (before) publish(t, targets, 'order.updated', { ...payload, before });
  else publish(t, targets, 'order.created', payload);
}

/** Re-derives totals and statuses from the lines and saves the order (bumping its version). */
export async function saveWithLines(o: SaleOrderModel, lines: SaleOrderLineModel[], t: Tx): Promise<void> {
  o.set({ ...totals(lines), invoiceStatus: deriveInvoiceStatus(o.state, lines), deliveryStatus: deriveDeliveryStatus(lines) });
  o.lines = lines;
  o.changed('updatedAt', true);
  await o.save({ transaction: t });
}
