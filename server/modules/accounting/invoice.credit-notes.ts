import type { Tx } from '../../db/transaction';
import { InvalidStateError, ValidationError } from '../../http/errors';
import { escapeHtml } from '../../lib/html';
import { formatMoney, prorate } from '../../lib/money';
import { requireAccess, type Auth } from '../auth/access';
import { createMessage } from '../chatter/chatter.service';
import type { InvoiceModel } from './invoice.model';
import { assertInvoiceAccess } from './invoice.access';
import { creditedByLine, loadInvoice, r3, refundType } from './invoice.ledger';
import type { DraftLine } from './invoice.lines';
import { displayName } from './invoice.mapper';
import { createDraft } from './invoice.service';

// Credit notes of posted invoices and vendor bills: for all that is left to credit, or for products and
// quantities (a return, goods sent back to the vendor). Their lines never credit more than is left of
// the invoice's, to the cent.

/**
 * The lines of a credit note for `request` (products and quantities; absent: all that is left) of a
 * posted invoice. Crediting all that is left of a line takes exactly its remaining amounts, so the
 * credit notes of an invoice add up to it to the cent.
 */
export async function creditLines(
  t: Tx,
  inv: InvoiceModel,
  request?: { productId: number; quantity: number; saleLineId?: number | null }[],
): Promise<DraftLine[]> {
  const credited = await creditedByLine(t, inv.id);
  const left = (inv.lines ?? []).map((l) => {
    const c = credited.get(l.id);
    return {
      line: l,
      quantity: r3(l.quantity - (c?.quantity ?? 0)),
      subtotal: l.subtotal - (c?.subtotal ?? 0),
      discountAmount: l.discountAmount - (c?.discountAmount ?? 0),
      orderDiscount: l.orderDiscount - (c?.orderDiscount ?? 0),
      taxes: l.taxAmounts.map((x) => ({ taxId: x.taxId, amount: x.amount - (c?.taxes.get(x.taxId) ?? 0) })),
    };
  });
  const take = (entry: (typeof left)[number], quantity: number): DraftLine => {
    const l = entry.line;
    const whole = quantity === entry.quantity;
    return {
      saleLineId: l.saleLineId,
      purchaseLineId: l.purchaseLineId,
      reversedLineId: l.id,
      productId: l.productId,
      description: l.description,
      quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      // Its part of the line's fixed discounts (all that is left of them when the rest is credited).
      discountAmount: whole ? entry.discountAmount : prorate(l.discountAmount, l.quantity, 0, quantity),
      orderDiscount: whole ? entry.orderDiscount : prorate(l.orderDiscount, l.quantity, 0, quantity),
      taxIds: l.taxIds,
      accountId: l.accountId,
      ...(whole && { fixed: { subtotal: entry.subtotal, taxAmounts: entry.taxes } }),
    };
  };
  if (!request) {
    const all = left.filter((e) => e.quantity > 0).map((e) => take(e, e.quantity));
    if (!all.length) throw new InvalidStateError(`${displayName(inv)} is already fully credited`);
    return all;
  }
  const out: DraftLine[] = [];
  request.forEach((r, i) => {
    // A product may sit on several lines: fill them in order (the line of the same order line first).
    let need = r3(r.quantity);
    const candidates = left
      .filter((e) => e.line.productId === r.productId && e.quantity > 0)
      .sort((a, b) => Number(b.line.saleLineId === (r.saleLineId ?? -1)) - Number(a.line.saleLineId === (r.saleLineId ?? -1)));
    const available = r3(candidates.reduce((s, e) => s + e.quantity, 0));
    if (!candidates.length) throw ValidationError.field(`lines.${i}.productId`, `product ${r.productId} is not on ${displayName(inv)}, or is fully credited`);
    if (need > available) {
      throw ValidationError.field(`lines.${i}.quantity`, `only ${available} of ${candidates[0]!.line.description} is left to credit on ${displayName(inv)}`);
    }
    for (const e of candidates) {
      if (need <= 0) break;
      const q = Math.min(need, e.quantity);
      out.push(take(e, q));
      e.quantity = r3(e.quantity - q);
      need = r3(need - q);
    }
  });
  return out;
}

/** Drafts a credit note of a posted invoice (a vendor credit note of a posted vendor bill) in t. */
export async function draftCreditNote(
  t: Tx,
  auth: Auth | null,
  invoiceId: number,
  input: {
    lines?: { productId: number; quantity: number; saleLineId?: number | null }[];
    reason?: string | null;
    pickingId?: number | null;
    originKey?: string | null;
  },
): Promise<InvoiceModel> {
  if (auth) requireAccess(auth, 'invoice.write');
  const inv = await loadInvoice(t, invoiceId, true);
  if (auth) await assertInvoiceAccess(t, auth, inv);
  if ((inv.moveType !== 'out_invoice' && inv.moveType !== 'in_invoice') || inv.state !== 'posted') {
    throw new InvalidStateError(`Only a posted customer invoice or vendor bill can be credited; ${displayName(inv)} is ${inv.state}`);
  }
  const lines = await creditLines(t, inv, input.lines);
  const refund = await createDraft(t, auth, {
    moveType: refundType(inv.moveType),
    partnerId: inv.partnerId,
    saleOrderId: inv.saleOrderId,
    purchaseOrderId: inv.purchaseOrderId ?? null,
    reversedInvoiceId: inv.id,
    pickingId: input.pickingId ?? null,
    originKey: input.originKey ?? null,
    reason: input.reason ?? null,
    lines,
  });
  if (auth) {
    await createMessage(t, {
      model: 'invoice',
      resId: inv.id,
      type: 'note',
      body: `<p>Credit note drafted for ${formatMoney(refund.amountTotal, inv.currency)}${input.reason ? `: ${escapeHtml(input.reason)}` : ''}.</p>`,
      author: { userId: auth.user.id, name: auth.user.name },
    });
  }
  return refund;
}
