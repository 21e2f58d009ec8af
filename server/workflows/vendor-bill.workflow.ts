import type { CreatedInvoices } from '../../contracts/schemas/invoices';
import { withTransaction, type Tx } from '../db/transaction';
import { InvalidStateError } from '../http/errors';
import { escapeHtml } from '../lib/html';
import { billedByPurchaseLine } from '../modules/accounting/invoice.ledger';
import { createDraft } from '../modules/accounting/invoice.service';
import { requireAccess, type Auth } from '../modules/auth/access';
import { createMessage } from '../modules/chatter/chatter.service';
import { assertPurchaseAccess } from '../modules/purchasing/purchase-order.access';
import { applyBilled, billableLines, nothingToBill } from '../modules/purchasing/purchase-order.billing';
import type { PurchaseOrderModel } from '../modules/purchasing/purchase-order.model';
import { loadPurchase } from '../modules/purchasing/purchase-order.service';

// Where purchasing and accounting meet: a confirmed purchase order becomes a vendor bill for what may be
// billed now, and every change of a bill or vendor credit note of a PO (drafted, edited, cancelled,
// credited) moves the PO lines' billed quantities in the same transaction, and with them whether the PO
// is done.

/** Re-adds the billed quantities of a loaded purchase order from its bills and vendor credit notes, and settles it. */
async function settleBilled(t: Tx, o: PurchaseOrderModel, auth: Auth | null, raisedFrom?: Map<number, number>): Promise<void> {
  const billed = await billedByPurchaseLine(
    t,
    (o.lines ?? []).map((l) => l.id),
  );
  await applyBilled(t, o, billed, auth?.user.id ?? null, raisedFrom);
}

/**
 * After a bill or vendor credit note of a purchase order changed: its lines' billed quantities, and
 * whether it is done. `raisedFrom`: the billed quantities before an edit of one of its bills (a line may
 * not be raised beyond what it may be billed up to).
 */
export async function refreshBilled(t: Tx, purchaseOrderId: number, auth: Auth | null, raisedFrom?: Map<number, number>): Promise<void> {
  await settleBilled(t, await loadPurchase(t, purchaseOrderId, true), auth, raisedFrom);
}

/**
 * One click on a confirmed purchase order: a draft vendor bill for what may be billed now (by each
 * product's bill policy: ordered, or received). With `override`, products billed on receipt are billed
 * up to what was ordered, and the bill says so in its note and its chatter.
 */
export async function billPurchaseOrder(auth: Auth, id: number, input: { override?: boolean } = {}): Promise<CreatedInvoices> {
  requireAccess(auth, 'bill.create');
  const override = input.override ?? false;
  const invoiceIds = await withTransaction(async (t) => {
    const o = await loadPurchase(t, id, true);
    assertPurchaseAccess(auth, o);
    if (o.state !== 'purchase' && o.state !== 'done') throw new InvalidStateError(`${o.name} is not confirmed: confirm it before billing`);
    const billable = billableLines(o, override);
    if (!billable.length) throw new InvalidStateError(nothingToBill(o));
    const early = billable.filter((b) => b.beforeReceipt > 0);
    const note = early.length
      ? `Billed before receipt: ${early.map((b) => `${b.line.description}: ${b.beforeReceipt} of the ${b.quantity} billed not received yet`).join('; ')}`
      : null;
    const bill = await createDraft(t, auth, {
      moveType: 'in_invoice',
      partnerId: o.partnerId,
      purchaseOrderId: o.id,
      note,
      lines: billable.map(({ line, quantity }) => ({
        purchaseLineId: line.id,
        productId: line.productId,
        description: line.description,
        quantity,
        unitPrice: line.unitPrice,
        discount: 0,
        taxIds: line.taxIds,
      })),
    });
    if (note) {
      await createMessage(t, {
        model: 'invoice',
        resId: bill.id,
        type: 'note',
        body: `<p>${escapeHtml(`${note} (billed from ${o.name} with the override).`)}</p>`,
        author: { userId: auth.user.id, name: auth.user.name },
      });
    }
    await settleBilled(t, o, auth);
    return [bill.id];
  });
  return { invoiceIds };
}
