import { Op, literal, type Includeable, type WhereOptions } from 'sequelize';
import { rooms, type PresenceUser } from '../../../contracts/events';
import type {
  PurchaseOrder,
  PurchaseOrderFilters,
  PurchaseOrderList,
  PurchaseOrderListQuery,
  PurchaseStateCounts,
} from '../../../contracts/schemas/purchasing';
import { PURCHASE_ORDER_STATES, type PurchaseOrderState } from '../../../contracts/states';
import { isSqlite } from '../../db/sequelize';
import type { Tx } from '../../db/transaction';
import { NotFoundError } from '../../http/errors';
import {
  afterCursor,
  countEachUpTo,
  countUpTo,
  findPage,
  ignoreIndexes,
  likeTerm,
  listCountLimit,
  readByIds,
  searchedWheres,
  listPage,
  orderFrom,
  unindexed,
  type SortKey,
} from '../../http/list';
import { publish } from '../../realtime/publisher';
import { requireAccess, type Auth } from '../auth/access';
import { purchaseInvoiceIds } from '../accounting/invoice.service';
import { purchasePickingIds } from '../inventory/picking.service';
import { orderNames } from '../sales/sale-order.queries';
import { assertPurchaseAccess, purchaseScope } from './purchase-order.access';
import { earliestPlanned, purchaseTotals } from './purchase-order.lines';
import { toPurchaseOrder, toPurchaseSummary } from './purchase-order.mapper';
import { PurchaseLineDemandModel, PurchaseOrderLineModel, PurchaseOrderModel } from './purchase-order.model';
import { purchaseSearch, VENDOR_INDEXES } from './purchase-order.search';
import { vendorNotificationsOf } from './vendor-notification.queries';

// Reading purchase orders: the board's list and counts, one order with its lines and what it serves,
// publishing a change. Creating and editing drafts is purchase-order.create.ts, state changes
// purchase-order.actions.ts, filling a vendor's draft RFQ purchase-order.draft.ts.

const partnerInclude: Includeable = { association: 'partner', attributes: ['id', 'name', 'email'] };
const lineInclude: Includeable = {
  model: PurchaseOrderLineModel,
  as: 'lines',
  include: [{ association: 'product' }, { model: PurchaseLineDemandModel, as: 'demands' }],
};
const linesOnlyInclude: Includeable = { model: PurchaseOrderLineModel, as: 'lines', include: [{ association: 'product' }] };

const SORTABLE = ['name', 'dateOrder', 'datePlanned', 'amountTotal', 'createdAt'] as const;
// What each sort's cursor holds (an RFQ may have no planned date yet).
const SORT_KEYS: Record<(typeof SORTABLE)[number], SortKey> = {
  name: { kind: 'text' },
  dateOrder: { kind: 'date' },
  datePlanned: { kind: 'date', nullable: true },
  amountTotal: { kind: 'number' },
  createdAt: { kind: 'date' },
};

/** The ids of the POs serving a sale order, as a subquery. */
const servingOrder = (saleOrderId: number) => ({
  [Op.in]: literal(
    `(SELECT l.orderId FROM purchase_order_lines l JOIN purchase_line_demands d ON d.purchaseLineId = l.id WHERE d.saleOrderId = ${Number(saleOrderId)})`,
  ),
});

/**
 * The WHERE of the purchase board's filters (`list`), and of its counts (`count`: the same, the search as
 * the ids it finds, read from the search's indexes first). `broad`: a search by a common surname, read
 * along the list's indexes instead (ignoreIndexes) and counted to a lower limit. `byIds`: on SQLite, read
 * from the ids the search finds (readByIds).
 */
