import { Op, type WhereOptions } from 'sequelize';
import type { z } from 'zod';
import { rooms } from '../../../contracts/events';
import type { List } from '../../../contracts/schemas/common';
import type { Picking, PickingSummary, StockMove, pickingListQuery, pickingPatch } from '../../../contracts/schemas/inventory';
import { isLatePicking, type PickingState, type PickingType } from '../../../contracts/states';
import { iso } from '../../db/columns';
import { nextNumber } from '../../db/sequences';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm } from '../../http/list';
import { publish } from '../../realtime/publisher';
import { assertPickingAccess, pickingScope } from './picking.access';
import { orderOwner } from '../sales/sale-order.access';
import { requireAccess, type Auth } from '../auth/access';
import { productsByIds } from '../catalog/product.service';
import { logTracking } from '../chatter/chatter.service';
import { partnerNames } from '../partners/partner.service';
import { completeMove, r3, reserveMove, unreserveMove, waitingMoves } from './quants';
import { MoveModel, PickingModel } from './stock.model';
import { LocationModel, WarehouseModel } from './warehouse.model';

// Pickings (transfers) and their moves: created by confirmed orders and returns, reserved, validated
// in full or in part (with or without a backorder), cancelled. Their state follows their moves.

const KIND_CODES: Record<Exclude<PickingType, 'dropship'>, 'OUT' | 'IN' | 'RET'> = { outgoing: 'OUT', incoming: 'IN', return: 'RET' };
const OPEN: PickingState[] = ['draft', 'waiting', 'confirmed', 'assigned'];

/** A warehouse's locations by role. */
export async function warehouseLocations(warehouseId: number, t?: Tx) {
  const rows = await LocationModel.findAll({ transaction: t });
  const stock = rows.find((l) => l.warehouseId === warehouseId && l.kind === 'internal' && !l.isReturns);
  const returns = rows.find((l) => l.warehouseId === warehouseId && l.isReturns);
  const customers = rows.find((l) => l.kind === 'customer');
  const vendors = rows.find((l) => l.kind === 'vendor');
  const adjustment = rows.find((l) => l.kind === 'adjustment');
  if (!stock || !returns || !customers || !vendors || !adjustment) throw new Error(`warehouse ${warehouseId} lacks its locations`);
  return { stock: stock.id, returns: returns.id, customers: customers.id, vendors: vendors.id, adjustment: adjustment.id };
}

async function pickingName(warehouseId: number, type: PickingType, t: Tx): Promise<string> {
  const wh = await WarehouseModel.findByPk(warehouseId, { transaction: t });
  if (!wh) throw new NotFoundError('Warehouse', warehouseId);
  const kind = KIND_CODES[type as keyof typeof KIND_CODES] ?? 'OUT';
  return nextNumber(`picking:${wh.code}:${kind}`, t, { prefix: `${wh.code}/${kind}/`, padding: 5 });
}

/** Whether each product is kept in quants (storable) or always available (consumable). */
export async function storableMap(productIds: number[], t?: Tx): Promise<Map<number, boolean>> {
  const products = await productsByIds(productIds, 'productId', t);
  return new Map([...products].map(([id, p]) => [id, p.type === 'storable']));
}

export type NewMove = { productId: number; description: string; quantity: number; saleLineId?: number | null; originMoveId?: number | null };
export type NewPicking = {
  type: PickingType;
  warehouseId: number;
  fromLocationId: number;
  toLocationId: number;
  partnerId: number | null;
  saleOrderId?: number | null;
  origin: string | null;
  shippingAddress?: Record<string, unknown> | null;
  scheduledDate?: Date;
  backorderOfId?: number | null;
  returnOfId?: number | null;
  returnReason?: string | null;
  carrier?: string | null;
  createdById: number | null;
  moves: NewMove[];
};

