import { Op } from 'sequelize';
import type { z } from 'zod';
import type { Picking, PickingList, PickingSummary, pickingListQuery, pickingPatch } from '../../../contracts/schemas/inventory';
import type { PickingState, PickingType, ProcureMethod } from '../../../contracts/states';
import { nextNumber } from '../../db/sequences';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError, NotFoundError } from '../../http/errors';
import { afterCursor, countUpTo, findPage, listCountLimit, listPage, type SortKey } from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { productsByIds } from '../catalog/product.service';
import { logTracking } from '../chatter/chatter.service';
import { forecastMoved } from './forecast.listeners';
import { assertPickingAccess, pickingScope } from './picking.access';
import { pickingWheres } from './picking.filters';
import { publishPicking, toPicking, toSummaries, type PickingKnown } from './picking.mapper';
import { r3, reserveFor, reserveMove, reserveUnsaved, unreserveMove, waitingMoves } from './quants';
import { MoveModel, PickingModel } from './stock.model';
import { allLocations, findWarehouse } from './warehouse.service';

// Pickings (transfers) and their moves: created by confirmed orders and returns, reserved, cancelled;
// their state follows their moves. Validation is in picking.validation.ts, returns in picking.returns.ts,
// the API's shape in picking.mapper.ts.

const KIND_CODES: Record<PickingType, 'OUT' | 'IN' | 'RET' | 'DS'> = { outgoing: 'OUT', incoming: 'IN', return: 'RET', dropship: 'DS' };
/** The states of a picking that is neither done nor cancelled. */
export const OPEN: PickingState[] = ['draft', 'waiting', 'confirmed', 'assigned'];

/** A warehouse's locations by role. */
export async function warehouseLocations(t: Tx | null, warehouseId: number) {
  const rows = await allLocations(t, warehouseId);
  const stock = rows.find((l) => l.warehouseId === warehouseId && l.kind === 'internal' && !l.isReturns);
  const returns = rows.find((l) => l.warehouseId === warehouseId && l.isReturns);
  const customers = rows.find((l) => l.kind === 'customer');
  const vendors = rows.find((l) => l.kind === 'vendor');
  const adjustment = rows.find((l) => l.kind === 'adjustment');
  if (!stock || !returns || !customers || !vendors || !adjustment) throw new Error(`warehouse ${warehouseId} lacks its locations`);
  return { stock: stock.id, returns: returns.id, customers: customers.id, vendors: vendors.id, adjustment: adjustment.id };
}

async function pickingName(t: Tx, warehouseId: number, type: PickingType): Promise<string> {
  const wh = await findWarehouse(t, warehouseId);
  if (!wh) throw new NotFoundError('Warehouse', warehouseId);
  const kind = KIND_CODES[type];
  return nextNumber(`picking:${wh.code}:${kind}`, t, { prefix: `${wh.code}/${kind}/`, padding: 5 });
}

/** Whether each product is kept in quants (storable) or always available (consumable). */
export async function storableMap(t: Tx | null, productIds: number[]): Promise<Map<number, boolean>> {
  const products = await productsByIds(t, productIds, 'productId');
  return new Map([...products].map(([id, p]) => [id, p.type === 'storable']));
}

export type NewMove = {
  productId: number;
  description: string;
  quantity: number;
  saleLineId?: number | null;
  originMoveId?: number | null;
  purchaseLineId?: number | null;
  procureMethod?: ProcureMethod;
  /** Units of the source location this move takes first: those its predecessor held (make-to-order units). */
  held?: number;
};
export type NewPicking = {
  type: PickingType;
  warehouseId: number;
  fromLocationId: number;
  toLocationId: number;
  partnerId: number | null;
  saleOrderId?: number | null;
  purchaseOrderId?: number | null;
  origin: string | null;
  shippingAddress?: Record<string, unknown> | null;
  scheduledDate?: Date;
  backorderOfId?: number | null;
  returnOfId?: number | null;
  returnReason?: string | null;
  carrier?: string | null;
  createdById: number | null;
  moves: NewMove[];
  /** What the caller knows of the order (its owner, the partner's name): not read again to announce the picking. */
  known?: PickingKnown;
};

/**
 * Creates a picking with its moves in t and reserves what can be reserved. A caller that knows already
 * which products are storable (storableMap) passes that on.
 */