export async function purchaseWheres(
  f: Partial<PurchaseOrderFilters>,
): Promise<{ list: WhereOptions<PurchaseOrderModel>; count: WhereOptions<PurchaseOrderModel>; broad: boolean; byIds: boolean }> {
  const and: WhereOptions[] = [];
  if (f.state?.length) and.push({ state: f.state });
  if (f.partnerId) and.push({ partnerId: f.partnerId });
  if (f.origin) and.push({ origin: { [Op.like]: likeTerm(f.origin) } });
  if (f.saleOrderId) and.push({ id: servingOrder(f.saleOrderId) });
  if (f.late !== undefined) {
    const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
    // The late ones walked newest first along (state, createdAt), not all sorted (unindexed: SQLite).
    const late = { [Op.and]: [{ state: 'purchase' }, unindexed(PurchaseOrderModel, 'datePlanned', { [Op.lt]: today })] };
    and.push(f.late ? late : { [Op.not]: late });
  }
  if (!f.q?.trim()) return { list: { [Op.and]: and }, count: { [Op.and]: and }, broad: false, byIds: false };
  const search = await purchaseSearch(f.q);
  // One vendor chosen as well: that vendor's index serves, the search is no longer broad.
  return searchedWheres(PurchaseOrderModel, and, { ...search, broad: search.broad && !f.partnerId });
}

export async function listPurchaseOrders(auth: Auth, query: PurchaseOrderListQuery): Promise<PurchaseOrderList> {
  requireAccess(auth, 'purchase.read');
  // Counted from the search's own indexes when there is one (on MariaDB the page reads the list's order
  // instead; SQLite reads it from the ids as well: byIds).
  const wheres = await purchaseWheres(query);
  const where = { [Op.and]: [wheres.list, purchaseScope(auth)] };
  const page = query.after ? { [Op.and]: [where, afterCursor(query.sort, query.after, SORT_KEYS)] } : where;
  const counted = { [Op.and]: [wheres.count, purchaseScope(auth)] };
  const hints = { ...(wheres.broad && ignoreIndexes(VENDOR_INDEXES)), ...(wheres.byIds && readByIds()) };
  const [ids, total] = await Promise.all([
    findPage(PurchaseOrderModel, {
      where: page,
      attributes: ['id'],
      limit: query.limit,
      offset: query.after ? undefined : query.offset,
      order: orderFrom(query.sort, SORTABLE, '-createdAt'),
      ...hints,
    }),
    countUpTo(PurchaseOrderModel, counted, listCountLimit(wheres.broad), hints),
  ]);
  // The page's orders with their lines (what "received" and "late" need), in the page's order.
  const rows = ids.length ? await PurchaseOrderModel.findAll({ where: { id: ids.map((r) => r.id) }, include: [partnerInclude, lineInclude] }) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return listPage(
    ids.map((r) => toPurchaseSummary(byId.get(r.id)!)),
    total,
    query.limit,
    query.sort,
  );
}

/** Purchase orders per state for the board's chips and columns, under the same filters (state aside), each counted up to the limit. */
export async function countPurchasesByState(auth: Auth, filters: Partial<PurchaseOrderFilters>): Promise<PurchaseStateCounts> {
  requireAccess(auth, 'purchase.read');
  const wheres = await purchaseWheres({ ...filters, state: undefined });
  const where = { [Op.and]: [wheres.count, purchaseScope(auth)] };
  const hints = { ...(wheres.broad && ignoreIndexes(VENDOR_INDEXES)), ...(wheres.byIds && readByIds()) };
  const { counts, estimated } = await countEachUpTo(PurchaseOrderModel, where, 'state', PURCHASE_ORDER_STATES, listCountLimit(wheres.broad), hints);
  return { ...counts, ...(estimated.length && { estimated }) };
}

/**
 * A purchase order with its lines, products and demands; locked for t when asked (MySQL). A locked load
 * reads under a shared lock: under REPEATABLE READ a plain read would see the snapshot of the
 * transaction's first read, without the lines another transaction added since (before this one got the lock).
 * Without demands (`demands: false`) for a caller that reads the few it needs itself: a draft that
 * replenishment keeps filling gathers a demand per sale line, thousands of rows to read on every fill.
 */
