import { Op } from 'sequelize';
import type { Tx } from '../../db/transaction';
import { publishPicking } from './picking.mapper';
import { OPEN, loadPicking, refreshState } from './picking.service';
import { r3, reserveFor, reserveMove } from './quants';
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
    const p = await loadPicking(t, id);
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
 * Up to `quantity` of what a sale line's make-to-order moves still wait for is taken from stock
 * instead (its purchase was called off, as Odoo turns them make-to-stock): a move wholly waiting
 * changes method; a move partly covered gives that part to a new move of its own. Reserves at once.
 */
export async function procureFromStock(t: Tx, saleLineId: number, quantity: number, authorId: number | null): Promise<void> {
  let left = r3(quantity);
  const touched: number[] = [];
  for (const m of (await openMtoMoves(t, saleLineId)).reverse()) {
    if (left <= 0) break;
    const waiting = r3(m.quantity - m.quantityReserved);
    const take = Math.min(left, waiting);
    if (take <= 0) continue;
    let fromStock = m;
    if (take === m.quantity) m.procureMethod = 'mts';
    else {
      m.quantity = r3(m.quantity - take);
      await m.save({ transaction: t });
      fromStock = await MoveModel.create(
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
    await reserveMove(t, fromStock, true);
    touched.push(m.pickingId!);
    left = r3(left - take);
  }
  await refreshPickings(t, touched, authorId);
}

// Read by the purchase workflows

/** A purchase order's open pickings (receipts and their backorders), loaded and locked, oldest first. */
export async function openPurchasePickings(t: Tx, purchaseOrderId: number): Promise<PickingModel[]> {
  const rows = await PickingModel.findAll({ where: { purchaseOrderId, state: OPEN }, attributes: ['id'], order: [['id', 'ASC']], transaction: t });
  return Promise.all(rows.map((r) => loadPicking(t, r.id, true)));
}
