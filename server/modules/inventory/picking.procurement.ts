import { Op } from 'sequelize';
import type { Tx } from '../../db/transaction';
import { publishPicking } from './picking.mapper';
import { OPEN, loadPicking, refreshState } from './picking.service';
import { moveStateFor, r3, reserveFor, reserveMove } from './quants';
import { MoveModel, PickingModel } from './stock.model';

// Delivery moves that wait for a purchase (make-to-order): the units bought for a sale line are
// reserved for its moves only, and a move whose purchase is called off goes back to taking stock.
// Purchasing never reaches these moves itself: the workflows pass its sale line ids.

/** The open make-to-order moves of a sale line (only deliveries have them), oldest first. */
function openMtoMoves(t: Tx, saleLineId: number): Promise<MoveModel[]> {
  return MoveModel.findAll({
    where: { saleLineId, procureMethod: 'mto', state: { [Op.notIn]: ['done', 'cancel'] } },
    order: [['id', 'ASC']],
    transaction: t,
  });
}

/** Re-derives the state of the pickings whose moves changed, and publishes them. */
async function refreshPickings(t: Tx, ids: Iterable<number>, authorId: number | null): Promise<void> {
  for (const id of new Set(ids)) {
    const p = await loadPicking(t, id, true);
    await refreshState(t, p, authorId);
    publishPicking(t, p);
  }
}

/**
 * Reserves for a sale line's make-to-order moves up to `amount` of the units just received into
 * their source location (in the transaction that received them). Returns what they took.
 */
export async function reserveForSaleLine(t: Tx, saleLineId: number, amount: number, authorId: number | null): Promise<number> {
  let left = r3(amount);
  const touched: number[] = [];
  for (const m of await openMtoMoves(t, saleLineId)) {
    if (left <= 0) break;
    const took = await reserveFor(t, m, left);
    if (took > 0) touched.push(m.pickingId!);
    left = r3(left - took);
  }
  await refreshPickings(t, touched, authorId);
  return r3(amount - left);
}

/**
 * `take` units of a make-to-order move that holds none of them are taken from stock instead: the
 * whole move changes method, or the part gives way to a make-to-stock move of its own. Returns the
 * move that now takes stock (not reserved yet).
 */
async function splitToStock(t: Tx, m: MoveModel, take: number): Promise<MoveModel> {
  if (take >= m.quantity) {
    m.procureMethod = 'mts';
    m.state = moveStateFor(m);
    await m.save({ transaction: t });
    return m;
  }
  m.quantity = r3(m.quantity - take);
  m.state = moveStateFor(m);
  await m.save({ transaction: t });
  return MoveModel.create(
    {
      pickingId: m.pickingId,
      productId: m.productId,
      description: m.description,
      quantity: take,
      fromLocationId: m.fromLocationId,
      toLocationId: m.toLocationId,
      state: 'confirmed',
      saleLineId: m.saleLineId,
      originMoveId: null,
      procureMethod: 'mts',
      sequence: m.sequence,
      dateDone: null,
    },
    { transaction: t },
  );
}

/**
 * Up to `quantity` of what a sale line's make-to-order moves still wait for is taken from stock
 * instead (its purchase was called off, as Odoo turns them make-to-stock): a move wholly waiting
 * changes method; a move partly covered gives that part to a new move of its own. Reserves at once.
 */
export async function procureFromStock(t: Tx, saleLineId: number, quantity: number, authorId: number | null): Promise<void> {
  let left = r3(quantity);
  const touched: number[] = [];
  for (const m of (await openMtoMoves(t, saleLineId)).reverse()) {
    if (left <= 0) break;
    const take = Math.min(left, r3(m.quantity - m.quantityReserved));
    if (take <= 0) continue;
    await reserveMove(t, await splitToStock(t, m, take), true);
    touched.push(m.pickingId!);
    left = r3(left - take);
  }
  await refreshPickings(t, touched, authorId);
}

/**
 * A make-to-order move lost `amount` of the units received for it (stock counted short took its
 * reservation back): that part takes stock from now on, like any other delivery, as nothing is
 * bought for it any more. The caller refreshes the picking.
 */
export async function lostMtoUnits(t: Tx, m: MoveModel, amount: number): Promise<void> {
  if (m.procureMethod !== 'mto' || amount <= 0) return;
  await splitToStock(t, m, Math.min(amount, r3(m.quantity - m.quantityReserved)));
}

/** What a sale line's open make-to-order moves still wait for (demand less reserved). */
export async function mtoWaiting(t: Tx, saleLineId: number): Promise<number> {
  return r3((await openMtoMoves(t, saleLineId)).reduce((s, m) => s + m.quantity - m.quantityReserved, 0));
}

// Read by the purchase workflows

/** A purchase order's open pickings (receipts and their backorders), loaded and locked, oldest first. */
export async function openPurchasePickings(t: Tx, purchaseOrderId: number): Promise<PickingModel[]> {
  const rows = await PickingModel.findAll({ where: { purchaseOrderId, state: OPEN }, attributes: ['id'], order: [['id', 'ASC']], transaction: t });
  return Promise.all(rows.map((r) => loadPicking(t, r.id, true)));
}

/** What open receipts still bring per purchase line (the demand of their open moves). */
export async function openIncomingByPurchaseLine(t: Tx | null, purchaseLineIds: number[]): Promise<Map<number, number>> {
  if (!purchaseLineIds.length) return new Map();
  const moves = await MoveModel.findAll({
    where: { purchaseLineId: purchaseLineIds, state: { [Op.notIn]: ['done', 'cancel'] } },
    attributes: ['pickingId', 'purchaseLineId', 'quantity'],
    transaction: t,
  });
  const pickingIds = [...new Set(moves.map((m) => m.pickingId!))];
  const receipts = new Set(
    pickingIds.length ? (await PickingModel.findAll({ where: { id: pickingIds, type: 'incoming' }, attributes: ['id'], transaction: t })).map((p) => p.id) : [],
  );
  const open = new Map<number, number>();
  for (const m of moves.filter((x) => receipts.has(x.pickingId!))) open.set(m.purchaseLineId!, r3((open.get(m.purchaseLineId!) ?? 0) + m.quantity));
  return open;
}
