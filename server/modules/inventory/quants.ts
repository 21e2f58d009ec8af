import { Op, UniqueConstraintError } from 'sequelize';
import type { LocationKind, MoveState } from '../../../contracts/states';
import { rooms } from '../../../contracts/events';
import type { Tx } from '../../db/transaction';
import { publish } from '../../realtime/publisher';
import { forecastMoved } from './forecast.listeners';
import { MoveModel, QuantModel } from './stock.model';
import { LocationModel } from './warehouse.model';

// The stock engine: quants hold what is on hand and reserved per product and internal location, and
// only done moves change on-hand. Reservation takes a row lock on the quant (MySQL; SQLite runs one
// transaction at a time), so two transactions can never reserve the same unit.

/** Quantities carry 3 decimals: arithmetic is rounded back to them so 0.1 + 0.2 stays 0.3. */
export const r3 = (n: number) => Math.round(n * 1000) / 1000;

let kinds = new Map<number, LocationKind>();

/** The kind of a location (internal locations have quants; virtual ones do not). */
export async function locationKind(t: Tx | null, id: number): Promise<LocationKind> {
  let kind = kinds.get(id);
  if (!kind) {
    const rows = await LocationModel.findAll({ attributes: ['id', 'kind'], transaction: t });
    kinds = new Map(rows.map((l) => [l.id, l.kind]));
    kind = kinds.get(id);
    if (!kind) throw new Error(`location ${id} does not exist`);
  }
  return kind;
}

/** The quant of a product in a location, locked for this transaction; created (empty) when asked. */
async function lockQuant(t: Tx, productId: number, locationId: number, create: boolean): Promise<QuantModel | null> {
  const where = { productId, locationId };
  const found = await QuantModel.findOne({ where, transaction: t, lock: t.LOCK.UPDATE });
  if (found || !create) return found;
  try {
    return await QuantModel.create({ productId, locationId, quantity: 0, reservedQuantity: 0 }, { transaction: t });
  } catch (err) {
    if (!(err instanceof UniqueConstraintError)) throw err;
    return QuantModel.findOne({ where, transaction: t, lock: t.LOCK.UPDATE });
  }
}

function stockChanged(t: Tx, productId: number, locationId: number): void {
  publish(t, [rooms.shipmentsBoard, rooms.stockBoard], 'stock.changed', { productId, locationId });
}

export function moveStateFor(m: Pick<MoveModel, 'state' | 'quantity' | 'quantityReserved' | 'procureMethod'>): MoveState {
  if (m.state === 'done' || m.state === 'cancel') return m.state;
  if (m.quantityReserved >= m.quantity) return 'assigned';
  if (m.quantityReserved > 0) return 'partially_available';
  return m.procureMethod === 'mto' ? 'waiting' : 'confirmed';
}

/**
 * Reserves for an open move what its source location has free, up to the demand. Goods not kept in
 * quants (consumables; moves out of a virtual location) are always available.
 */
export async function reserveMove(t: Tx, m: MoveModel, storable: boolean): Promise<number> {
  if (m.state === 'done' || m.state === 'cancel') return 0;
  const before = m.quantityReserved;
  await reserveUnsaved(t, [m], () => storable);
  await m.save({ transaction: t });
  return r3(m.quantityReserved - before);
}

/**
 * reserveMove for moves not written yet (a new picking writes its moves in one statement after
 * reserving them): the quants they take from are locked in one statement and updated, the moves'
 * reservation and state only set. Moves of one product and location take from the quant in turn.
 */
export async function reserveUnsaved(t: Tx, moves: MoveModel[], storable: (productId: number) => boolean): Promise<void> {
  const needs = new Map<MoveModel, number>();
  const counted = new Set<MoveModel>();
  for (const m of moves) {
    // A make-to-order move takes only the units bought for it (reserveFor), never what is in stock.
    if (m.procureMethod === 'mto' && storable(m.productId)) continue;
    const need = r3(m.quantity - m.quantityReserved);
    if (need <= 0) continue;
    needs.set(m, need);
    if (storable(m.productId) && (await locationKind(t, m.fromLocationId)) === 'internal') counted.add(m);
  }
  const quants = await lockQuants(
    t,
    [...counted].map((m) => ({ productId: m.productId, locationId: m.fromLocationId })),
  );
  const changed = new Set<QuantModel>();
  for (const m of moves) {
    const need = needs.get(m);
    let take = need ?? 0;
    if (need !== undefined && counted.has(m)) {
      const q = quants.get(quantKey(m.productId, m.fromLocationId));
      const free = q ? r3(q.quantity - q.reservedQuantity) : 0;
      take = Math.max(0, Math.min(need, free));
      if (take > 0) {
        q!.reservedQuantity = r3(q!.reservedQuantity + take);
        changed.add(q!);
      }
    }
    m.quantityReserved = r3(m.quantityReserved + take);
    m.state = moveStateFor(m);
  }
  for (const q of changed) {
    await q.save({ transaction: t });
    stockChanged(t, q.productId, q.locationId);
  }
}

const quantKey = (productId: number, locationId: number) => `${productId}:${locationId}`;

/** The existing quants of these (product, location) pairs, locked for this transaction in one statement, by pair. */
async function lockQuants(t: Tx, pairs: { productId: number; locationId: number }[]): Promise<Map<string, QuantModel>> {
  const unique = [...new Map(pairs.map((p) => [quantKey(p.productId, p.locationId), p])).values()];
  if (!unique.length) return new Map();
  const rows = await QuantModel.findAll({
    where: unique.length === 1 ? unique[0]! : { [Op.or]: unique },
    order: [['id', 'ASC']],
    transaction: t,
    lock: t.LOCK.UPDATE,
  });
  return new Map(rows.map((q) => [quantKey(q.productId, q.locationId), q]));
}

