import { Op } from 'sequelize';
import { rooms } from '../../../contracts/events';
import type { Invoice, InvoiceSummary } from '../../../contracts/schemas/invoices';
import type { MoveType } from '../../../contracts/states';
import { iso } from '../../db/columns';
import type { Tx } from '../../db/transaction';
import { recordNames } from '../../lib/records';
import { publish } from '../../realtime/publisher';
import { productSkus } from '../catalog/product.service';
import { taxesById } from '../catalog/tax.service';
import { partnerNames } from '../partners/partner.service';
import { orderOwner } from '../sales/sale-order.access';
import { orderNamesAndOwners } from '../sales/sale-order.queries';
import type { AccountModel } from './account.model';
import { accountsById } from './invoice.ledger';
import { InvoiceModel, JournalItemModel, PaymentModel } from './invoice.model';
import { toJournalItem } from './journal-entries';

// An invoice as the API and the events show it: its summary (with its customer's and order's names),
// and in full with its lines, taxes, journal items, payments and credit notes.

const DRAFT_NAMES: Record<MoveType, string> = {
  out_invoice: 'Draft invoice',
  out_refund: 'Draft credit note',
  in_invoice: 'Draft bill',
  in_refund: 'Draft vendor credit note',
};

export const today = (): string => new Date().toISOString().slice(0, 10);

export function displayName(inv: Pick<InvoiceModel, 'name' | 'moveType' | 'id'>): string {
  return inv.name ?? `${DRAFT_NAMES[inv.moveType]} #${inv.id}`;
}

/** The names a summary shows: customers (or vendors), sale orders and purchase orders by id. */
/**
 * The names an invoice's summary shows (customer, order, purchase order), and its order's owner (who
 * sees it under the own-orders rule), for events announced without reading them again after commit.
 */
export type InvoiceNames = {
  partners: Map<number, string>;
  orders: Map<number, string>;
  purchases: Map<number, string>;
  orderOwners: Map<number, number | null>;
};

export async function namesOf(t: Tx | null, rows: InvoiceModel[]): Promise<InvoiceNames> {
  const [partners, orders, purchases] = await Promise.all([
    partnerNames(
      t,
      rows.map((r) => r.partnerId),
    ),
    orderNamesAndOwners(
      t,
      rows.map((r) => r.saleOrderId),
    ),
    // Through the records registry: purchasing reads accounting, so accounting never imports purchasing.
    recordNames(
      t,
      'purchaseOrder',
      rows.map((r) => r.purchaseOrderId ?? null),
    ),
  ]);
  return invoiceNames(partners, orders, purchases);
}

/** InvoiceNames from the partners' names, the orders' names and owners (orderNamesAndOwners) and the purchase orders' names. */
export function invoiceNames(
  partners: Map<number, string>,
  orders: Map<number, { name: string; owner: number | null }>,
  purchases: Map<number, string>,
): InvoiceNames {
  return {
    partners,
    orders: new Map([...orders].map(([id, o]) => [id, o.name])),
    purchases,
    orderOwners: new Map([...orders].map(([id, o]) => [id, o.owner])),
  };
}

export function summaryOf(inv: InvoiceModel, names: InvoiceNames): InvoiceSummary {
  return {
    id: inv.id,
    name: inv.name,
    displayName: displayName(inv),
    moveType: inv.moveType,
    state: inv.state,
    paymentState: inv.paymentState,
    partnerId: inv.partnerId,
    partnerName: names.partners.get(inv.partnerId) ?? '',
    saleOrderId: inv.saleOrderId,
    saleOrderName: inv.saleOrderId ? (names.orders.get(inv.saleOrderId) ?? null) : null,
    purchaseOrderId: inv.purchaseOrderId ?? null,
    purchaseOrderName: inv.purchaseOrderId ? (names.purchases.get(inv.purchaseOrderId) ?? null) : null,
    reversedInvoiceId: inv.reversedInvoiceId,
    pickingId: inv.pickingId,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    currency: inv.currency,
    amountUntaxed: inv.amountUntaxed,
    amountTax: inv.amountTax,
    amountTotal: inv.amountTotal,
    amountResidual: inv.amountResidual,
    sentAt: inv.sentAt ? iso(inv.sentAt) : null,
    createdAt: iso(inv.createdAt),
    updatedAt: iso(inv.updatedAt),
    version: inv.version,
  };
}

export async function toInvoiceSummary(t: Tx | null, inv: InvoiceModel): Promise<InvoiceSummary> {
  return summaryOf(inv, await namesOf(t, [inv]));
}

/** What the full invoice shows besides the invoice and its lines, read in one go. */
export type InvoiceDetails = {
  names: InvoiceNames;
  taxes: Awaited<ReturnType<typeof taxesById>>;
  skus: Map<number, string>;
  items: JournalItemModel[];
  payments: PaymentModel[];
  credits: InvoiceModel[];
  accounts: Map<number, AccountModel>;
};

