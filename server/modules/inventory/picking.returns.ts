import { Op } from 'sequelize';
import type { Picking } from '../../../contracts/schemas/inventory';
import { withTransaction } from '../../db/transaction';
import { InvalidStateError, ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { assertPickingAccess } from './picking.access';
import { toPicking } from './picking.mapper';
import { createPicking, loadPicking, warehouseLocations, type NewMove } from './picking.service';
import { r3 } from './quants';
import { MoveModel, type PickingModel } from './stock.model';

// Returns of done deliveries: the products come back from the customer into the warehouse's Returns
// location (a `return` picking, WH/RET/…), never more than was delivered. A done receipt is returned
// the other way, from where it arrived back to the vendor, its moves keeping their purchase lines.

type ReturnInput = { lines: { productId: number; quantity: number }[]; reason?: string };

/**
 * A return of a done delivery: the chosen products back from the customer into the warehouse's
 * Returns location, never more per product than delivered minus already returned. A return of a
 * done receipt sends them back to the vendor, never more than received minus already returned.
 */
export async function createReturn(auth: Auth, id: number, input: ReturnInput): Promise<Picking> {
  requireAccess(auth, 'inventory.write');
  const r = await withTransaction(async (t) => {
    const p = await loadPicking(t, id, true);
    await assertPickingAccess(auth, p);
    if ((p.type !== 'outgoing' && p.type !== 'incoming') || p.state !== 'done') {
      throw new InvalidStateError(`Only a done delivery or receipt can be returned; ${p.name} is a ${p.type} picking, ${p.state}`);
    }
    const previous = await MoveModel.findAll({
      where: { originMoveId: p.moves!.map((m) => m.id), state: { [Op.ne]: 'cancel' } },
      transaction: t,
    });
    const locations = await warehouseLocations(t, p.warehouseId);
    const toVendor = p.type === 'incoming';
    return createPicking(t, {
      type: 'return',
      warehouseId: p.warehouseId,
      fromLocationId: toVendor ? p.toLocationId : locations.customers,
      toLocationId: toVendor ? p.fromLocationId : locations.returns,
      partnerId: p.partnerId,
      saleOrderId: p.saleOrderId,
      purchaseOrderId: p.purchaseOrderId,
      origin: `Return of ${p.name}`,
      returnOfId: p.id,
      returnReason: input.reason ?? null,
      createdById: auth.user.id,
      moves: returnMoves(p, previous, input),
    });
  });
  return toPicking(null, r);
}

/** The return's moves, each taking back from one delivered move what it has not given back yet (400 beyond that). */
function returnMoves(p: PickingModel, previous: MoveModel[], input: ReturnInput): NewMove[] {
  const moves: NewMove[] = [];
  for (const [i, line] of input.lines.entries()) {
    const delivered = p.moves!.filter((m) => m.productId === line.productId && m.state === 'done');
    if (!delivered.length) {
      throw ValidationError.field(`lines.${i}.productId`, `product ${line.productId} was not ${p.type === 'incoming' ? 'received' : 'delivered'} by ${p.name}`);
    }
    let want = r3(line.quantity);
    for (const m of delivered) {
      const returned = previous.filter((x) => x.originMoveId === m.id).reduce((s, x) => s + x.quantity, 0);
      const can = r3(m.quantityDone - returned);
      const take = Math.min(can, want);
      if (take > 0) moves.push({ productId: m.productId, description: m.description, quantity: take, originMoveId: m.id, purchaseLineId: m.purchaseLineId });
      want = r3(want - take);
    }
    if (want > 0) {
      const max = r3(line.quantity - want);
      throw ValidationError.field(`lines.${i}.quantity`, `at most ${max} of ${delivered[0]!.description} can still be returned`);
    }
  }
  return moves;
}
