import { Op, literal, type WhereOptions } from 'sequelize';
import type { Invoice, InvoiceList, InvoicePatch, billCreate, invoiceListQuery } from '../../../contracts/schemas/invoices';
import type { MoveType } from '../../../contracts/states';
import type { z } from 'zod';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError, ValidationError, nullIfNotFound } from '../../http/errors';
import {
  afterCursor,
  countUpTo,
  findPage,
  ignoreIndexes,
  listCountLimit,
  readByIds,
  searchedWheres,
  listPage,
  orderFrom,
  unindexed,
  type SortKey,
} from '../../http/list';
import { requireAccess, type Auth } from '../auth/access';
import { logTracking } from '../chatter/chatter.service';
import { followNew } from '../chatter/followers.service';
import { ensureCompany } from '../company/company.service';
import { findPartner } from '../partners/partner.service';
import { orderLineIds } from '../sales/sale-order.queries';
import { InvoiceLineModel, InvoiceModel } from './invoice.model';
import { assertInvoiceAccess, invoiceScope } from './invoice.access';
import { isRefund, journalFor, loadInvoice } from './invoice.ledger';
import { invoiceSearch, PARTNER_INDEXES } from './invoice.search';
import { applyTotals, assertCreditable, computeLines, editedLines, type DraftLine } from './invoice.lines';
import { displayName, invoiceDto, loadInvoiceDetails, namesOf, publishInvoice, summaryOf, toInvoice, today, type InvoiceNames } from './invoice.mapper';

// Invoices and credit notes: drafted (from orders, returns or by hand), edited while draft, posted with a
// gapless number and a balanced entry (invoice.posting), paid (invoice.payments), credited
// (invoice.credit-notes). Every change is one transaction that tracks itself in the chatter and
// publishes invoice.updated after commit. This file: the list, one invoice, and the drafts.

const SORTABLE = ['invoiceDate', 'dueDate', 'amountTotal', 'name', 'createdAt'] as const;
// What each sort's cursor holds: a draft has no number and may have no dates yet (days are YYYY-MM-DD text).
const SORT_KEYS: Record<(typeof SORTABLE)[number], SortKey> = {
  invoiceDate: { kind: 'text', nullable: true },
  dueDate: { kind: 'text', nullable: true },
  amountTotal: { kind: 'number' },
  name: { kind: 'text', nullable: true },
  createdAt: { kind: 'date' },
};

export type InvoiceFilter = Omit<Partial<z.output<typeof invoiceListQuery>>, 'limit' | 'offset' | 'sort' | 'after'>;

/**
 * The WHERE of the invoices list under the user's record rule (`list`: the list, and the figures shown
 * of it), and of the list's count (`count`: the same, the search as the ids it finds, read from the
 * search's indexes first). `broad`: a search by a common surname, read along the list's indexes instead
 * (ignoreIndexes) and counted to a lower limit. `byIds`: on SQLite, read from the ids the search finds
 * (readByIds). `page`: the list as its page reads it (overdueWhere).
 */
export async function invoiceWheres(
  auth: Auth,
  query: InvoiceFilter,
): Promise<{ list: WhereOptions<InvoiceModel>; count: WhereOptions<InvoiceModel>; page: WhereOptions<InvoiceModel>; broad: boolean; byIds: boolean }> {
  const search = query.q?.trim() ? await invoiceSearch(query.q) : null;
  const wheres = async (page: boolean) => {
    const and = invoiceFilters(auth, query, page);
    if (!search) return { list: { [Op.and]: and }, count: { [Op.and]: and }, broad: false, byIds: false };
    // One partner chosen as well: that partner's index serves, the search is no longer broad.
    return searchedWheres(InvoiceModel, and, { ...search, broad: search.broad && !query.partnerId });
  };
  const plain = await wheres(false);
  return { ...plain, page: query.overdue ? (await wheres(true)).list : plain.list };
}