/** `names`: when the caller has read the customer's and the order's names already. */
export async function loadInvoiceDetails(t: Tx | null, inv: InvoiceModel, names?: InvoiceNames): Promise<InvoiceDetails> {
  const lines = inv.lines ?? [];
  const [readNames, taxes, skus, items, payments, credits] = await Promise.all([
    names ?? namesOf(t, [inv]),
    taxesById(
      t,
      lines.flatMap((l) => l.taxAmounts.map((x) => x.taxId)),
    ),
    productSkus(
      t,
      lines.map((l) => l.productId).filter((x): x is number => x !== null),
    ),
    JournalItemModel.findAll({ where: { invoiceId: inv.id }, order: [['id', 'ASC']], transaction: t }),
    PaymentModel.findAll({ where: { invoiceId: inv.id }, order: [['id', 'ASC']], transaction: t }),
    // The credit notes of an invoice; on a credit note, the invoice it credits.
    InvoiceModel.findAll({
      where: { [Op.or]: [{ reversedInvoiceId: inv.id }, ...(inv.reversedInvoiceId ? [{ id: inv.reversedInvoiceId }] : [])] },
      order: [['id', 'ASC']],
      transaction: t,
    }),
  ]);
  const accounts = items.length
    ? await accountsById(
        t,
        items.map((i) => i.accountId),
      )
    : [];
  return { names: readNames, taxes, skus, items, payments, credits, accounts: new Map(accounts.map((a) => [a.id, a])) };
}

/** The full invoice from the record and its details (no reads). */
export function invoiceDto(inv: InvoiceModel, d: InvoiceDetails): Invoice {
  const lines = inv.lines ?? [];
  const taxTotals = new Map<number, { base: number; amount: number }>();
  for (const l of lines) {
    for (const x of l.taxAmounts) {
      const sum = taxTotals.get(x.taxId) ?? { base: 0, amount: 0 };
      taxTotals.set(x.taxId, { base: sum.base + l.subtotal, amount: sum.amount + x.amount });
    }
  }
  return {
    ...summaryOf(inv, d.names),
    journalId: inv.journalId,
    paymentReference: inv.paymentReference,
    reason: inv.reason,
    note: inv.note,
    discountCode: inv.discountCode,
    orderDiscount: lines.reduce((s, l) => s + l.orderDiscount, 0),
    lines: lines.map((l) => ({
      id: l.id,
      saleLineId: l.saleLineId,
      purchaseLineId: l.purchaseLineId ?? null,
      reversedLineId: l.reversedLineId,
      productId: l.productId,
      sku: l.productId ? (d.skus.get(l.productId) ?? null) : null,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      discountAmount: l.discountAmount,
      orderDiscount: l.orderDiscount,
      taxIds: l.taxIds,
      taxes: l.taxAmounts.map((x) => ({ taxId: x.taxId, name: d.taxes.get(x.taxId)?.name ?? `Tax ${x.taxId}`, amount: x.amount })),
      subtotal: l.subtotal,
      amountTax: l.amountTax,
      total: l.total,
    })),
    taxTotals: [...taxTotals].map(([taxId, v]) => ({ taxId, name: d.taxes.get(taxId)?.name ?? `Tax ${taxId}`, rate: d.taxes.get(taxId)?.rate ?? 0, ...v })),
    journalItems: d.items.map((i) => toJournalItem(i, d.accounts)),
    payments: d.payments.map((p) => ({
      id: p.id,
      invoiceId: p.invoiceId,
      direction: p.direction,
      method: p.method,
      amount: p.amount,
      amountApplied: p.amountApplied,
      date: p.date,
      memo: p.memo,
      createdAt: iso(p.createdAt),
    })),
    creditNotes: d.credits.map((c) => ({ id: c.id, displayName: displayName(c), state: c.state, amountTotal: c.amountTotal })),
    customerCredit: d.payments.reduce((s, p) => s + (p.direction === 'inbound' ? p.amount - p.amountApplied : 0), 0),
  };
}

export async function toInvoice(t: Tx | null, inv: InvoiceModel): Promise<Invoice> {
  return invoiceDto(inv, await loadInvoiceDetails(t, inv));
}

/**
 * invoice.updated to the invoice's room, the invoice lists and its order's (or purchase order's) room, once t commits.
 * `names`: the customer's and order's names when the caller has them (otherwise read after commit).
 */
export function publishInvoice(t: Tx, inv: InvoiceModel, names?: InvoiceNames): void {
  const { saleOrderId, purchaseOrderId } = inv;
  // The invoices board, and the board of the order's owner for users limited to their own orders.
  const targets = async () => {
    const known = saleOrderId ? names?.orderOwners.get(saleOrderId) : undefined;
    const owner = saleOrderId ? (known !== undefined ? known : await orderOwner(null, saleOrderId)) : null;
    return [
      rooms.record('invoice', inv.id),
      rooms.invoicesBoard,
      ...(saleOrderId ? [rooms.record('saleOrder', saleOrderId)] : []),
      ...(purchaseOrderId ? [rooms.record('purchaseOrder', purchaseOrderId)] : []),
      ...(owner ? [rooms.ownBoard(rooms.invoicesBoard, owner)] : []),
    ];
  };
  const snapshot = inv.get({ plain: true }) as InvoiceModel;
  publish(t, targets, 'invoice.updated', async () => {
    const summary = summaryOf(snapshot, names ?? (await namesOf(null, [snapshot])));
    return { id: snapshot.id, version: snapshot.version, model: 'invoice' as const, invoice: summary };
  });
}
