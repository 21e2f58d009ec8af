import type { Invoice } from '../../../contracts/schemas/invoices';
import type { MoveType } from '../../../contracts/states';
import { nextNumber } from '../../db/sequences';
import { withTransaction, type Tx } from '../../db/transaction';
import { InvalidStateError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { taxesById } from '../catalog/tax.service';
import { logTracking } from '../chatter/chatter.service';
import { ensureCompany } from '../company/company.service';
import type { InvoiceModel } from './invoice.model';
import { assertInvoiceAccess } from './invoice.access';
import { isRefund, journalById, loadInvoice, partnerAccount } from './invoice.ledger';
import { displayName, invoiceDto, loadInvoiceDetails, namesOf, today, type InvoiceNames } from './invoice.mapper';
import { settle } from './invoice.payments';
import { assertDraft, assertVersion } from './invoice.service';
import { invoiceEntryItems, writeEntry } from './journal-entries';

// Posting a draft: its gapless number, its balanced journal entry, its dates, and for a credit note the
// offset against the invoice (or vendor bill) it credits.

const PREFIXES: Record<MoveType, 'INV' | 'RINV' | 'BILL' | 'RBILL'> = { out_invoice: 'INV', out_refund: 'RINV', in_invoice: 'BILL', in_refund: 'RBILL' };

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Posts a draft in t: its number (`INV/<year>/<n>`, `RINV/…`, `BILL/…`, `RBILL/…`, gapless: taken in this
 * transaction, given back if it rolls back), its balanced entry, and for a credit note the offset
 * against the invoice or bill it credits.
 * `inv`: loaded with its lock in t (loadInvoice(t, id, true)).
 */
export async function postInvoiceIn(t: Tx, auth: Auth | null, inv: InvoiceModel, version?: number): Promise<InvoiceModel> {
  await post(t, auth, inv, version);
  return inv;
}

/** Posts `inv` in t; returns the names (customer, order) its events and its answer show, read once. */
async function post(t: Tx, auth: Auth | null, inv: InvoiceModel, version?: number): Promise<{ inv: InvoiceModel; names: InvoiceNames }> {
  if (auth) requireAccess(auth, 'invoice.write');
  if (auth) await assertInvoiceAccess(t, auth, inv);
  assertVersion(inv, version);
  assertDraft(inv, 'post');
  const lines = inv.lines ?? [];
  if (!lines.length) throw new InvalidStateError(`Cannot post ${displayName(inv)}: it has no lines`);
  if (inv.amountTotal < 0) throw new InvalidStateError(`Cannot post ${displayName(inv)}: its total is negative (issue a credit note instead)`);
  let reversed: InvoiceModel | null = null;
  if (inv.reversedInvoiceId) {
    reversed = await loadInvoice(t, inv.reversedInvoiceId, true);
    if (reversed.state !== 'posted') {
      throw new InvalidStateError(`Cannot post ${displayName(inv)}: the invoice it credits (${displayName(reversed)}) is not posted`);
    }
  }

  // Accounts: the receivable (or the payable), each tax's own account.
  const taxIds = lines.flatMap((l) => l.taxAmounts.map((x) => x.taxId));
  const taxes = [...(await taxesById(t, taxIds)).values()];
  const unaccounted = taxes.filter((x) => !x.accountId);
  if (unaccounted.length) {
    throw new InvalidStateError(`Cannot post ${displayName(inv)}: the tax ${unaccounted.map((x) => x.name).join(', ')} names no account (Settings → Taxes)`);
  }
  const [counterpart, journal, company] = await Promise.all([partnerAccount(t, inv.moveType), journalById(t, inv.journalId), ensureCompany(t)]);
  if (!journal?.defaultAccountId && lines.some((l) => !l.accountId)) {
    throw new InvalidStateError(`Cannot post ${displayName(inv)}: the ${journal?.name ?? ''} journal has no default account (Settings → Accounting)`);
  }

  // Read before the number: the sequence's row lock is held until commit, for as few statements as can be.
  const names = await namesOf(t, reversed ? [inv, reversed] : [inv]);
  const invoiceDate = inv.invoiceDate ?? today();
  const year = Number(invoiceDate.slice(0, 4));
  const prefix = PREFIXES[inv.moveType];
  const name = await nextNumber(`invoice:${prefix}:${year}`, t, { prefix: `${prefix}/${year}/`, padding: 5 });
  const items = invoiceEntryItems(
    { moveType: inv.moveType, partnerId: inv.partnerId, amountTotal: inv.amountTotal, lines },
    { partner: counterpart.id, lineFallback: journal!.defaultAccountId!, taxAccount: (taxId) => taxes.find((x) => x.id === taxId)!.accountId! },
    new Map(taxes.map((x) => [x.id, x.name])),
    name,
  );
  await writeEntry(t, { journalId: inv.journalId, invoiceId: inv.id, paymentId: null, date: invoiceDate, ref: name }, items);

  inv.set({
    name,
    state: 'posted',
    invoiceDate,
    dueDate: inv.dueDate ?? (isRefund(inv.moveType) ? invoiceDate : addDays(invoiceDate, company.paymentTermDays)),
    paymentReference: name,
    amountResidual: inv.amountTotal,
    postedAt: new Date(),
  });
  const authorId = auth?.user.id ?? null;
  await logTracking(t, { model: 'invoice', resId: inv.id, authorId }, [
    { field: 'state', oldValue: 'draft', newValue: 'posted' },
    { field: 'name', oldValue: '', newValue: name },
  ]);
  // A credit note settles what it can of the invoice or bill it credits; the rest is owed to the partner.
  if (reversed && reversed.amountResidual > 0 && inv.amountTotal > 0) {
    const offset = Math.min(reversed.amountResidual, inv.amountTotal);
    reversed.amountResidual -= offset;
    inv.amountResidual -= offset;
    await settle(t, reversed, authorId, names);
  }
  await settle(t, inv, authorId, names);
  return { inv, names };
}

export async function postInvoice(auth: Auth, id: number, version?: number): Promise<Invoice> {
  const { inv, names } = await withTransaction(async (t) => {
    requireAccess(auth, 'invoice.write');
    return post(t, auth, await loadInvoice(t, id, true), version);
  });
  // The record as this transaction left it: read once, not again after commit.
  return invoiceDto(inv, await loadInvoiceDetails(null, inv, names));
}