/** Creates a picking with its moves in t and reserves what can be reserved. */
export async function createPicking(t: Tx, input: NewPicking): Promise<PickingModel> {
  const p = await PickingModel.create(
    {
      name: await pickingName(input.warehouseId, input.type, t),
      type: input.type,
      state: 'confirmed',
      origin: input.origin,
      saleOrderId: input.saleOrderId ?? null,
      purchaseOrderId: null,
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
  const storable = await storableMap(
    input.moves.map((m) => m.productId),
    t,
  );
  p.moves = [];
  for (const [i, nm] of input.moves.entries()) {
    const m = await MoveModel.create(
      {
        pickingId: p.id,
        productId: nm.productId,
        description: nm.description.slice(0, 300),
        quantity: r3(nm.quantity),
        fromLocationId: input.fromLocationId,
        toLocationId: input.toLocationId,
        state: 'confirmed',
        saleLineId: nm.saleLineId ?? null,
        originMoveId: nm.originMoveId ?? null,
        sequence: i,
        dateDone: null,
      },
      { transaction: t },
    );
    await reserveMove(t, m, storable.get(nm.productId) ?? false);
    p.moves.push(m);
  }
  await refreshState(t, p, input.createdById, false);
  publishPicking(t, p);
  return p;
}

/** A picking's state, derived from its moves. */
export function pickingStateOf(moves: Pick<MoveModel, 'state'>[]): PickingState {
  const live = moves.filter((m) => m.state !== 'cancel');
  if (!live.length) return 'cancel';
  if (live.every((m) => m.state === 'done')) return 'done';
  if (live.some((m) => m.state === 'assigned' || m.state === 'partially_available')) return 'assigned';
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

export async function loadPicking(id: number, t?: Tx, lock = false): Promise<PickingModel> {
  if (lock && t) await PickingModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
  const p = await PickingModel.findByPk(id, {
    include: [{ model: MoveModel, as: 'moves' }],
    order: [[{ model: MoveModel, as: 'moves' }, 'sequence', 'ASC']],
    transaction: t,
  });
  if (!p) throw new NotFoundError('Picking', id);
  return p;
}

export function isLate(p: Pick<PickingModel, 'state' | 'scheduledDate'>, now = new Date()): boolean {
  return isLatePicking(p.state, p.scheduledDate, now);
}

function toSummary(p: PickingModel, partners: Map<number, string>): PickingSummary {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    state: p.state,
    origin: p.origin,
    saleOrderId: p.saleOrderId,
    purchaseOrderId: p.purchaseOrderId,
    partnerId: p.partnerId,
    partnerName: p.partnerId ? (partners.get(p.partnerId) ?? null) : null,
    warehouseId: p.warehouseId,
    fromLocationId: p.fromLocationId,
    toLocationId: p.toLocationId,
    carrier: p.carrier,
    trackingRef: p.trackingRef,
    backorderOfId: p.backorderOfId,
    returnOfId: p.returnOfId,
    scheduledDate: iso(p.scheduledDate),
    dateDone: p.dateDone ? iso(p.dateDone) : null,
    late: isLate(p),
    version: p.version,
  };
}

export async function toSummaries(rows: PickingModel[], t?: Tx): Promise<PickingSummary[]> {
  const partners = await partnerNames(
    rows.map((p) => p.partnerId),
    t,
  );
  return rows.map((p) => toSummary(p, partners));
}

export async function toPicking(p: PickingModel, t?: Tx): Promise<Picking> {
  const moves = p.moves ?? [];
  const products = moves.length
    ? await productsByIds(
        moves.map((m) => m.productId),
        'productId',
        t,
      )
    : new Map();
  const [summary] = await toSummaries([p], t);
  return {
    ...summary!,
    returnReason: p.returnReason,
    shippingAddress: p.shippingAddress,
    moves: moves.map((m): StockMove => ({
      id: m.id,
      productId: m.productId,
      productName: products.get(m.productId)?.name ?? '',
      sku: products.get(m.productId)?.sku ?? '',
      description: m.description,
      quantity: m.quantity,
      quantityReserved: m.quantityReserved,
      quantityDone: m.quantityDone,
      fromLocationId: m.fromLocationId,
      toLocationId: m.toLocationId,
      state: m.state,
      saleLineId: m.saleLineId,
    })),
  };
}

/** picking.updated after commit, to the shipments board, the picking's room and its order's room. */
export function publishPicking(t: Tx, p: PickingModel): void {
  // The shipments board, and the board of the order's owner for users limited to their own orders.
  const targets = async () => {
    const owner = p.saleOrderId ? await orderOwner(p.saleOrderId) : null;
    return [
      rooms.shipmentsBoard,
      rooms.record('picking', p.id),
      ...(p.saleOrderId ? [rooms.record('saleOrder', p.saleOrderId)] : []),
      ...(owner ? [rooms.ownBoard(rooms.shipmentsBoard, owner)] : []),
    ];
  };
  publish(t, targets, 'picking.updated', async () => {
    const [picking] = await toSummaries([p]);
    return { id: p.id, version: p.version, model: 'picking' as const, picking: picking! };
  });
}

export async function listPickings(auth: Auth, query: z.output<typeof pickingListQuery>): Promise<List<PickingSummary>> {
  requireAccess(auth, 'inventory.read');
  const and: WhereOptions[] = [];
  if (query.type?.length) and.push({ type: query.type });
  if (query.state?.length) and.push({ state: query.state });
  if (query.saleOrderId) and.push({ saleOrderId: query.saleOrderId });
  and.push(pickingScope(auth));
  if (query.q) and.push({ [Op.or]: [{ name: { [Op.like]: likeTerm(query.q) } }, { origin: { [Op.like]: likeTerm(query.q) } }] });
  const where = { [Op.and]: and };
  const [rows, total] = await Promise.all([
    PickingModel.findAll({
      where,
      order: [
        ['scheduledDate', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: query.limit,
      offset: query.offset,
    }),
    PickingModel.count({ where }),
  ]);
  return { items: await toSummaries(rows), total };
}

export async function getPicking(auth: Auth, id: number): Promise<Picking> {
  requireAccess(auth, 'inventory.read');
  const p = await loadPicking(id);
  await assertPickingAccess(auth, p);
  return toPicking(p);
}

function checkVersion(p: PickingModel, version: number | undefined, current: () => Promise<Picking>): Promise<void> | void {
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
    const p = await loadPicking(id, t, true);
    await assertPickingAccess(auth, p);
    await checkVersion(p, patch.version, () => toPicking(p, t));
    if (p.state === 'cancel') throw new InvalidStateError(`${p.name} is cancelled`);
    await setShipping(t, auth, p, patch);
    if (patch.scheduledDate) p.scheduledDate = new Date(patch.scheduledDate);
    p.changed('updatedAt', true);
    await p.save({ transaction: t });
    publishPicking(t, p);
    return p;
  });
  return toPicking(p);
}

async function setShipping(t: Tx, auth: Auth, p: PickingModel, input: { carrier?: string | null; trackingRef?: string | null }): Promise<void> {
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
    const p = await loadPicking(id, t, true);
    await assertPickingAccess(auth, p);
    if (!OPEN.includes(p.state)) throw new InvalidStateError(`${p.name} is ${p.state}: nothing to reserve`);
    const storable = await storableMap(
      p.moves!.map((m) => m.productId),
      t,
    );
    for (const m of p.moves!) await reserveMove(t, m, storable.get(m.productId) ?? false);
    await refreshState(t, p, auth.user.id);
    publishPicking(t, p);
    return p;
  });
  return toPicking(p);
}