/** Gives back up to `amount` (default: all) of a move's reservation. */
export async function unreserveMove(t: Tx, m: MoveModel, storable: boolean, amount = m.quantityReserved): Promise<void> {
  const give = r3(Math.min(amount, m.quantityReserved));
  if (give <= 0) return;
  if (storable && (await locationKind(t, m.fromLocationId)) === 'internal') {
    const q = await lockQuant(t, m.productId, m.fromLocationId, false);
    if (q) {
      q.reservedQuantity = r3(Math.max(0, q.reservedQuantity - give));
      await q.save({ transaction: t });
      stockChanged(t, m.productId, m.fromLocationId);
    }
  }
  m.quantityReserved = r3(m.quantityReserved - give);
  m.state = moveStateFor(m);
  await m.save({ transaction: t });
}

/**
 * Makes `done` of a move happen: on-hand leaves the source and arrives at the destination (internal
 * locations only), the move's whole reservation is released, and the move is done with that quantity.
 */
export async function completeMove(t: Tx, m: MoveModel, done: number, storable: boolean): Promise<void> {
  if (storable) {
    if ((await locationKind(t, m.fromLocationId)) === 'internal') {
      const q = await lockQuant(t, m.productId, m.fromLocationId, true);
      q!.quantity = r3(q!.quantity - done);
      q!.reservedQuantity = r3(Math.max(0, q!.reservedQuantity - m.quantityReserved));
      await q!.save({ transaction: t });
      stockChanged(t, m.productId, m.fromLocationId);
    }
    if ((await locationKind(t, m.toLocationId)) === 'internal') {
      const q = await lockQuant(t, m.productId, m.toLocationId, true);
      q!.quantity = r3(q!.quantity + done);
      await q!.save({ transaction: t });
      stockChanged(t, m.productId, m.toLocationId);
    }
  }
  m.quantityDone = done;
  m.quantityReserved = 0;
  m.state = 'done';
  m.dateDone = new Date();
  await m.save({ transaction: t });
  forecastMoved(t, [m.productId]);
}

/** Free quantity of a product in an internal location (on hand minus reserved), its quant locked for t. */
export async function lockFree(t: Tx, productId: number, locationId: number): Promise<{ free: number; reserved: number }> {
  const q = await lockQuant(t, productId, locationId, false);
  return { free: q ? r3(q.quantity - q.reservedQuantity) : 0, reserved: q?.reservedQuantity ?? 0 };
}

/**
 * Open moves out of a location waiting for a product, oldest first (for reserving newly arrived stock);
 * a locking read, so their reservations are the latest, not the transaction's snapshot.
 */
export function waitingMoves(t: Tx, productId: number, locationId: number): Promise<MoveModel[]> {
  return MoveModel.findAll({
    lock: t.LOCK.UPDATE,
    where: {
      productId,
      fromLocationId: locationId,
      state: { [Op.in]: ['confirmed', 'partially_available'] },
      procureMethod: 'mts',
      pickingId: { [Op.ne]: null },
    },
    order: [['id', 'ASC']],
    transaction: t,
  });
}

/** Set the counted on-hand of an internal location: a done move from (or to) Inventory adjustment. */
export async function setOnHand(
  t: Tx,
  productId: number,
  locationId: number,
  counted: number,
  adjustmentLocationId: number,
): Promise<{ delta: number; quant: QuantModel }> {
  const q = await lockQuant(t, productId, locationId, true);
  const delta = r3(counted - q!.quantity);
  if (delta !== 0) {
    const m = await MoveModel.create(
      {
        pickingId: null,
        productId,
        description: 'Inventory adjustment',
        quantity: Math.abs(delta),
        fromLocationId: delta > 0 ? adjustmentLocationId : locationId,
        toLocationId: delta > 0 ? locationId : adjustmentLocationId,
        state: 'assigned',
        saleLineId: null,
        originMoveId: null,
        dateDone: null,
      },
      { transaction: t },
    );
    q!.quantity = counted;
    await q!.save({ transaction: t });
    m.quantityDone = Math.abs(delta);
    m.state = 'done';
    m.dateDone = new Date();
    await m.save({ transaction: t });
    stockChanged(t, productId, locationId);
    forecastMoved(t, [productId]);
  }
  return { delta, quant: q! };
}

/**
 * Reserves for a make-to-order move up to `amount` of what its source location has free (the units
 * just received for it, in the transaction that received them). Returns what it took.
 */
export async function reserveFor(t: Tx, m: MoveModel, amount: number): Promise<number> {
  if (m.state === 'done' || m.state === 'cancel') return 0;
  const q = await lockQuant(t, m.productId, m.fromLocationId, false);
  const free = q ? r3(q.quantity - q.reservedQuantity) : 0;
  const take = Math.max(0, Math.min(r3(m.quantity - m.quantityReserved), amount, free));
  if (take > 0) {
    q!.reservedQuantity = r3(q!.reservedQuantity + take);
    await q!.save({ transaction: t });
    stockChanged(t, m.productId, m.fromLocationId);
    m.quantityReserved = r3(m.quantityReserved + take);
  }
  m.state = moveStateFor(m);
  await m.save({ transaction: t });
  return take;
}