export async function loadPurchase(t: Tx | null, id: number, lock = false, opts: { demands?: boolean } = {}): Promise<PurchaseOrderModel> {
  const locking = lock && t && !isSqlite();
  if (locking) {
    const row = await PurchaseOrderModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
    if (!row) throw new NotFoundError('Purchase order', id);
  }
  const o = await PurchaseOrderModel.findByPk(id, {
    include: [partnerInclude, opts.demands === false ? linesOnlyInclude : lineInclude],
    transaction: t,
    ...(locking && { lock: t.LOCK.SHARE }),
  });
  if (!o) throw new NotFoundError('Purchase order', id);
  return o;
}

/** Purchase order names by id (unknown ids absent): the records registry's names of purchase orders. */
export async function purchaseOrderNames(t: Tx | null, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await PurchaseOrderModel.findAll({ where: { id: ids }, attributes: ['id', 'name'], transaction: t });
  return new Map(rows.map((o) => [o.id, o.name]));
}

/** The sale orders a purchase order's lines serve, read in t (for an order loaded without its demands). */
export async function servedSaleOrders(t: Tx, o: PurchaseOrderModel): Promise<number[]> {
  const lineIds = (o.lines ?? []).map((l) => l.id);
  if (!lineIds.length) return [];
  const rows = await PurchaseLineDemandModel.findAll({
    where: { purchaseLineId: lineIds, saleOrderId: { [Op.ne]: null } },
    attributes: ['saleOrderId'],
    group: ['saleOrderId'],
    transaction: t,
  });
  return rows.map((r) => r.saleOrderId!);
}

/** The API's purchase order, with the sale orders it serves, its pickings and its bills. */
export async function purchaseOrderDto(t: Tx | null, o: PurchaseOrderModel): Promise<PurchaseOrder> {
  const saleOrderIds = servedSaleOrderIds(o);
  const [names, pickingIds, invoiceIds, vendorNotifications] = await Promise.all([
    orderNames(t, saleOrderIds),
    purchasePickingIds(t, o.id),
    purchaseInvoiceIds(t, o.id),
    vendorNotificationsOf(t, o.id),
  ]);
  const saleOrders = saleOrderIds.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! }));
  return toPurchaseOrder(o, { saleOrders, pickingIds, invoiceIds, vendorNotifications });
}

export async function getPurchaseOrder(auth: Auth, id: number): Promise<PurchaseOrder> {
  requireAccess(auth, 'purchase.read');
  const o = await loadPurchase(null, id);
  assertPurchaseAccess(auth, o);
  return purchaseOrderDto(null, o);
}

/** The sale orders a purchase order serves (ids), from its lines' demands. */
export function servedSaleOrderIds(o: PurchaseOrderModel): number[] {
  return [...new Set((o.lines ?? []).flatMap((l) => (l.demands ?? []).flatMap((d) => (d.saleOrderId ? [d.saleOrderId] : []))))];
}

/**
 * Publishes purchaseOrder.updated to the board, the record room and the rooms of the orders it serves
 * (from its loaded demands, unless given), once t commits.
 */
export function publishPurchase(
  t: Tx,
  o: PurchaseOrderModel,
  auth: Auth | null,
  before?: { state: PurchaseOrderState; version: number },
  served: number[] = servedSaleOrderIds(o),
): void {
  const targets = [rooms.purchasesBoard, rooms.record('purchaseOrder', o.id), ...served.map((id) => rooms.record('saleOrder', id))];
  publish(t, targets, 'purchaseOrder.updated', {
    id: o.id,
    version: o.version,
    model: 'purchaseOrder',
    purchaseOrder: toPurchaseSummary(o),
    ...(before && { before }),
    ...(auth && { by: { id: auth.user.id, name: auth.user.name } satisfies PresenceUser }),
  });
}

/** Re-derives totals and the planned date from the lines and saves the order (bumping its version). */
export async function savePurchase(t: Tx, o: PurchaseOrderModel, lines: PurchaseOrderLineModel[]): Promise<void> {
  o.set({ ...purchaseTotals(lines), datePlanned: earliestPlanned(lines) });
  o.lines = lines;
  o.changed('updatedAt', true);
  await o.save({ transaction: t });
}