/** What a validation delivered or took back, per sale order line, for the order to follow. */
export type DeliveredDelta = { saleLineId: number; quantity: number };

export type ValidateInput = {
  version?: number;
  moves?: { id: number; quantityDone: number }[];
  backorder: boolean;
  carrier?: string | null;
  trackingRef?: string | null;
};

/**
 * Validates a picking in t: each move is done with its entered quantity (default: what is reserved;
 * inbound moves: the demand). Below the demand, the rest goes to a backorder (same origin, its own
 * reservation) or is cancelled. Returns the backorder and what changed per sale order line.
 */
export async function validatePicking(
  t: Tx,
  auth: Auth,
  id: number,
  input: ValidateInput,
): Promise<{ picking: PickingModel; backorder: PickingModel | null; delivered: DeliveredDelta[] }> {
  requireAccess(auth, 'inventory.write');
  const p = await loadPicking(id, t, true);
  await assertPickingAccess(auth, p);
  await checkVersion(p, input.version, () => toPicking(p, t));
  if (!OPEN.includes(p.state)) throw new InvalidStateError(`Cannot validate ${p.name}: it is ${p.state}`);
  const open = p.moves!.filter((m) => m.state !== 'done' && m.state !== 'cancel');
  const given = new Map((input.moves ?? []).map((m) => [m.id, r3(m.quantityDone)]));
  for (const [moveId] of given) if (!open.some((m) => m.id === moveId)) throw ValidationError.field('moves', `move ${moveId} is not an open move of ${p.name}`);
  const storable = await storableMap(
    open.map((m) => m.productId),
    t,
  );
  const done = new Map<number, number>();
  for (const m of open) {
    const isStorable = storable.get(m.productId) ?? false;
    const qty = given.get(m.id) ?? (input.moves ? 0 : m.quantityReserved);
    if (qty > m.quantity) throw ValidationError.field('moves', `${m.description}: ${qty} done is more than the ${m.quantity} demanded`);
    if (isStorable && qty > m.quantityReserved) {
      throw new InvalidStateError(`${m.description}: ${qty} done but only ${m.quantityReserved} reserved; check availability first`);
    }
    done.set(m.id, qty);
  }
  if ([...done.values()].every((q) => q <= 0)) throw new InvalidStateError(`Nothing to validate in ${p.name}: no quantity is reserved or entered`);

  await setShipping(t, auth, p, input);
  const rest: NewMove[] = [];
  const released: { productId: number; locationId: number }[] = [];
  const delivered: DeliveredDelta[] = [];
  const sign = p.type === 'outgoing' ? 1 : p.type === 'return' ? -1 : 0;
  for (const m of open) {
    const qty = done.get(m.id)!;
    const isStorable = storable.get(m.productId) ?? false;
    const leftover = r3(m.quantity - qty);
    if (isStorable && m.quantityReserved > qty) released.push({ productId: m.productId, locationId: m.fromLocationId });
    if (qty > 0) {
      const saleLineId = m.saleLineId ?? (m.originMoveId ? (await MoveModel.findByPk(m.originMoveId, { transaction: t }))?.saleLineId : null);
      await completeMove(t, m, qty, isStorable);
      if (saleLineId && sign) delivered.push({ saleLineId, quantity: r3(sign * qty) });
      if (leftover > 0) {
        rest.push({ productId: m.productId, description: m.description, quantity: leftover, saleLineId: m.saleLineId, originMoveId: m.originMoveId });
      }
    } else {
      // Nothing done of this move: it moves to the backorder whole, or is cancelled.
      await unreserveMove(t, m, isStorable);
      if (input.backorder) {
        rest.push({ productId: m.productId, description: m.description, quantity: m.quantity, saleLineId: m.saleLineId, originMoveId: m.originMoveId });
      }
      m.state = 'cancel';
      await m.save({ transaction: t });
    }
  }
  p.dateDone = new Date();
  await refreshState(t, p, auth.user.id);
  publishPicking(t, p);

  let backorder: PickingModel | null = null;
  if (rest.length && input.backorder) {
    // The rest keeps its origin and its place in the queue; it reserves again (first, as this transaction holds the quants).
    backorder = await createPicking(t, {
      type: p.type,
      warehouseId: p.warehouseId,
      fromLocationId: p.fromLocationId,
      toLocationId: p.toLocationId,
      partnerId: p.partnerId,
      saleOrderId: p.saleOrderId,
      origin: p.origin,
      shippingAddress: p.shippingAddress,
      scheduledDate: p.scheduledDate,
      backorderOfId: p.id,
      returnOfId: p.returnOfId,
      returnReason: p.returnReason,
      carrier: p.carrier,
      createdById: auth.user.id,
      moves: rest,
    });
  }
  // Stock that arrived (receipts, returns) or was given back (the rest, not backordered) goes to pickings waiting for it.
  await reserveArrivals(t, [
    ...open.filter((m) => storable.get(m.productId) && done.get(m.id)! > 0).map((m) => ({ productId: m.productId, locationId: m.toLocationId })),
    ...released,
  ]);
  return { picking: p, backorder, delivered };
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
      const p = await loadPicking(pickingId, t);
      await refreshState(t, p);
      publishPicking(t, p);
    }
  }
}