export async function createPicking(t: Tx, input: NewPicking, known?: Map<number, boolean>): Promise<PickingModel> {
  const name = await pickingName(t, input.warehouseId, input.type);
  const ids = input.moves.map((m) => m.productId);
  const storable = known && ids.every((id) => known.has(id)) ? known : await storableMap(t, ids);
  const moveFields = (nm: NewMove, i: number, pickingId: number) => ({
    pickingId,
    productId: nm.productId,
    description: nm.description.slice(0, 300),
    quantity: r3(nm.quantity),
    fromLocationId: input.fromLocationId,
    toLocationId: input.toLocationId,
    state: 'confirmed' as const,
    saleLineId: nm.saleLineId ?? null,
    originMoveId: nm.originMoveId ?? null,
    purchaseLineId: nm.purchaseLineId ?? null,
    procureMethod: nm.procureMethod ?? ('mts' as const),
    sequence: i,
    dateDone: null,
  });
  const newPicking = (state: PickingState) =>
    PickingModel.create(
      {
        name,
        type: input.type,
        state,
        origin: input.origin,
        saleOrderId: input.saleOrderId ?? null,
        purchaseOrderId: input.purchaseOrderId ?? null,
        partnerId: input.partnerId,
        warehouseId: input.warehouseId,
        fromLocationId: input.fromLocationId,
        toLocationId: input.toLocationId,
        carrier: input.carrier ?? null,
        trackingRef: null,
        backorderOfId: input.backorderOfId ?? null,
        returnOfId: input.returnOfId ?? null,
        returnReason: input.returnReason ?? null,
        shippingAddress: input.shippingAddress ?? null,
        scheduledDate: input.scheduledDate ?? new Date(),
        dateDone: null,
        createdById: input.createdById,
      },
      { transaction: t },
    );
  let p: PickingModel;
  if (input.moves.some((nm) => nm.held)) {
    // Moves that take units their predecessor held are reserved from those: written first, one by one.
    p = await newPicking('confirmed');
    p.moves = [];
    for (const [i, nm] of input.moves.entries()) {
      const m = await MoveModel.create(moveFields(nm, i, p.id), { transaction: t });
      if (nm.held) await reserveFor(t, m, nm.held);
      await reserveMove(t, m, storable.get(nm.productId) ?? false);
      p.moves.push(m);
    }
    await refreshState(t, p, input.createdById, false);
  } else {
    // Reserved first, then the picking in its state and its moves in one statement.
    const planned = input.moves.map((nm, i) => MoveModel.build(moveFields(nm, i, 0)));
    await reserveUnsaved(t, planned, (productId) => storable.get(productId) ?? false);
    p = await newPicking(pickingStateOf(planned));
    p.moves = await MoveModel.bulkCreate(
      planned.map((m) => ({ ...moveFields(input.moves[m.sequence]!, m.sequence, p.id), quantityReserved: m.quantityReserved, state: m.state })),
      { transaction: t },
    );
  }
  forecastMoved(t, ids);
  publishPicking(t, p, input.known);
  return p;
}

/** A picking's state, derived from its moves. */
export function pickingStateOf(moves: Pick<MoveModel, 'state'>[]): PickingState {
  const live = moves.filter((m) => m.state !== 'cancel');
  if (!live.length) return 'cancel';
  if (live.every((m) => m.state === 'done')) return 'done';
  if (live.some((m) => m.state === 'assigned' || m.state === 'partially_available')) return 'assigned';
  // Waiting another operation: every open move waits for a purchase (make-to-order) to arrive.
  if (live.filter((m) => m.state !== 'done').every((m) => m.state === 'waiting')) return 'waiting';
  return 'confirmed';
}

/** Re-derives the state; a change is logged in the chatter (by authorId), except when the picking is new. */
export async function refreshState(t: Tx, p: PickingModel, authorId: number | null = null, log = true): Promise<void> {
  const next = pickingStateOf(p.moves ?? []);
  if (next !== p.state) {
    if (log) await logTracking(t, { model: 'picking', resId: p.id, authorId }, [{ field: 'state', oldValue: p.state, newValue: next }]);
    p.state = next;
  }
  p.changed('updatedAt', true);
  await p.save({ transaction: t });
}

/**
 * A picking with its moves (in order), locked for t when asked; t is null for a read outside a
 * transaction. A locked load is a locking read of the picking and its moves: under MariaDB's
 * REPEATABLE READ a plain read would see the snapshot of the transaction's first read, without what a
 * transaction that held the lock before this one changed (a stale version, stale reservations).
 */
