import type { Tx } from '../../db/transaction';
import { InvalidStateError } from '../../http/errors';
import type { Auth } from '../auth/access';
import { assertPickingAccess } from './picking.access';
import type { PickingModel } from './stock.model';
import { loadPicking, storableMap } from './picking.service';
import { r3 } from './quants';

// What a delivery waiting for stock lacks: purchasing offers to order it ("Order N more").

export type DeliveryShortage = {
  id: number;
  name: string;
  saleOrderId: number | null;
  warehouseId: number;
  /** Per product: the demand of its make-to-stock moves minus what they have reserved. */
  short: Map<number, number>;
};

/**
 * Why the picking has no shortage to order, or null when it has one: it is an open delivery waiting for
 * stock (confirmed, or ready with some moves only partly reserved).
 */
function notWaitingForStock(p: PickingModel): string | null {
  if (p.type !== 'outgoing') return `${p.name} is not a delivery: only a delivery waiting for stock has a shortage to order`;
  if (p.state !== 'confirmed' && p.state !== 'assigned') {
    return `${p.name} is ${p.state === 'waiting' ? 'waiting for its purchase' : p.state}: it is not waiting for stock`;
  }
  return null;
}

/** The shortage per storable product over the make-to-stock moves (a make-to-order move waits for its own purchase instead). */
async function shortageOf(t: Tx | null, p: PickingModel): Promise<DeliveryShortage> {
  const moves = (p.moves ?? []).filter((m) => m.procureMethod === 'mts' && (m.state === 'confirmed' || m.state === 'partially_available'));
  const storable = await storableMap(
    t,
    moves.map((m) => m.productId),
  );
  const short = new Map<number, number>();
  for (const m of moves) {
    const missing = r3(m.quantity - m.quantityReserved);
    if (storable.get(m.productId) && missing > 0) short.set(m.productId, r3((short.get(m.productId) ?? 0) + missing));
  }
  return { id: p.id, name: p.name, saleOrderId: p.saleOrderId, warehouseId: p.warehouseId, short };
}

/** An open delivery waiting for stock, locked for t, and its shortage. Any other picking is a 422. */
export async function deliveryShortage(t: Tx, auth: Auth, id: number): Promise<DeliveryShortage> {
  const p = await loadPicking(t, id, true);
  await assertPickingAccess(auth, p);
  const refused = notWaitingForStock(p);
  if (refused) throw new InvalidStateError(refused);
  const shortage = await shortageOf(t, p);
  if (!shortage.short.size) throw new InvalidStateError(`${p.name} has everything it needs reserved: it is not waiting for stock`);
  return shortage;
}

/** A picking's shortage as it is now, read without locks: none (an empty map) unless it is a delivery waiting for stock. */
export async function currentShortage(auth: Auth, id: number): Promise<DeliveryShortage> {
  const p = await loadPicking(null, id);
  await assertPickingAccess(auth, p);
  if (notWaitingForStock(p)) return { id: p.id, name: p.name, saleOrderId: p.saleOrderId, warehouseId: p.warehouseId, short: new Map() };
  return shortageOf(null, p);
}
