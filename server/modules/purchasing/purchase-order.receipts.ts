import type { Tx } from '../../db/transaction';
import { settlePurchase } from './purchase-order.actions';
import { r3 } from './purchase-order.lines';
import { PurchaseOrderLineModel, type PurchaseLineDemandModel } from './purchase-order.model';
import { loadPurchase } from './purchase-order.service';

// What receipts (and returns to the vendor) change on a purchase order: each line's received
// quantity, in the transaction of the validation, and to whom the units just received belong.

/** Units of a purchase line that were bought for a sale line (make-to-order). */
export type MtoShare = { saleLineId: number; saleOrderId: number | null; quantity: number };

/**
 * To whom units [before, before + quantity) of a line belong: its make-to-order demands take the
 * units in turn, oldest sale order first, each as much as it was bought for; what is beyond them (or
 * was bought for stock) is nobody's. The same units always fall to the same demand, whichever
 * receipt or backorder brings them.
 */
export function mtoShares(
  demands: Pick<PurchaseLineDemandModel, 'id' | 'kind' | 'saleOrderId' | 'saleLineId' | 'quantity'>[],
  before: number,
  quantity: number,
): MtoShare[] {
  const queue = demands.filter((d) => d.kind === 'mto').sort((a, b) => (a.saleOrderId ?? 0) - (b.saleOrderId ?? 0) || a.id - b.id);
  const from = before;
  const to = r3(before + quantity);
  const shares: MtoShare[] = [];
  let start = 0;
  for (const d of queue) {
    const end = r3(start + d.quantity);
    const overlap = r3(Math.min(end, to) - Math.max(start, from));
    if (overlap > 0 && d.saleLineId) shares.push({ saleLineId: d.saleLineId, saleOrderId: d.saleOrderId, quantity: overlap });
    start = end;
  }
  return shares;
}

/**
 * Moves the received quantity of a purchase order's lines by what a validation did (a receipt adds,
 * a return to the vendor takes back), settles the order (done once all is received and billed) and
 * publishes it. Returns the make-to-order shares of the units received.
 */
export async function receivePurchaseLines(
  t: Tx,
  purchaseOrderId: number,
  deltas: { purchaseLineId: number; quantity: number }[],
  authorId: number | null,
): Promise<MtoShare[]> {
  const o = await loadPurchase(t, purchaseOrderId, true);
  // The quantities as last committed (a locking read): two validations of the same PO add up, never overwrite.
  const current = await PurchaseOrderLineModel.findAll({
    where: { orderId: o.id },
    attributes: ['id', 'qtyReceived', 'qtyBilled'],
    lock: t.LOCK.UPDATE,
    transaction: t,
  });
  for (const c of current) (o.lines ?? []).find((l) => l.id === c.id)?.set({ qtyReceived: c.qtyReceived, qtyBilled: c.qtyBilled });
  const shares: MtoShare[] = [];
  for (const delta of deltas) {
    const line = (o.lines ?? []).find((l) => l.id === delta.purchaseLineId);
    if (!line) continue;
    const before = line.qtyReceived;
    line.qtyReceived = Math.max(0, r3(before + delta.quantity));
    await line.save({ transaction: t });
    if (delta.quantity > 0) shares.push(...mtoShares(line.demands ?? [], before, delta.quantity));
  }
  await settlePurchase(t, o, authorId);
  return shares;
}
