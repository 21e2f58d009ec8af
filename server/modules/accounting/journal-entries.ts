import type { JournalItem } from '../../../contracts/schemas/invoices';
import type { MoveType } from '../../../contracts/states';
import type { AccountModel } from './account.model';
import type { Tx } from '../../db/transaction';
import { InvalidStateError } from '../../http/errors';
import { JournalEntryModel, JournalItemModel, type LineTax } from './invoice.model';

// The double entry of invoices, bills and payments. A customer invoice credits income per line and tax
// per tax and debits the receivable with the total; a vendor bill debits expense per line and deductible
// tax per tax and credits the payable with the total; a credit note mirrors its invoice or bill. A
// payment moves the partner's account against the bank (or cash): money in debits the bank, money out
// credits it. Amounts are cents and every entry is checked to balance before it is written.

export type EntryItem = { accountId: number; partnerId: number | null; taxId: number | null; label: string; debit: number; credit: number };

type InvoiceForEntry = {
  moveType: MoveType;
  partnerId: number;
  amountTotal: number;
  lines: { description: string; subtotal: number; accountId: number | null; taxAmounts: LineTax[] }[];
};

/** One amount on its side: positive goes to `side`, negative to the other one. */
function sided(amount: number, side: 'debit' | 'credit'): { debit: number; credit: number } {
  const other = side === 'debit' ? 'credit' : 'debit';
  return amount >= 0
    ? ({ [side]: amount, [other]: 0 } as { debit: number; credit: number })
    : ({ [side]: 0, [other]: -amount } as { debit: number; credit: number });
}

/** The side a document's lines (and taxes) go to; its partner's account (receivable or payable) takes the other. */
const LINE_SIDE: Record<MoveType, 'debit' | 'credit'> = { out_invoice: 'credit', out_refund: 'debit', in_invoice: 'debit', in_refund: 'credit' };

/**
 * The entry of a posted document. `accounts.partner`: the receivable (customer documents) or the payable
 * (vendor ones); `accounts.lineFallback`: the journal's default income or expense account.
 */
export function invoiceEntryItems(
  inv: InvoiceForEntry,
  accounts: { partner: number; lineFallback: number; taxAccount: (taxId: number) => number },
  taxNames: Map<number, string>,
  ref: string,
): EntryItem[] {
  const lineSide = LINE_SIDE[inv.moveType];
  const partnerSide = lineSide === 'credit' ? 'debit' : 'credit';
  const items: EntryItem[] = [];
  for (const l of inv.lines) {
    if (l.subtotal === 0) continue;
    items.push({
      accountId: l.accountId ?? accounts.lineFallback,
      partnerId: inv.partnerId,
      taxId: null,
      label: l.description.slice(0, 200),
      ...sided(l.subtotal, lineSide),
    });
  }
  const perTax = new Map<number, number>();
  for (const l of inv.lines) for (const tx of l.taxAmounts) perTax.set(tx.taxId, (perTax.get(tx.taxId) ?? 0) + tx.amount);
  for (const [taxId, amount] of perTax) {
    if (amount === 0) continue;
    items.push({
      accountId: accounts.taxAccount(taxId),
      partnerId: inv.partnerId,
      taxId,
      label: taxNames.get(taxId) ?? `Tax ${taxId}`,
      ...sided(amount, lineSide),
    });
  }
  if (inv.amountTotal !== 0) {
    items.push({ accountId: accounts.partner, partnerId: inv.partnerId, taxId: null, label: ref, ...sided(inv.amountTotal, partnerSide) });
  }
  return items;
}

/** Which way a document's payments go: customers pay invoices and are refunded credit notes; we pay bills and vendors refund theirs. */
export const PAYMENT_DIRECTION: Record<MoveType, 'inbound' | 'outbound'> = {
  out_invoice: 'inbound',
  out_refund: 'outbound',
  in_invoice: 'outbound',
  in_refund: 'inbound',
};

/** A payment: inbound (a customer pays, a vendor refunds) debits the bank; outbound (we pay a bill, a refund) credits it. */
export function paymentEntryItems(
  p: { direction: 'inbound' | 'outbound'; amount: number; partnerId: number },
  accounts: { partner: number; liquidity: number },
  ref: string,
): EntryItem[] {
  const inbound = p.direction === 'inbound';
  return [
    { accountId: accounts.liquidity, partnerId: p.partnerId, taxId: null, label: ref, debit: inbound ? p.amount : 0, credit: inbound ? 0 : p.amount },
    { accountId: accounts.partner, partnerId: p.partnerId, taxId: null, label: ref, debit: inbound ? 0 : p.amount, credit: inbound ? p.amount : 0 },
  ];
}

export function assertBalanced(items: EntryItem[], ref: string): void {
  const debit = items.reduce((s, i) => s + i.debit, 0);
  const credit = items.reduce((s, i) => s + i.credit, 0);
  if (debit !== credit) throw new InvalidStateError(`The entry of ${ref} does not balance: debit ${debit} ≠ credit ${credit}`);
  if (items.some((i) => !Number.isSafeInteger(i.debit) || !Number.isSafeInteger(i.credit) || i.debit < 0 || i.credit < 0)) {
    throw new InvalidStateError(`The entry of ${ref} has an amount that is not a whole number of cents`);
  }
}

/** Writes one balanced entry and its items in t. */
export async function writeEntry(
  t: Tx,
  head: { journalId: number; invoiceId: number | null; paymentId: number | null; date: string; ref: string },
  items: EntryItem[],
): Promise<JournalEntryModel> {
  assertBalanced(items, head.ref);
  const entry = await JournalEntryModel.create(head, { transaction: t });
  await JournalItemModel.bulkCreate(
    items.map((i) => ({ ...i, entryId: entry.id, invoiceId: head.invoiceId, date: head.date })),
    { transaction: t },
  );
  return entry;
}

/** A journal item as the API shows it, with its account's code, name and type. */
export function toJournalItem(i: JournalItemModel, accounts: Map<number, AccountModel>): JournalItem {
  const a = accounts.get(i.accountId);
  return {
    id: i.id,
    entryId: i.entryId,
    accountId: i.accountId,
    accountCode: a?.code ?? '',
    accountName: a?.name ?? '',
    accountType: a?.type ?? 'receivable',
    partnerId: i.partnerId,
    taxId: i.taxId,
    invoiceId: i.invoiceId,
    label: i.label,
    date: i.date,
    debit: i.debit,
    credit: i.credit,
  };
}