/** The list's filters under the user's record rule; `page`: as the list's page reads them (overdueWhere). */
function invoiceFilters(auth: Auth, query: InvoiceFilter, page: boolean): WhereOptions<InvoiceModel>[] {
  const and: WhereOptions<InvoiceModel>[] = [invoiceScope(auth)];
  if (query.moveType) and.push({ moveType: query.moveType });
  if (query.state) and.push({ state: query.state });
  if (query.paymentState) and.push({ paymentState: query.paymentState });
  if (query.partnerId) and.push({ partnerId: query.partnerId });
  if (query.purchaseOrderId) and.push({ purchaseOrderId: query.purchaseOrderId });
  if (query.saleOrderId) {
    // An invoice of several orders (grouped per customer) belongs to each of them through its lines.
    const id = Number(query.saleOrderId);
    const throughLines = `(SELECT invoiceId FROM ${InvoiceLineModel.tableName} WHERE saleLineId IN ${orderLineIds(id).val as string})`;
    and.push({ [Op.or]: [{ saleOrderId: id }, { id: { [Op.in]: literal(throughLines) } }] });
  }
  if (query.dateFrom) and.push({ invoiceDate: { [Op.gte]: query.dateFrom } });
  if (query.dateTo) and.push({ invoiceDate: { [Op.lte]: query.dateTo } });
  if (query.overdue) and.push(overdueWhere(page));
  return and;
}

/**
 * Posted, not paid off, due before today. Counted from their own index (invoices_overdue); a page
 * (`page`) walks the newest posted invoices instead (unindexed: SQLite), stopping at the page, where
 * SQLite's planner would read every overdue one through that index and sort them all.
 */
function overdueWhere(page: boolean): WhereOptions<InvoiceModel> {
  if (!page) return { state: 'posted', amountResidual: { [Op.gt]: 0 }, dueDate: { [Op.lt]: today() } };
  return {
    [Op.and]: [{ state: 'posted' }, unindexed(InvoiceModel, 'amountResidual', { [Op.gt]: 0 }), unindexed(InvoiceModel, 'dueDate', { [Op.lt]: today() })],
  };
}

/** The WHERE of the invoices list under the user's record rule (the list, and the figures shown of it). */
export async function invoiceWhere(auth: Auth, query: InvoiceFilter): Promise<WhereOptions<InvoiceModel>> {
  return (await invoiceWheres(auth, query)).list;
}

export async function listInvoices(auth: Auth, query: z.output<typeof invoiceListQuery>): Promise<InvoiceList> {
  requireAccess(auth, 'invoice.read');
  // Counted from the search's own indexes when there is one (on MariaDB the page reads the list's order
  // instead; SQLite reads it from the ids as well: byIds).
  const { page: where, count: counted, broad, byIds } = await invoiceWheres(auth, query);
  const hints = { ...(broad && ignoreIndexes(PARTNER_INDEXES)), ...(byIds && readByIds()) };
  const page = query.after ? { [Op.and]: [where, afterCursor(query.sort, query.after, SORT_KEYS)] } : where;
  const [rows, total] = await Promise.all([
    findPage(InvoiceModel, {
      where: page,
      order: orderFrom(query.sort, SORTABLE, '-createdAt'),
      limit: query.limit,
      offset: query.after ? undefined : query.offset,
      ...hints,
    }),
    countUpTo(InvoiceModel, counted, listCountLimit(broad), hints),
  ]);
  const names = await namesOf(null, rows);
  return listPage(
    rows.map((r) => summaryOf(r, names)),
    total,
    query.limit,
    query.sort,
  );
}

export async function getInvoice(auth: Auth, id: number): Promise<Invoice> {
  requireAccess(auth, 'invoice.read');
  const inv = await loadInvoice(null, id);
  await assertInvoiceAccess(null, auth, inv);
  return toInvoice(null, inv);
}

// ---------------------------------------------------------------------------------------------------
// Drafts