/** Cancels a picking that is not done: its moves are cancelled and their reservations given back. */
export async function cancelPickingIn(t: Tx, p: PickingModel): Promise<void> {
  if (!OPEN.includes(p.state)) throw new InvalidStateError(`Cannot cancel ${p.name}: it is ${p.state}`);
  const storable = await storableMap(
    p.moves!.map((m) => m.productId),
    t,
  );
  const freed: { productId: number; locationId: number }[] = [];
  for (const m of p.moves!) {
    if (m.state === 'done' || m.state === 'cancel') continue;
    if (m.quantityReserved > 0 && storable.get(m.productId)) freed.push({ productId: m.productId, locationId: m.fromLocationId });
    await unreserveMove(t, m, storable.get(m.productId) ?? false);
    m.state = 'cancel';
    await m.save({ transaction: t });
  }
  await refreshState(t, p);
  publishPicking(t, p);
  await reserveArrivals(t, freed);
}

export async function cancelPicking(auth: Auth, id: number): Promise<Picking> {
  requireAccess(auth, 'inventory.write');
  const p = await withTransaction(async (t) => {
    const p = await loadPicking(id, t, true);
    await assertPickingAccess(auth, p);
    if (p.saleOrderId && p.type === 'outgoing') {
      throw new InvalidStateError(`${p.name} delivers order ${p.origin}: cancel the order, or validate with "no backorder"`);
    }
    await cancelPickingIn(t, p);
    return p;
  });
  return toPicking(p);
}