export async function loadPicking(t: Tx | null, id: number, lock = false): Promise<PickingModel> {
  const locking = lock && t;
  if (locking) await PickingModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
  const p = await PickingModel.findByPk(id, {
    include: [{ model: MoveModel, as: 'moves' }],
    order: [[{ model: MoveModel, as: 'moves' }, 'sequence', 'ASC']],
    transaction: t,
    ...(locking && { lock: t.LOCK.UPDATE }),
  });
  if (!p) throw new NotFoundError('Picking', id);
  return p;
}

// The transfers lists' one order: soonest scheduled first, then id (the keyset cursor's order).
const SCHEDULED: Record<'scheduledDate', SortKey> = { scheduledDate: { kind: 'date' } };

export async function listPickings(auth: Auth, query: z.output<typeof pickingListQuery>): Promise<PickingList> {
  requireAccess(auth, 'inventory.read');
  // Counted from the search's own indexes when there is one (on MariaDB the page reads the list's order
  // instead; SQLite reads it from the ids as well: byIds).
  const { list: where, count: counted, broad, hints } = await pickingWheres(auth, query, true);
  const page = query.after ? { [Op.and]: [where, afterCursor('scheduledDate', query.after, SCHEDULED)] } : where;
  const [rows, total] = await Promise.all([
    findPage(PickingModel, {
      where: page,
      order: [
        ['scheduledDate', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: query.limit,
      offset: query.after ? undefined : query.offset,
      ...hints,
    }),
    countUpTo(PickingModel, counted, listCountLimit(broad), hints),
  ]);
  return listPage(await toSummaries(null, rows), total, query.limit, 'scheduledDate');
}

export async function getPicking(auth: Auth, id: number): Promise<Picking> {
  requireAccess(auth, 'inventory.read');
  const p = await loadPicking(null, id);
  await assertPickingAccess(auth, p);
  return toPicking(null, p);
}

/** A stale version is a 409 with the current picking. */
export function checkVersion(p: PickingModel, version: number | undefined, current: () => Promise<Picking>): Promise<void> | void {
  if (version !== undefined && version !== p.version) {
    return current().then((c) => {
      throw new ConflictError(`${p.name} was changed by someone else`, c);
    });
  }
}

/** Carrier, tracking reference, scheduled date: tracked in the chatter. */
export async function updatePicking(auth: Auth, id: number, patch: z.output<typeof pickingPatch>): Promise<Picking> {
  requireAccess(auth, 'inventory.write');
  const p = await withTransaction(async (t) => {
    const p = await loadPicking(t, id, true);
    await assertPickingAccess(auth, p);
    await checkVersion(p, patch.version, () => toPicking(t, p));
    if (p.state === 'cancel') throw new InvalidStateError(`${p.name} is cancelled`);
    await setShipping(t, auth, p, patch);
    if (patch.scheduledDate) p.scheduledDate = new Date(patch.scheduledDate);
    p.changed('updatedAt', true);
    await p.save({ transaction: t });
    publishPicking(t, p);
    return p;
  });
  return toPicking(null, p);
}

/** Carrier and tracking reference, each change logged in the chatter. */
export async function setShipping(t: Tx, auth: Auth, p: PickingModel, input: { carrier?: string | null; trackingRef?: string | null }): Promise<void> {
  const tracking = [];
  for (const field of ['carrier', 'trackingRef'] as const) {
    const value = input[field];
    if (value === undefined || (value || null) === p[field]) continue;
    tracking.push({ field, oldValue: p[field], newValue: value || null });
    p[field] = value || null;
  }
  await logTracking(t, { model: 'picking', resId: p.id, authorId: auth.user.id }, tracking);
}

/** Tries again to reserve what the picking still waits for. */
export async function checkAvailability(auth: Auth, id: number): Promise<Picking> {
  requireAccess(auth, 'inventory.write');
  const p = await withTransaction(async (t) => {
    const p = await loadPicking(t, id, true);
    await assertPickingAccess(auth, p);
    if (!OPEN.includes(p.state)) throw new InvalidStateError(`${p.name} is ${p.state}: nothing to reserve`);
    const storable = await storableMap(
      t,
      p.moves!.map((m) => m.productId),
    );
    for (const m of p.moves!) await reserveMove(t, m, storable.get(m.productId) ?? false);
    await refreshState(t, p, auth.user.id);
    publishPicking(t, p);
    return p;
  });
  return toPicking(null, p);
}

/** Reserves newly available stock for the pickings waiting for it, oldest first. */
export async function reserveArrivals(t: Tx, arrivals: { productId: number; locationId: number }[]): Promise<void> {
  const seen = new Set<string>();
  for (const a of arrivals) {
    const key = `${a.productId}:${a.locationId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const touched = new Set<number>();
    for (const m of await waitingMoves(t, a.productId, a.locationId)) {
      const took = await reserveMove(t, m, true);
      if (took > 0 && m.pickingId) touched.add(m.pickingId);
      if (m.state === 'partially_available' || (took === 0 && m.quantityReserved < m.quantity)) break;
    }
    for (const pickingId of touched) {
      const p = await loadPicking(t, pickingId, true);
      await refreshState(t, p);
      publishPicking(t, p);
    }
  }
}

/** Cancels a picking that is not done: its moves are cancelled and their reservations given back. */
export async function cancelPickingIn(t: Tx, p: PickingModel): Promise<void> {
  if (!OPEN.includes(p.state)) throw new InvalidStateError(`Cannot cancel ${p.name}: it is ${p.state}`);
  const storable = await storableMap(
    t,
    p.moves!.map((m) => m.productId),
  );
  const freed: { productId: number; locationId: number }[] = [];
  for (const m of p.moves!) {
    if (m.state === 'done' || m.state === 'cancel') continue;
    if (m.quantityReserved > 0 && storable.get(m.productId)) freed.push({ productId: m.productId, locationId: m.fromLocationId });
    await unreserveMove(t, m, storable.get(m.productId) ?? false);
    m.state = 'cancel';
    await m.save({ transaction: t });
    forecastMoved(t, [m.productId]);
  }
  await refreshState(t, p);
  publishPicking(t, p);
  await reserveArrivals(t, freed);
}

export async function cancelPicking(auth: Auth, id: number): Promise<Picking> {
  requireAccess(auth, 'inventory.write');
  const p = await withTransaction(async (t) => {
    const p = await loadPicking(t, id, true);
    await assertPickingAccess(auth, p);
    if (p.saleOrderId && p.type === 'outgoing') {
      throw new InvalidStateError(`${p.name} delivers order ${p.origin}: cancel the order, or validate with "no backorder"`);
    }
    await cancelPickingIn(t, p);
    return p;
  });
  return toPicking(null, p);
}

/** Open pickings of an order (outgoing), oldest first. */
export async function openOrderPickings(t: Tx, saleOrderId: number): Promise<PickingModel[]> {
  const rows = await PickingModel.findAll({ where: { saleOrderId, type: 'outgoing', state: OPEN }, order: [['id', 'ASC']], transaction: t });
  return Promise.all(rows.map((r) => loadPicking(t, r.id, true)));
}

/** Moves of an order's lines (outgoing and their returns), for what was delivered and what is still open. */
export async function orderMoves(t: Tx, saleOrderId: number): Promise<{ picking: PickingModel; move: MoveModel }[]> {
  const pickings = await PickingModel.findAll({ where: { saleOrderId }, include: [{ model: MoveModel, as: 'moves' }], transaction: t });
  return pickings.flatMap((p) => (p.moves ?? []).map((move) => ({ picking: p, move })));
}

/** Pickings not yet done, inbound and outbound, late ones first. */
export async function pendingShipments(auth: Auth): Promise<{ inbound: PickingSummary[]; outbound: PickingSummary[] }> {
  requireAccess(auth, 'inventory.read');
  const rows = await PickingModel.findAll({
    where: { state: OPEN, ...pickingScope(auth) },
    order: [
      ['scheduledDate', 'ASC'],
      ['id', 'ASC'],
    ],
    limit: 500,
  });
  const items = await toSummaries(null, rows);
  // Late first; within each, by scheduled date (the query's order, kept by a stable sort).
  const byLate = (a: PickingSummary, b: PickingSummary) => Number(b.late) - Number(a.late);
  // A return goes out when it takes a receipt back to the vendor.
  const inbound = (p: PickingSummary) => p.type === 'incoming' || (p.type === 'return' && p.purchaseOrderId === null);
  return {
    inbound: items.filter(inbound).sort(byLate),
    outbound: items.filter((p) => !inbound(p)).sort(byLate),
  };
}

// Read by purchasing

/** The pickings of a purchase order (receipts, their backorders and returns), oldest first. */
export async function purchasePickingIds(t: Tx | null, purchaseOrderId: number): Promise<number[]> {
  const rows = await PickingModel.findAll({ where: { purchaseOrderId }, attributes: ['id'], order: [['id', 'ASC']], transaction: t });
  return rows.map((r) => r.id);
}