export type DraftInput = {
  moveType: MoveType;
  partnerId: number;
  saleOrderId?: number | null;
  purchaseOrderId?: number | null;
  reversedInvoiceId?: number | null;
  pickingId?: number | null;
  originKey?: string | null;
  reason?: string | null;
  discountCode?: string | null;
  invoiceDate?: string | null;
  dueDate?: string | null;
  note?: string | null;
  lines: DraftLine[];
  /** What the caller knows of the partner and the order (names, owner): not read again to announce the draft. */
  names?: InvoiceNames;
};

/**
 * Writes a draft invoice, credit note, vendor bill or vendor credit note in t (customer documents in the
 * sales journal, vendor ones in the purchase journal); the creator and the partner follow it.
 */
export async function createDraft(t: Tx, auth: Auth | null, input: DraftInput): Promise<InvoiceModel> {
  if (!input.lines.length) throw new InvalidStateError('An invoice needs at least one line');
  const [journal, company] = await Promise.all([journalFor(t, input.moveType), ensureCompany(t)]);
  const values = await computeLines(t, input.moveType, input.lines);
  const inv = InvoiceModel.build({
    name: null,
    moveType: input.moveType,
    state: 'draft',
    paymentState: 'not_paid',
    partnerId: input.partnerId,
    saleOrderId: input.saleOrderId ?? null,
    purchaseOrderId: input.purchaseOrderId ?? null,
    reversedInvoiceId: input.reversedInvoiceId ?? null,
    pickingId: input.pickingId ?? null,
    journalId: journal.id,
    invoiceDate: input.invoiceDate ?? null,
    dueDate: input.dueDate ?? null,
    currency: company.currency,
    amountUntaxed: 0,
    amountTax: 0,
    amountTotal: 0,
    amountResidual: 0,
    paymentReference: null,
    originKey: input.originKey ?? null,
    reason: input.reason ?? null,
    note: input.note ?? null,
    discountCode: input.discountCode ?? null,
    postedAt: null,
    sentAt: null,
    createdById: auth?.user.id ?? null,
  });
  applyTotals(inv, values);
  await inv.save({ transaction: t });
  inv.lines = await InvoiceLineModel.bulkCreate(
    values.map((v) => ({ ...v, invoiceId: inv.id })),
    { transaction: t },
  );
  // Nobody follows a new invoice yet: its creator and partner are written in one statement.
  await followNew(t, 'invoice', [...(auth ? [{ resId: inv.id, userId: auth.user.id }] : []), { resId: inv.id, partnerId: input.partnerId }]);
  publishInvoice(t, inv, input.names);
  return inv;
}

/**
 * A vendor bill drafted by hand (Odoo's bill without a purchase order): lines priced from the vendor's
 * prices and the purchase taxes unless given, in the purchase journal.
 */
export async function createBill(auth: Auth, input: z.output<typeof billCreate>): Promise<Invoice> {
  requireAccess(auth, 'bill.create');
  if (input.invoiceDate && input.dueDate && input.dueDate < input.invoiceDate) throw ValidationError.field('dueDate', 'is before the invoice date');
  const inv = await withTransaction(async (t) => {
    const vendor = await findPartner(t, input.partnerId).catch(nullIfNotFound);
    if (!vendor) throw ValidationError.field('partnerId', `partner ${input.partnerId} does not exist`);
    const lines = await editedLines(t, auth, { moveType: input.moveType, partnerId: vendor.id, lines: [] }, input.lines);
    return createDraft(t, auth, { ...input, partnerId: vendor.id, lines });
  });
  return invoiceDto(inv, await loadInvoiceDetails(null, inv));
}

export function assertDraft(inv: InvoiceModel, doing: string): void {
  if (inv.state !== 'draft') {
    throw new InvalidStateError(`Cannot ${doing} ${displayName(inv)}: it is ${inv.state === 'posted' ? 'posted (issue a credit note instead)' : 'cancelled'}`);
  }
}

