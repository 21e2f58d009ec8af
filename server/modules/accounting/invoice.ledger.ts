import { Op } from 'sequelize';
import { isVendorMoveType, type MoveType } from '../../../contracts/states';
import { isSqlite } from '../../db/sequelize';
import type { Tx } from '../../db/transaction';
import { InvalidStateError, NotFoundError } from '../../http/errors';
import { AccountModel, JournalModel } from './account.model';
import { chart } from './chart.cache';
import { InvoiceLineModel, InvoiceModel } from './invoice.model';

// The reads the invoice files share: an invoice with its lines, the journal and the account an entry
// posts to, and what of an invoice's lines (or an order's or a purchase order's lines) is credited,
// invoiced or billed already.

/** Quantities keep three decimals. */
export const r3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * An invoice with its lines in order. `lock` (in t) holds its row until t ends, so two requests never
 * change one invoice at once (SQLite has one writer already).
 */
export async function loadInvoice(t: Tx | null, id: number, lock = false): Promise<InvoiceModel> {
  if (lock && t && !isSqlite()) {
    const row = await InvoiceModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
    if (!row) throw new NotFoundError('Invoice', id);
  }
  const inv = await InvoiceModel.findByPk(id, { include: [{ model: InvoiceLineModel, as: 'lines' }], transaction: t });
  if (!inv) throw new NotFoundError('Invoice', id);
  inv.lines = [...(inv.lines ?? [])].sort((a, b) => a.sequence - b.sequence || a.id - b.id);
  return inv;
}

/** A journal by id (read-only), from the chart in memory or else the database. */
export async function journalById(t: Tx | null, id: number): Promise<JournalModel | null> {
  return (await chart.get()).journals.find((j) => j.id === id) ?? (await JournalModel.findByPk(id, { transaction: t }));
}

/** Accounts by id (read-only), from the chart in memory when it has them all, else the database. */
export async function accountsById(t: Tx | null, ids: number[]): Promise<AccountModel[]> {
  const unique = [...new Set(ids)];
  const known = (await chart.get()).accounts;
  const hits = unique.map((id) => known.find((a) => a.id === id));
  if (hits.every(Boolean)) return hits as AccountModel[];
  return AccountModel.findAll({ where: { id: unique }, transaction: t });
}

/** The journal a document is written in: Sales for customer invoices and credit notes, Purchases for vendor bills and theirs. */
export async function journalFor(t: Tx, moveType: MoveType): Promise<JournalModel> {
  const type = isVendorMoveType(moveType) ? 'purchase' : 'sale';
  const j =
    (await chart.get()).journals.find((x) => x.type === type) ?? (await JournalModel.findOne({ where: { type }, order: [['id', 'ASC']], transaction: t }));
  if (!j) throw new InvalidStateError(`There is no ${type === 'sale' ? 'sales' : 'purchase'} journal: create one under Settings → Accounting`);
  return j;
}

/** The account the partner's balance is kept on: the receivable (customers) or the payable (vendors). */
export async function partnerAccount(t: Tx, moveType: MoveType): Promise<AccountModel> {
  const type = isVendorMoveType(moveType) ? 'payable' : 'receivable';
  const a =
    (await chart.get()).accounts.find((x) => x.type === type) ?? (await AccountModel.findOne({ where: { type }, order: [['code', 'ASC']], transaction: t }));
  if (!a) throw new InvalidStateError(`There is no ${type} account in the chart of accounts`);
  return a;
}

/** The type of a credit note of this side: out_refund for customers, in_refund for vendors. */
export const refundType = (moveType: MoveType): MoveType => (isVendorMoveType(moveType) ? 'in_refund' : 'out_refund');
export const isRefund = (moveType: MoveType): boolean => moveType === 'out_refund' || moveType === 'in_refund';

export type Credited = { quantity: number; subtotal: number; discountAmount: number; orderDiscount: number; taxes: Map<number, number> };

/** What of each line of an invoice is already credited by its credit notes (cancelled ones aside). */
export async function creditedByLine(t: Tx, invoiceId: number, exceptRefundId?: number): Promise<Map<number, Credited>> {
  const refunds = await InvoiceModel.findAll({
    where: {
      reversedInvoiceId: invoiceId,
      moveType: ['out_refund', 'in_refund'],
      state: { [Op.ne]: 'cancel' },
      ...(exceptRefundId && { id: { [Op.ne]: exceptRefundId } }),
    },
    include: [{ model: InvoiceLineModel, as: 'lines' }],
    transaction: t,
  });
  const out = new Map<number, Credited>();
  for (const r of refunds) {
    for (const l of r.lines ?? []) {
      if (!l.reversedLineId) continue;
      const sum = out.get(l.reversedLineId) ?? { quantity: 0, subtotal: 0, discountAmount: 0, orderDiscount: 0, taxes: new Map() };
      sum.quantity = r3(sum.quantity + l.quantity);
      sum.subtotal += l.subtotal;
      sum.discountAmount += l.discountAmount;
      sum.orderDiscount += l.orderDiscount;
      for (const x of l.taxAmounts) sum.taxes.set(x.taxId, (sum.taxes.get(x.taxId) ?? 0) + x.amount);
      out.set(l.reversedLineId, sum);
    }
  }
  return out;
}

/** Invoiced quantity per order line: invoices minus credit notes, drafts included, cancelled ones not. */
export async function invoicedBySaleLine(t: Tx, saleLineIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!saleLineIds.length) return out;
  const rows = await InvoiceLineModel.findAll({
    where: { saleLineId: saleLineIds },
    include: [{ model: InvoiceModel, as: 'invoice', attributes: ['moveType', 'state'], where: { state: { [Op.ne]: 'cancel' } } }],
    attributes: ['saleLineId', 'quantity'],
    transaction: t,
  });
  for (const r of rows as (InvoiceLineModel & { invoice: InvoiceModel })[]) {
    const sign = r.invoice.moveType === 'out_refund' ? -1 : 1;
    out.set(r.saleLineId!, r3((out.get(r.saleLineId!) ?? 0) + sign * r.quantity));
  }
  return out;
}

/**
 * Billed quantity per purchase order line (Odoo's qty_invoiced): vendor bills minus vendor credit notes,
 * drafts included, cancelled ones not. Purchasing reads it through its workflow.
 */
export async function billedByPurchaseLine(t: Tx, purchaseLineIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!purchaseLineIds.length) return out;
  const rows = await InvoiceLineModel.findAll({
    where: { purchaseLineId: purchaseLineIds },
    include: [{ model: InvoiceModel, as: 'invoice', attributes: ['moveType', 'state'], where: { state: { [Op.ne]: 'cancel' } } }],
    attributes: ['purchaseLineId', 'quantity'],
    transaction: t,
  });
  for (const r of rows as (InvoiceLineModel & { invoice: InvoiceModel })[]) {
    const sign = r.invoice.moveType === 'in_refund' ? -1 : 1;
    out.set(r.purchaseLineId!, r3((out.get(r.purchaseLineId!) ?? 0) + sign * r.quantity));
  }
  return out;
}