/** Open pickings of an order (outgoing), oldest first. */
export async function openOrderPickings(t: Tx, saleOrderId: number): Promise<PickingModel[]> {
  const rows = await PickingModel.findAll({ where: { saleOrderId, type: 'outgoing', state: OPEN }, order: [['id', 'ASC']], transaction: t });
  return Promise.all(rows.map((r) => loadPicking(r.id, t, true)));
}

/** Moves of an order's lines (outgoing and their returns), for what was delivered and what is still open. */
export async function orderMoves(t: Tx, saleOrderId: number): Promise<{ picking: PickingModel; move: MoveModel }[]> {
  const pickings = await PickingModel.findAll({ where: { saleOrderId }, include: [{ model: MoveModel, as: 'moves' }], transaction: t });
  return pickings.flatMap((p) => (p.moves ?? []).map((move) => ({ picking: p, move })));
}

/**
 * A return of a done delivery: the chosen products back from the customer into the warehouse's
 * Returns location, never more per product than delivered minus already returned.
 */
export async function createReturn(auth: Auth, id: number, input: { lines: { productId: number; quantity: number }[]; reason?: string }): Promise<Picking> {
  requireAccess(auth, 'inventory.write');
  const r = await withTransaction(async (t) => {
    const p = await loadPicking(id, t, true);
    await assertPickingAccess(auth, p);
    if (p.type !== 'outgoing' || p.state !== 'done') {
      throw new InvalidStateError(`Only a done delivery can be returned; ${p.name} is a ${p.type} picking, ${p.state}`);
    }
    const previous = await MoveModel.findAll({
      where: { originMoveId: p.moves!.map((m) => m.id), state: { [Op.ne]: 'cancel' } },
      transaction: t,
    });
    const locations = await warehouseLocations(p.warehouseId, t);
    const moves: NewMove[] = [];
    for (const [i, line] of input.lines.entries()) {
      const delivered = p.moves!.filter((m) => m.productId === line.productId && m.state === 'done');
      if (!delivered.length) throw ValidationError.field(`lines.${i}.productId`, `product ${line.productId} was not delivered by ${p.name}`);
      let want = r3(line.quantity);
      for (const m of delivered) {
        const returned = previous.filter((x) => x.originMoveId === m.id).reduce((s, x) => s + x.quantity, 0);
        const can = r3(m.quantityDone - returned);
        const take = Math.min(can, want);
        if (take > 0) moves.push({ productId: m.productId, description: m.description, quantity: take, originMoveId: m.id });
        want = r3(want - take);
      }
      if (want > 0) {
        const max = r3(line.quantity - want);
        throw ValidationError.field(`lines.${i}.quantity`, `at most ${max} of ${delivered[0]!.description} can still be returned`);
      }
    }
    return createPicking(t, {
      type: 'return',
      warehouseId: p.warehouseId,
      fromLocationId: locations.customers,
      toLocationId: locations.returns,
      partnerId: p.partnerId,
      saleOrderId: p.saleOrderId,
      origin: `Return of ${p.name}`,
      returnOfId: p.id,
      returnReason: input.reason ?? null,
      createdById: auth.user.id,
      moves,
    });
  });
  return toPicking(await loadPicking(r.id));
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
  const items = await toSummaries(rows);
  // Late first; within each, by scheduled date (the query's order, kept by a stable sort).
  const byLate = (a: PickingSummary, b: PickingSummary) => Number(b.late) - Number(a.late);
  return {
    inbound: items.filter((p) => p.type === 'incoming' || p.type === 'return').sort(byLate),
    outbound: items.filter((p) => p.type === 'outgoing' || p.type === 'dropship').sort(byLate),
  };
}