export function assertVersion(inv: InvoiceModel, version: number | undefined): void {
  if (version !== undefined && version !== inv.version) throw new ConflictError(`${displayName(inv)} was changed by someone else`);
}

/**
 * Who may change a draft: whoever may create that kind of document. Sales draft invoices from their
 * orders, buyers and accounting draft vendor bills; credit notes (money going back) are accounting's.
 */
function requireDraftAccess(auth: Auth, inv: InvoiceModel): void {
  requireAccess(auth, inv.moveType === 'out_invoice' ? 'invoice.create' : inv.moveType === 'in_invoice' ? 'bill.create' : 'invoice.write');
}

/**
 * Edits a draft in t: dates, note, and the full list of lines (quantities, prices, discounts, taxes, new
 * lines). `inv` is the invoice as the caller loaded it in t, locked (loadInvoice(t, id, true)).
 */
export async function updateDraft(t: Tx, auth: Auth, inv: InvoiceModel, patch: InvoicePatch): Promise<InvoiceModel> {
  requireDraftAccess(auth, inv);
  await assertInvoiceAccess(t, auth, inv);
  assertVersion(inv, patch.version);
  assertDraft(inv, 'edit');
  if (patch.invoiceDate !== undefined) inv.invoiceDate = patch.invoiceDate;
  if (patch.dueDate !== undefined) inv.dueDate = patch.dueDate;
  if (inv.invoiceDate && inv.dueDate && inv.dueDate < inv.invoiceDate) throw ValidationError.field('dueDate', 'is before the invoice date');
  if (patch.note !== undefined) inv.note = patch.note;
  if (patch.lines) {
    const existing = new Map((inv.lines ?? []).map((l) => [l.id, l]));
    const draft = await editedLines(t, auth, inv, patch.lines);
    const values = await computeLines(t, inv.moveType, draft);
    if (isRefund(inv.moveType)) await assertCreditable(t, inv, draft, values);
    // Lines keep their ids (a console holds them); removed ones go, new ones are added.
    const kept = new Set(patch.lines.map((l) => l.id).filter((x): x is number => x !== undefined));
    const removed = [...existing.keys()].filter((lineId) => !kept.has(lineId));
    if (removed.length) await InvoiceLineModel.destroy({ where: { id: removed }, transaction: t });
    const lines: InvoiceLineModel[] = [];
    for (const [i, v] of values.entries()) {
      const old = patch.lines[i]!.id !== undefined ? existing.get(patch.lines[i]!.id!) : undefined;
      lines.push(old ? await old.update(v, { transaction: t }) : await InvoiceLineModel.create({ ...v, invoiceId: inv.id }, { transaction: t }));
    }
    inv.lines = lines;
    applyTotals(inv, values);
  }
  inv.changed('updatedAt', true);
  await inv.save({ transaction: t });
  publishInvoice(t, inv);
  return inv;
}

/** Cancels a draft in t (its quantities no longer count as invoiced); `inv` as loaded in t, locked. */
export async function cancelDraft(t: Tx, auth: Auth, inv: InvoiceModel, version?: number): Promise<InvoiceModel> {
  requireDraftAccess(auth, inv);
  await assertInvoiceAccess(t, auth, inv);
  assertVersion(inv, version);
  assertDraft(inv, 'cancel');
  inv.state = 'cancel';
  inv.amountResidual = 0;
  await inv.save({ transaction: t });
  await logTracking(t, { model: 'invoice', resId: inv.id, authorId: auth.user.id }, [{ field: 'state', oldValue: 'draft', newValue: 'cancel' }]);
  publishInvoice(t, inv);
  return inv;
}

// Read by purchasing

/** The vendor bills and vendor credit notes of a purchase order, oldest first. */
export async function purchaseInvoiceIds(t: Tx | null, purchaseOrderId: number): Promise<number[]> {
  const rows = await InvoiceModel.findAll({ where: { purchaseOrderId }, attributes: ['id'], order: [['id', 'ASC']], transaction: t });
  return rows.map((r) => r.id);
}
