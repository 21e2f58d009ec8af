import type { Tx } from '../../db/transaction';
import { InvalidStateError, ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { forecastMoved } from './forecast.listeners';
import { assertPickingAccess } from './picking.access';
import { publishPicking, toPicking } from './picking.mapper';
import { OPEN, checkVersion, createPicking, loadPicking, refreshState, reserveArrivals, setShipping, storableMap, type NewMove } from './picking.service';
import { completeMove, r3, unreserveMove } from './quants';
import { MoveModel, type PickingModel } from './stock.model';

// Validating a picking, one straight path: load it (with its moves, locked) once, check what is
// done, complete the moves, put the rest in a backorder, give what arrived or was freed to the
// pickings waiting for it. Every step works on the loaded record.

/** What a validation delivered or took back, per sale order line, for the order to follow. */
export type DeliveredDelta = { saleLineId: number; quantity: number };

export type ValidateInput = {
  version?: number;
  moves?: { id: number; quantityDone: number }[];
  backorder: boolean;
  carrier?: string | null;
  trackingRef?: string | null;
};

type Arrival = { productId: number; locationId: number };

/** A move this validation made done, with the quantity done. */
export type DoneMove = { move: MoveModel; quantity: number };

/**
 * Runs after the moves are done and before the stock that arrived (or was freed) goes to the pickings
 * waiting for it, in the same transaction: a workflow gives units bought for particular orders to
 * those orders first (make-to-order), so only the rest is shared out oldest first. `restCancelled`:
 * what was not done is cancelled (no backorder), so it will not come.
 */
export type BeforeReserving = (p: PickingModel, done: DoneMove[], restCancelled: boolean) => Promise<void>;

/**
 * Validates a picking in t: each move is done with its entered quantity (default: what is reserved;
 * inbound moves: the demand). Below the demand, the rest goes to a backorder (same origin, its own
 * reservation) or is cancelled. Returns the picking as it now is, the backorder and what changed per
 * sale order line.
 */
export async function validatePicking(
  t: Tx,
  auth: Auth,
  id: number,
  input: ValidateInput,
  beforeReserving?: BeforeReserving,
): Promise<{ picking: PickingModel; backorder: PickingModel | null; delivered: DeliveredDelta[] }> {
  requireAccess(auth, 'inventory.write');
  const p = await loadPicking(t, id, true);
  await assertPickingAccess(auth, p);
  await checkVersion(p, input.version, () => toPicking(t, p));
  if (!OPEN.includes(p.state)) throw new InvalidStateError(`Cannot validate ${p.name}: it is ${p.state}`);
  const open = p.moves!.filter((m) => m.state !== 'done' && m.state !== 'cancel');
  const storable = await storableMap(
    t,
    open.map((m) => m.productId),
  );
  const done = doneQuantities(p, open, storable, input);

  await setShipping(t, auth, p, input);
  const { rest, released, delivered } = await completeMoves(t, p, open, done, storable, input.backorder);
  p.dateDone = new Date();
  await refreshState(t, p, auth.user.id);
  publishPicking(t, p);

  // The rest keeps its origin and its place in the queue; it reserves again (first, as this transaction holds the quants).
  const backorder = rest.length && input.backorder ? await createBackorder(t, auth, p, rest, storable) : null;
  // Stock that arrived (receipts, returns) or was given back (the rest, not backordered) goes to pickings waiting for it.
  const arrived = open.filter((m) => storable.get(m.productId) && done.get(m.id)! > 0).map((m) => ({ productId: m.productId, locationId: m.toLocationId }));
  await beforeReserving?.(
    p,
    open.filter((m) => done.get(m.id)! > 0).map((move) => ({ move, quantity: done.get(move.id)! })),
    rest.length > 0 && !input.backorder,
  );
  await reserveArrivals(t, [...arrived, ...released]);
  return { picking: p, backorder, delivered };
}

/** The quantity done of each open move: entered, or (none entered) what is reserved; checked against demand and reservation. */
function doneQuantities(p: PickingModel, open: MoveModel[], storable: Map<number, boolean>, input: ValidateInput): Map<number, number> {
  const given = new Map((input.moves ?? []).map((m) => [m.id, r3(m.quantityDone)]));
  for (const [moveId] of given) if (!open.some((m) => m.id === moveId)) throw ValidationError.field('moves', `move ${moveId} is not an open move of ${p.name}`);
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
  return done;
}

/**
 * Makes each open move done with its quantity, or (nothing done) cancels it. Returns what is left for a
 * backorder, the reservations given back, and the delivered (outgoing) or returned quantity per sale line.
 */
async function completeMoves(
  t: Tx,
  p: PickingModel,
  open: MoveModel[],
  done: Map<number, number>,
  storable: Map<number, boolean>,
  backorder: boolean,
): Promise<{ rest: NewMove[]; released: Arrival[]; delivered: DeliveredDelta[] }> {
  const rest: NewMove[] = [];
  const released: Arrival[] = [];
  const delivered: DeliveredDelta[] = [];
  // A drop-ship delivers to the customer as a delivery does (from the vendor, not from stock).
  const sign = p.type === 'outgoing' || p.type === 'dropship' ? 1 : p.type === 'return' ? -1 : 0;
  const saleLineOf = await originSaleLines(t, open, done);
  for (const m of open) {
    const qty = done.get(m.id)!;
    const isStorable = storable.get(m.productId) ?? false;
    const leftover = r3(m.quantity - qty);
    if (isStorable && m.quantityReserved > qty) released.push({ productId: m.productId, locationId: m.fromLocationId });
    // Units received for a make-to-order move stay its backorder's (stock ones are reserved again, first).
    const held = m.procureMethod === 'mto' && isStorable ? r3(Math.max(0, m.quantityReserved - qty)) : 0;
    if (qty > 0) {
      const saleLineId = m.saleLineId ?? (m.originMoveId ? saleLineOf.get(m.originMoveId) : null);
      await completeMove(t, m, qty, isStorable);
      if (saleLineId && sign) delivered.push({ saleLineId, quantity: r3(sign * qty) });
      if (leftover > 0) {
        rest.push({ ...carried(m), quantity: leftover, held });
      }
    } else {
      // Nothing done of this move: it moves to the backorder whole, or is cancelled.
      await unreserveMove(t, m, isStorable);
      if (backorder) {
        rest.push({ ...carried(m), quantity: m.quantity, held });
      }
      m.state = 'cancel';
      await m.save({ transaction: t });
      forecastMoved(t, [m.productId]);
    }
  }
  return { rest, released, delivered };
}

/** What a backorder's move keeps of the move it continues. */
const carried = (m: MoveModel): Omit<NewMove, 'quantity'> => ({
  productId: m.productId,
  description: m.description,
  saleLineId: m.saleLineId,
  originMoveId: m.originMoveId,
  purchaseLineId: m.purchaseLineId,
  procureMethod: m.procureMethod,
});

/** The sale line of the moves a return takes back (its moves carry the delivered move, not the line), in one read. */
async function originSaleLines(t: Tx, open: MoveModel[], done: Map<number, number>): Promise<Map<number, number | null>> {
  const ids = [...new Set(open.filter((m) => done.get(m.id)! > 0 && !m.saleLineId && m.originMoveId).map((m) => m.originMoveId!))];
  if (!ids.length) return new Map();
  const origins = await MoveModel.findAll({ where: { id: ids }, attributes: ['id', 'saleLineId'], transaction: t });
  return new Map(origins.map((o) => [o.id, o.saleLineId]));
}

function createBackorder(t: Tx, auth: Auth, p: PickingModel, rest: NewMove[], storable: Map<number, boolean>): Promise<PickingModel> {
  return createPicking(
    t,
    {
      type: p.type,
      warehouseId: p.warehouseId,
      fromLocationId: p.fromLocationId,
      toLocationId: p.toLocationId,
      partnerId: p.partnerId,
      saleOrderId: p.saleOrderId,
      purchaseOrderId: p.purchaseOrderId,
      origin: p.origin,
      shippingAddress: p.shippingAddress,
      scheduledDate: p.scheduledDate,
      backorderOfId: p.id,
      returnOfId: p.returnOfId,
      returnReason: p.returnReason,
      carrier: p.carrier,
      createdById: auth.user.id,
      moves: rest,
    },
    storable,
  );
}
