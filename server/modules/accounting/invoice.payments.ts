import type { z } from 'zod';
import type { Invoice, paymentCreate } from '../../../contracts/schemas/invoices';
import type { PaymentState } from '../../../contracts/states';
import { withTransaction, type Tx } from '../../db/transaction';
import { InvalidStateError, ValidationError } from '../../http/errors';
import { formatMoney } from '../../lib/money';
import { requireAccess, type Auth } from '../auth/access';
import { createMessage, logTracking } from '../chatter/chatter.service';
import { JournalModel } from './account.model';
import { PaymentModel, type InvoiceModel } from './invoice.model';
import { assertInvoiceAccess } from './invoice.access';
import { isRefund, loadInvoice, partnerAccount } from './invoice.ledger';
import { displayName, invoiceDto, loadInvoiceDetails, namesOf, publishInvoice, today, type InvoiceNames } from './invoice.mapper';
import { PAYMENT_DIRECTION, paymentEntryItems, writeEntry } from './journal-entries';

// Payments of posted invoices, bills and credit notes, and the payment state every change of a residual
// re-derives (a payment, a credit note's offset, the posting itself).

async function paymentStateOf(t: Tx, inv: InvoiceModel): Promise<PaymentState> {
  if (inv.state !== 'posted') return 'not_paid';
  if (inv.amountResidual <= 0) {
    // An invoice or bill settled by its credit notes alone is reversed, not paid.
    if (!isRefund(inv.moveType) && inv.amountTotal > 0) {
      const paid = (await PaymentModel.sum('amountApplied', { where: { invoiceId: inv.id }, transaction: t })) ?? 0;
      if (Number(paid) === 0) return 'reversed';
    }
    return 'paid';
  }
  return inv.amountResidual < inv.amountTotal ? 'partial' : 'not_paid';
}

/**
 * Re-derives the payment state after the residual moved, tracking and publishing the change. `names`:
 * the customer's and order's names, when read already (the event shows them).
 */
export async function settle(t: Tx, inv: InvoiceModel, authorId: number | null, names?: InvoiceNames): Promise<void> {
  const before = inv.paymentState;
  inv.paymentState = await paymentStateOf(t, inv);
  inv.changed('updatedAt', true);
  await inv.save({ transaction: t });
  if (before !== inv.paymentState) {
    await logTracking(t, { model: 'invoice', resId: inv.id, authorId }, [{ field: 'paymentState', oldValue: before, newValue: inv.paymentState }]);
  }
  publishInvoice(t, inv, names);
}

/** What a payment of each kind of document is, in the chatter. */
const PAYMENT_NOTES: Record<InvoiceModel['moveType'], string> = {
  out_invoice: 'Payment received',
  out_refund: 'Refund paid',
  in_invoice: 'Payment sent',
  in_refund: 'Refund received',
};

/**
 * Registers a payment of a posted document: the customer pays an invoice, we pay back a credit note, we
 * pay a vendor bill (outgoing), the vendor refunds a vendor credit note. Its entry (bank or cash against
 * the receivable or the payable), the residual and the payment state. More than is due is refused
 * unless the rest is kept on purpose as the customer's credit (customer invoices only).
 */
export async function registerPayment(auth: Auth, id: number, input: z.output<typeof paymentCreate>): Promise<Invoice> {
  requireAccess(auth, 'invoice.write');
  const { inv, names } = await withTransaction(async (t) => {
    const inv = await loadInvoice(t, id, true);
    await assertInvoiceAccess(t, auth, inv);
    if (inv.state !== 'posted') throw new InvalidStateError(`Cannot register a payment on ${displayName(inv)}: it is not posted`);
    if (inv.amountResidual <= 0) throw new InvalidStateError(`${displayName(inv)} has nothing left to pay`);
    const money = (c: number) => formatMoney(c, inv.currency);
    if (input.amount > inv.amountResidual) {
      if (inv.moveType === 'out_refund') throw ValidationError.field('amount', `is more than the ${money(inv.amountResidual)} owed to the customer`);
      if (inv.moveType === 'in_invoice') throw ValidationError.field('amount', `is more than the ${money(inv.amountResidual)} due to the vendor`);
      if (inv.moveType === 'in_refund') throw ValidationError.field('amount', `is more than the ${money(inv.amountResidual)} the vendor owes`);
      if (!input.customerCredit) {
        throw ValidationError.field('amount', `is more than the ${money(inv.amountResidual)} due; keep the difference as the customer's credit to register it`);
      }
    }
    const journal = await JournalModel.findOne({ where: { type: input.method }, order: [['id', 'ASC']], transaction: t });
    if (!journal?.defaultAccountId) throw new InvalidStateError(`There is no ${input.method} journal with an account (Settings → Accounting)`);
    const counterpart = await partnerAccount(t, inv.moveType);
    const applied = Math.min(input.amount, inv.amountResidual);
    const date = input.date ?? today();
    const p = await PaymentModel.create(
      {
        invoiceId: inv.id,
        partnerId: inv.partnerId,
        journalId: journal.id,
        direction: PAYMENT_DIRECTION[inv.moveType],
        method: input.method,
        amount: input.amount,
        amountApplied: applied,
        date,
        memo: input.memo ?? null,
        createdById: auth.user.id,
      },
      { transaction: t },
    );
    const ref = `${journal.code}/${inv.name}`;
    await writeEntry(
      t,
      { journalId: journal.id, invoiceId: inv.id, paymentId: p.id, date, ref },
      paymentEntryItems(
        { direction: p.direction, amount: p.amount, partnerId: p.partnerId },
        { partner: counterpart.id, liquidity: journal.defaultAccountId },
        ref,
      ),
    );
    inv.amountResidual -= applied;
    const credit = input.amount - applied;
    await createMessage(t, {
      model: 'invoice',
      resId: inv.id,
      type: 'note',
      body: `<p>${PAYMENT_NOTES[inv.moveType]}: ${money(input.amount)} by ${input.method} on ${date}${
        credit > 0 ? `; ${money(credit)} kept as the customer's credit` : ''
      }.</p>`,
      author: { userId: auth.user.id, name: auth.user.name },
    });
    // The names the event and the answer show, read once.
    const names = await namesOf(t, [inv]);
    await settle(t, inv, auth.user.id, names);
    return { inv, names };
  });
  // The record as this transaction left it: read once, not again after commit.
  return invoiceDto(inv, await loadInvoiceDetails(null, inv, names));
}
