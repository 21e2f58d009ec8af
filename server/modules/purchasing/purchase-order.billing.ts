import type { BillPolicy } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { ValidationError } from '../../http/errors';
import { settlePurchase } from './purchase-order.actions';
import { r3 } from './purchase-order.lines';
import type { PurchaseOrderLineModel, PurchaseOrderModel } from './purchase-order.model';

// What a vendor bill may cover of a purchase order (Odoo's bill control): per line, what was ordered or
// what was received (the product's bill policy) minus what is billed already; with a visible override,
// received-policy lines up to what was ordered. The billed quantities come from accounting through the
// vendor-bill workflow.

const policyOf = (l: PurchaseOrderLineModel): BillPolicy => l.product?.billPolicy ?? 'received';

/** What a line may be billed up to: ordered, or received (the bill policy), or ordered with the override. */
const billableUpTo = (l: PurchaseOrderLineModel, override: boolean) => (policyOf(l) === 'ordered' || override ? l.quantity : l.qtyReceived);

export type BillableLine = {
  line: PurchaseOrderLineModel;
  quantity: number;
  /** Of `quantity`, what is billed before it is received (only with the override). */
  beforeReceipt: number;
};

/** The lines a bill drafted now covers, in the order's order, with their quantities. */
export function billableLines(o: PurchaseOrderModel, override: boolean): BillableLine[] {
  return [...(o.lines ?? [])]
    .sort((a, b) => a.sequence - b.sequence || a.id - b.id)
    .map((line) => {
      const quantity = r3(billableUpTo(line, override) - line.qtyBilled);
      const beforeReceipt = policyOf(line) === 'received' ? r3(Math.max(0, Math.min(quantity, line.qtyBilled + quantity - line.qtyReceived))) : 0;
      return { line, quantity, beforeReceipt };
    })
    .filter((b) => b.quantity > 0);
}

/** Why a confirmed order has nothing to bill, in words a user can act on. */
export function nothingToBill(o: PurchaseOrderModel): string {
  const waiting = (o.lines ?? []).some((l) => policyOf(l) === 'received' && l.qtyReceived < l.quantity && l.qtyBilled < l.quantity);
  return waiting
    ? `Nothing to bill on ${o.name}: everything received is billed, and products billed on receipt wait for their receipt (bill them before receipt with the override)`
    : `Nothing to bill on ${o.name}: it is fully billed`;
}

/**
 * Sets the lines' billed quantities (`billed`: per line id, bills minus vendor credit notes, drafts
 * included) in t, then settles the order (done once everything is received and billed). `raisedFrom`:
 * the billed quantities before an edit of a bill, which may not raise a line beyond what it may be
 * billed up to (lowering is always fine).
 */
export async function applyBilled(
  t: Tx,
  o: PurchaseOrderModel,
  billed: Map<number, number>,
  authorId: number | null,
  raisedFrom?: Map<number, number>,
): Promise<void> {
  for (const l of o.lines ?? []) {
    const now = billed.get(l.id) ?? 0;
    const upTo = billableUpTo(l, false);
    if (raisedFrom && now > upTo && now > (raisedFrom.get(l.id) ?? 0)) {
      throw ValidationError.field(
        'lines',
        `${l.description}: ${now} would be billed, but only ${upTo} is ${policyOf(l) === 'ordered' ? 'ordered' : 'received'}`,
      );
    }
    if (l.qtyBilled !== now) {
      l.qtyBilled = now;
      await l.save({ transaction: t });
    }
  }
  await settlePurchase(t, o, authorId);
}
