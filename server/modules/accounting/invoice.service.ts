import { Op, literal, type InferCreationAttributes, type WhereOptions } from 'sequelize';
import { rooms } from '../../../contracts/events';
import type { List } from '../../../contracts/schemas/common';
import type { Invoice, InvoicePatch, InvoiceSummary, invoiceListQuery, paymentCreate } from '../../../contracts/schemas/invoices';
import type { MoveType, PaymentState } from '../../../contracts/states';
import type { z } from 'zod';
import { iso } from '../../db/columns';
import { nextNumber } from '../../db/sequences';
import { db, isSqlite } from '../../db/sequelize';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../../http/errors';
import { likeTerm, orderFrom } from '../../http/list';
import { MAX_AMOUNT, computeLine, formatMoney, lineGross, prorate, withinBounds } from '../../lib/money';
import { publish } from '../../realtime/publisher';
import { can, requireAccess, type Auth } from '../auth/access';
import { ProductModel, TaxModel } from '../catalog/catalog.model';
import { createMessage, logTracking } from '../chatter/chatter.service';
import { follow } from '../chatter/followers.service';
import { ensureCompany } from '../company/company.service';
import { PartnerModel } from '../partners/partner.model';
import { orderOwner, ownOrderIds, ownOrdersOnly } from '../sales/sale-order.access';
import { SaleOrderModel } from '../sales/sale-order.model';
import { AccountModel, JournalModel } from './account.model';
import { invoiceEntryItems, paymentEntryItems, toJournalItem, writeEntry } from './journal-entries';
import { InvoiceLineModel, InvoiceModel, JournalItemModel, PaymentModel, type LineTax } from './invoice.model';
import { escapeHtml } from '../../lib/html';

// Invoices and credit notes: drafted (from orders, returns or by hand), edited while draft, posted with a
// gapless number and a balanced entry, paid, credited. Every change is one transaction that tracks
// itself in the chatter and publishes invoice.updated after commit.

const DRAFT_NAMES: Record<MoveType, string> = { out_invoice: 'Draft invoice', out_refund: 'Draft credit note', in_invoice: 'Draft bill' };
const PREFIXES: Record<MoveType, 'INV' | 'RINV' | 'BILL'> = { out_invoice: 'INV', out_refund: 'RINV', in_invoice: 'BILL' };
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export const today = (): string => new Date().toISOString().slice(0, 10);
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function displayName(inv: Pick<InvoiceModel, 'name' | 'moveType' | 'id'>): string {
  return inv.name ?? `${DRAFT_NAMES[inv.moveType]} #${inv.id}`;
}

// ---------------------------------------------------------------------------------------------------
// Reading

export async function loadInvoice(id: number, t?: Tx, lock = false): Promise<InvoiceModel> {
  if (lock && t && !isSqlite()) {
    const row = await InvoiceModel.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE, attributes: ['id'] });
    if (!row) throw new NotFoundError('Invoice', id);
  }
  const inv = await InvoiceModel.findByPk(id, { include: [{ model: InvoiceLineModel, as: 'lines' }], transaction: t });
  if (!inv) throw new NotFoundError('Invoice', id);
  inv.lines = [...(inv.lines ?? [])].sort((a, b) => a.sequence - b.sequence || a.id - b.id);
  return inv;
}

/** The record rule: a user limited to their own orders sees the invoices of those orders only. */
export function invoiceScope(auth: Pick<Auth, 'user'>): WhereOptions<InvoiceModel> {
  if (!ownOrdersOnly(auth)) return {};
  return { saleOrderId: { [Op.in]: ownOrderIds(auth.user.id) } };
}

export async function mayAccessInvoice(auth: Pick<Auth, 'user'>, inv: Pick<InvoiceModel, 'saleOrderId'>): Promise<boolean> {
  if (!ownOrdersOnly(auth)) return true;
  return !!inv.saleOrderId && (await orderOwner(inv.saleOrderId)) === auth.user.id;
}

/** The user whose own orders include this invoice (its order's creator), or null. */
export async function invoiceOwner(id: number, t?: Tx): Promise<number | null> {
  const inv = await InvoiceModel.findByPk(id, { attributes: ['id', 'saleOrderId'], transaction: t });
  return inv?.saleOrderId ? orderOwner(inv.saleOrderId, t) : null;
}

/** The ids of the invoices of this user's orders, as a subquery. */
export function ownInvoiceIds(userId: number): ReturnType<typeof literal> {
  return literal(`(SELECT id FROM ${InvoiceModel.tableName} WHERE saleOrderId IN ${ownOrderIds(userId).val as string})`);
}

async function assertInvoiceAccess(auth: Auth, inv: InvoiceModel): Promise<void> {
  if (!(await mayAccessInvoice(auth, inv))) throw new ForbiddenError(`${displayName(inv)} belongs to another salesperson's order`);
}

async function namesOf(rows: InvoiceModel[], t?: Tx): Promise<{ partners: Map<number, string>; orders: Map<number, string> }> {
  const partnerIds = [...new Set(rows.map((r) => r.partnerId))];
  const orderIds = [...new Set(rows.map((r) => r.saleOrderId).filter((x): x is number => x !== null))];
  const [partners, orders] = await Promise.all([
    partnerIds.length ? PartnerModel.findAll({ where: { id: partnerIds }, attributes: ['id', 'name'], transaction: t }) : [],
    orderIds.length ? SaleOrderModel.findAll({ where: { id: orderIds }, attributes: ['id', 'name'], transaction: t }) : [],
  ]);
  return { partners: new Map(partners.map((p) => [p.id, p.name])), orders: new Map(orders.map((o) => [o.id, o.name])) };
}

function summaryOf(inv: InvoiceModel, names: { partners: Map<number, string>; orders: Map<number, string> }): InvoiceSummary {
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

export async function toInvoiceSummary(inv: InvoiceModel, t?: Tx): Promise<InvoiceSummary> {
  return summaryOf(inv, await namesOf([inv], t));
}

export async function toInvoice(inv: InvoiceModel, t?: Tx): Promise<Invoice> {
  const lines = inv.lines ?? [];
  const taxIds = [...new Set(lines.flatMap((l) => l.taxAmounts.map((x) => x.taxId)))];
  const productIds = [...new Set(lines.map((l) => l.productId).filter((x): x is number => x !== null))];
  const [names, taxes, products, items, payments, credits] = await Promise.all([
    namesOf([inv], t),
    taxIds.length ? TaxModel.findAll({ where: { id: taxIds }, transaction: t }) : [],
    productIds.length ? ProductModel.findAll({ where: { id: productIds }, attributes: ['id', 'sku'], transaction: t }) : [],
    JournalItemModel.findAll({ where: { invoiceId: inv.id }, order: [['id', 'ASC']], transaction: t }),
    PaymentModel.findAll({ where: { invoiceId: inv.id }, order: [['id', 'ASC']], transaction: t }),
    // The credit notes of an invoice; on a credit note, the invoice it credits.
    InvoiceModel.findAll({
      where: { [Op.or]: [{ reversedInvoiceId: inv.id }, ...(inv.reversedInvoiceId ? [{ id: inv.reversedInvoiceId }] : [])] },
      order: [['id', 'ASC']],
      transaction: t,
    }),
  ]);
  const accounts = items.length ? await AccountModel.findAll({ where: { id: [...new Set(items.map((i) => i.accountId))] }, transaction: t }) : [];
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const taxById = new Map(taxes.map((x) => [x.id, x]));
  const skuById = new Map(products.map((p) => [p.id, p.sku]));
  const taxTotals = new Map<number, { base: number; amount: number }>();
  for (const l of lines) {
    for (const x of l.taxAmounts) {
      const sum = taxTotals.get(x.taxId) ?? { base: 0, amount: 0 };
      taxTotals.set(x.taxId, { base: sum.base + l.subtotal, amount: sum.amount + x.amount });
    }
  }
  return {
    ...summaryOf(inv, names),
    journalId: inv.journalId,
    paymentReference: inv.paymentReference,
    reason: inv.reason,
    note: inv.note,
    discountCode: inv.discountCode,
    orderDiscount: lines.reduce((s, l) => s + l.orderDiscount, 0),
    lines: lines.map((l) => ({
      id: l.id,
      saleLineId: l.saleLineId,
      reversedLineId: l.reversedLineId,
      productId: l.productId,
      sku: l.productId ? (skuById.get(l.productId) ?? null) : null,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      discountAmount: l.discountAmount,
      orderDiscount: l.orderDiscount,
      taxIds: l.taxIds,
      taxes: l.taxAmounts.map((x) => ({ taxId: x.taxId, name: taxById.get(x.taxId)?.name ?? `Tax ${x.taxId}`, amount: x.amount })),
      subtotal: l.subtotal,
      amountTax: l.amountTax,
      total: l.total,
    })),
    taxTotals: [...taxTotals].map(([taxId, v]) => ({ taxId, name: taxById.get(taxId)?.name ?? `Tax ${taxId}`, rate: taxById.get(taxId)?.rate ?? 0, ...v })),
    journalItems: items.map((i) => toJournalItem(i, accountById)),
    payments: payments.map((p) => ({
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
    creditNotes: credits.map((c) => ({ id: c.id, displayName: displayName(c), state: c.state, amountTotal: c.amountTotal })),
    customerCredit: payments.reduce((s, p) => s + (p.direction === 'inbound' ? p.amount - p.amountApplied : 0), 0),
  };
}

const SORTABLE = ['invoiceDate', 'dueDate', 'amountTotal', 'name', 'createdAt'] as const;

export async function listInvoices(auth: Auth, query: z.output<typeof invoiceListQuery>): Promise<List<InvoiceSummary>> {
  requireAccess(auth, 'invoice.read');
  const and: WhereOptions<InvoiceModel>[] = [invoiceScope(auth)];
  if (query.moveType) and.push({ moveType: query.moveType });
  if (query.state) and.push({ state: query.state });
  if (query.paymentState) and.push({ paymentState: query.paymentState });
  if (query.partnerId) and.push({ partnerId: query.partnerId });
  if (query.saleOrderId) {
    // An invoice of several orders (grouped per customer) belongs to each of them through its lines.
    const id = Number(query.saleOrderId);
    and.push({
      [Op.or]: [
        { saleOrderId: id },
        { id: { [Op.in]: literal(`(SELECT il.invoiceId FROM invoice_lines il JOIN sale_order_lines sl ON sl.id = il.saleLineId WHERE sl.orderId = ${id})`) } },
      ],
    });
  }
  if (query.dateFrom) and.push({ invoiceDate: { [Op.gte]: query.dateFrom } });
  if (query.dateTo) and.push({ invoiceDate: { [Op.lte]: query.dateTo } });
  if (query.overdue) and.push({ state: 'posted', amountResidual: { [Op.gt]: 0 }, dueDate: { [Op.lt]: today() } });
  if (query.q) {
    const term = likeTerm(query.q);
    and.push({
      [Op.or]: [
        { name: { [Op.like]: term } },
        { paymentReference: { [Op.like]: term } },
        { partnerId: { [Op.in]: literal(`(SELECT id FROM partners WHERE name LIKE ${db().escape(term)})`) } },
      ],
    });
  }
  const where = { [Op.and]: and };
  const [rows, total] = await Promise.all([
    InvoiceModel.findAll({ where, order: orderFrom(query.sort, SORTABLE, '-createdAt'), limit: query.limit, offset: query.offset }),
    InvoiceModel.count({ where }),
  ]);
  const names = await namesOf(rows);
  return { items: rows.map((r) => summaryOf(r, names)), total };
}

export async function getInvoice(auth: Auth, id: number): Promise<Invoice> {
  requireAccess(auth, 'invoice.read');
  const inv = await loadInvoice(id);
  await assertInvoiceAccess(auth, inv);
  return toInvoice(inv);
}

/** invoice.updated to the invoice's room, the invoice lists and its order's room, once t commits. */
export function publishInvoice(t: Tx, inv: InvoiceModel): void {
  const saleOrderId = inv.saleOrderId;
  // The invoices board, and the board of the order's owner for users limited to their own orders.
  const targets = async () => {
    const owner = saleOrderId ? await orderOwner(saleOrderId) : null;
    return [
      rooms.record('invoice', inv.id),
      rooms.invoicesBoard,
      ...(saleOrderId ? [rooms.record('saleOrder', saleOrderId)] : []),
      ...(owner ? [rooms.ownBoard(rooms.invoicesBoard, owner)] : []),
    ];
  };
  const snapshot = inv.get({ plain: true }) as InvoiceModel;
  publish(t, targets, 'invoice.updated', async () => {
    const summary = summaryOf(snapshot, await namesOf([snapshot]));
    return { id: snapshot.id, version: snapshot.version, model: 'invoice' as const, invoice: summary };
  });
}

// ---------------------------------------------------------------------------------------------------
// Drafts

/** A line to draft: amounts are computed from its price and taxes, unless given (a credit note's rest). */
export type DraftLine = {
  saleLineId?: number | null;
  reversedLineId?: number | null;
  productId: number | null;
  description: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  discountAmount?: number;
  orderDiscount?: number;
  taxIds: number[];
  accountId?: number | null;
  fixed?: { subtotal: number; taxAmounts: LineTax[] };
};

export type DraftInput = {
  moveType: MoveType;
  partnerId: number;
  saleOrderId?: number | null;
  reversedInvoiceId?: number | null;
  pickingId?: number | null;
  originKey?: string | null;
  reason?: string | null;
  discountCode?: string | null;
  lines: DraftLine[];
};

/** Rates of taxes, active or not (a credit note repeats the taxes of its invoice). */
async function anyTaxRates(ids: number[], t: Tx): Promise<Map<number, number>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await TaxModel.findAll({ where: { id: unique }, attributes: ['id', 'rate'], transaction: t });
  const rates = new Map(rows.map((r) => [r.id, r.rate]));
  const missing = unique.filter((i) => !rates.has(i));
  if (missing.length) throw ValidationError.field('lines.taxIds', `unknown tax ${missing.join(', ')}`);
  return rates;
}

type LineValues = Omit<InferCreationAttributes<InvoiceLineModel>, 'id' | 'invoiceId'>;

async function computeLines(lines: DraftLine[], t: Tx): Promise<LineValues[]> {
  const rates = await anyTaxRates(
    lines.filter((l) => !l.fixed).flatMap((l) => l.taxIds),
    t,
  );
  const journal = await saleJournal(t);
  const values = lines.map((l, i) => {
    const amounts = l.fixed
      ? { subtotal: l.fixed.subtotal, taxes: l.fixed.taxAmounts, amountTax: l.fixed.taxAmounts.reduce((s, x) => s + x.amount, 0) }
      : computeLine(l, rates);
    if (!withinBounds(lineGross(l)) || !withinBounds(amounts.subtotal + amounts.amountTax)) {
      throw ValidationError.field(`lines.${i}.quantity`, `makes the line come to more than the largest amount, ${MAX_AMOUNT} (cents)`);
    }
    return {
      sequence: i,
      saleLineId: l.saleLineId ?? null,
      reversedLineId: l.reversedLineId ?? null,
      productId: l.productId,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      discountAmount: l.discountAmount ?? 0,
      orderDiscount: l.orderDiscount ?? 0,
      taxIds: l.taxIds,
      taxAmounts: amounts.taxes,
      subtotal: amounts.subtotal,
      amountTax: amounts.amountTax,
      total: amounts.subtotal + amounts.amountTax,
      accountId: l.accountId ?? journal.defaultAccountId,
    };
  });
  if (!withinBounds(values.reduce((s, v) => s + Math.abs(v.total), 0))) {
    throw ValidationError.field('lines', `make the document come to more than the largest amount, ${MAX_AMOUNT} (cents)`);
  }
  return values;
}

function applyTotals(inv: InvoiceModel, lines: { subtotal: number; amountTax: number }[]): void {
  const untaxed = lines.reduce((s, l) => s + l.subtotal, 0);
  const tax = lines.reduce((s, l) => s + l.amountTax, 0);
  inv.set({ amountUntaxed: untaxed, amountTax: tax, amountTotal: untaxed + tax, amountResidual: untaxed + tax });
}

export async function saleJournal(t?: Tx): Promise<JournalModel> {
  const j = await JournalModel.findOne({ where: { type: 'sale' }, order: [['id', 'ASC']], transaction: t });
  if (!j) throw new InvalidStateError('There is no sales journal: create one under Settings → Accounting');
  return j;
}

/** Writes a draft invoice or credit note in t; the creator and the customer follow it. */
export async function createDraft(t: Tx, auth: Auth | null, input: DraftInput): Promise<InvoiceModel> {
  if (!input.lines.length) throw new InvalidStateError('An invoice needs at least one line');
  const [journal, company] = await Promise.all([saleJournal(t), ensureCompany(t)]);
  const values = await computeLines(input.lines, t);
  const inv = InvoiceModel.build({
    name: null,
    moveType: input.moveType,
    state: 'draft',
    paymentState: 'not_paid',
    partnerId: input.partnerId,
    saleOrderId: input.saleOrderId ?? null,
    reversedInvoiceId: input.reversedInvoiceId ?? null,
    pickingId: input.pickingId ?? null,
    journalId: journal.id,
    invoiceDate: null,
    dueDate: null,
    currency: company.currency,
    amountUntaxed: 0,
    amountTax: 0,
    amountTotal: 0,
    amountResidual: 0,
    paymentReference: null,
    originKey: input.originKey ?? null,
    reason: input.reason ?? null,
    note: null,
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
  if (auth) await follow(t, 'invoice', inv.id, { userId: auth.user.id });
  await follow(t, 'invoice', inv.id, { partnerId: input.partnerId });
  publishInvoice(t, inv);
  return inv;
}

function assertDraft(inv: InvoiceModel, doing: string): void {
  if (inv.state !== 'draft') {
    throw new InvalidStateError(`Cannot ${doing} ${displayName(inv)}: it is ${inv.state === 'posted' ? 'posted (issue a credit note instead)' : 'cancelled'}`);
  }
}

function assertVersion(inv: InvoiceModel, version: number | undefined): void {
  if (version !== undefined && version !== inv.version) throw new ConflictError(`${displayName(inv)} was changed by someone else`);
}

/**
 * Who may change a draft: whoever may create that kind of document. Sales draft invoices from their
 * orders; credit notes (money going back) are accounting's.
 */
function requireDraftAccess(auth: Auth, inv: InvoiceModel): void {
  requireAccess(auth, inv.moveType === 'out_invoice' ? 'invoice.create' : 'invoice.write');
}

/** Edits a draft in t: dates, note, and the full list of lines (quantities, prices, discounts, taxes, new lines). */
export async function updateDraft(t: Tx, auth: Auth, id: number, patch: InvoicePatch): Promise<InvoiceModel> {
  requireAccess(auth, 'invoice.create');
  const inv = await loadInvoice(id, t, true);
  requireDraftAccess(auth, inv);
  await assertInvoiceAccess(auth, inv);
  assertVersion(inv, patch.version);
  assertDraft(inv, 'edit');
  if (patch.invoiceDate !== undefined) inv.invoiceDate = patch.invoiceDate;
  if (patch.dueDate !== undefined) inv.dueDate = patch.dueDate;
  if (inv.invoiceDate && inv.dueDate && inv.dueDate < inv.invoiceDate) throw ValidationError.field('dueDate', 'is before the invoice date');
  if (patch.note !== undefined) inv.note = patch.note;
  if (patch.lines) {
    const existing = new Map((inv.lines ?? []).map((l) => [l.id, l]));
    const productIds = patch.lines
      .map((l) => (l.productId === undefined ? (l.id !== undefined ? existing.get(l.id)?.productId : null) : l.productId))
      .filter((x): x is number => !!x);
    const products = new Map((productIds.length ? await ProductModel.findAll({ where: { id: productIds }, transaction: t }) : []).map((p) => [p.id, p]));
    const newTaxIds = patch.lines.flatMap((l) => l.taxIds ?? []);
    if (newTaxIds.length) {
      const active = await TaxModel.findAll({ where: { id: [...new Set(newTaxIds)], active: true }, attributes: ['id'], transaction: t });
      const missing = [...new Set(newTaxIds)].filter((x) => !active.some((a) => a.id === x));
      if (missing.length) throw ValidationError.field('lines.taxIds', `unknown or inactive tax ${missing.join(', ')}`);
    }
    const draft: DraftLine[] = patch.lines.map((l, i) => {
      const old = l.id !== undefined ? existing.get(l.id) : undefined;
      if (l.id !== undefined && !old) throw ValidationError.field(`lines.${i}.id`, `line ${l.id} is not a line of this invoice`);
      const productId = l.productId === undefined ? (old?.productId ?? null) : l.productId;
      const product = productId ? products.get(productId) : undefined;
      if (productId && !product) throw ValidationError.field(`lines.${i}.productId`, `product ${productId} does not exist`);
      if (old && (old.saleLineId || old.reversedLineId) && productId !== old.productId) {
        throw ValidationError.field(`lines.${i}.productId`, 'the product of a line from an order or an invoice cannot change');
      }
      const description = l.description ?? old?.description ?? (product ? `[${product.sku}] ${product.name}` : undefined);
      if (!description) throw ValidationError.field(`lines.${i}.description`, 'is required for a line without a product');
      const unitPrice = l.unitPrice ?? old?.unitPrice ?? product?.listPrice ?? 0;
      if (inv.moveType === 'out_refund' && !old?.reversedLineId) {
        throw ValidationError.field(`lines.${i}`, 'a credit note only credits lines of the invoice it credits: a line cannot be added to it');
      }
      if (unitPrice < 0) {
        // A negative line (a goodwill discount) only on an invoice, by who may post it; a credit note is negative already.
        if (inv.moveType !== 'out_invoice') throw ValidationError.field(`lines.${i}.unitPrice`, 'cannot be negative on a credit note');
        if (!can(auth, 'invoice.write')) throw new ForbiddenError(`Your role (${auth.user.role}) may not put a negative price on an invoice`);
      }
      const discount = l.discount ?? old?.discount ?? 0;
      // Fixed amounts off a line follow its quantity unless given.
      const discountAmount = l.discountAmount ?? (old ? prorate(old.discountAmount, old.quantity, 0, Math.min(l.quantity, old.quantity)) : 0);
      const orderDiscount = old ? prorate(old.orderDiscount, old.quantity, 0, Math.min(l.quantity, old.quantity)) : 0;
      const taxIds = l.taxIds ?? old?.taxIds ?? product?.taxIds ?? [];
      const gross = lineGross({ quantity: l.quantity, unitPrice, discount });
      if (discountAmount + orderDiscount > Math.max(gross, 0)) {
        throw ValidationError.field(`lines.${i}.discountAmount`, `is more than the line's ${gross} (cents)`);
      }
      const same =
        old &&
        old.quantity === l.quantity &&
        old.unitPrice === unitPrice &&
        old.discount === discount &&
        old.discountAmount === discountAmount &&
        old.taxIds.join() === taxIds.join();
      return {
        saleLineId: old?.saleLineId ?? null,
        reversedLineId: old?.reversedLineId ?? null,
        productId,
        description,
        quantity: l.quantity,
        unitPrice,
        discount,
        discountAmount,
        orderDiscount,
        taxIds,
        accountId: old?.accountId ?? null,
        // An untouched line keeps its amounts (a credit note's rest stays exact).
        ...(same && { fixed: { subtotal: old.subtotal, taxAmounts: old.taxAmounts } }),
      };
    });
    const values = await computeLines(draft, t);
    if (inv.moveType === 'out_refund') await assertCreditable(t, inv.id, draft, values);
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

/** Cancels a draft in t (its quantities no longer count as invoiced). */
export async function cancelDraft(t: Tx, auth: Auth, id: number, version?: number): Promise<InvoiceModel> {
  requireAccess(auth, 'invoice.create');
  const inv = await loadInvoice(id, t, true);
  requireDraftAccess(auth, inv);
  await assertInvoiceAccess(auth, inv);
  assertVersion(inv, version);
  assertDraft(inv, 'cancel');
  inv.state = 'cancel';
  inv.amountResidual = 0;
  await inv.save({ transaction: t });
  await logTracking(t, { model: 'invoice', resId: inv.id, authorId: auth.user.id }, [{ field: 'state', oldValue: 'draft', newValue: 'cancel' }]);
  publishInvoice(t, inv);
  return inv;
}

// ---------------------------------------------------------------------------------------------------
// Posting

async function receivableAccount(t: Tx): Promise<AccountModel> {
  const a = await AccountModel.findOne({ where: { type: 'receivable' }, order: [['code', 'ASC']], transaction: t });
  if (!a) throw new InvalidStateError('There is no receivable account in the chart of accounts');
  return a;
}

async function paymentStateOf(t: Tx, inv: InvoiceModel): Promise<PaymentState> {
  if (inv.state !== 'posted') return 'not_paid';
  if (inv.amountResidual <= 0) {
    if (inv.moveType === 'out_invoice' && inv.amountTotal > 0) {
      const paid = (await PaymentModel.sum('amountApplied', { where: { invoiceId: inv.id }, transaction: t })) ?? 0;
      if (Number(paid) === 0) return 'reversed';
    }
    return 'paid';
  }
  return inv.amountResidual < inv.amountTotal ? 'partial' : 'not_paid';
}

/** Re-derives the payment state after the residual moved, tracking and publishing the change. */
async function settle(t: Tx, inv: InvoiceModel, authorId: number | null): Promise<void> {
  const before = inv.paymentState;
  inv.paymentState = await paymentStateOf(t, inv);
  inv.changed('updatedAt', true);
  await inv.save({ transaction: t });
  if (before !== inv.paymentState) {
    await logTracking(t, { model: 'invoice', resId: inv.id, authorId }, [{ field: 'paymentState', oldValue: before, newValue: inv.paymentState }]);
  }
  publishInvoice(t, inv);
}

/**
 * Posts a draft in t: its number (`INV/<year>/<n>`, gapless: taken in this transaction, given back if
 * it rolls back), its balanced entry, and for a credit note the offset against the invoice it credits.
 */
export async function postInvoiceIn(t: Tx, auth: Auth | null, id: number, version?: number): Promise<InvoiceModel> {
  if (auth) requireAccess(auth, 'invoice.write');
  const inv = await loadInvoice(id, t, true);
  if (auth) await assertInvoiceAccess(auth, inv);
  assertVersion(inv, version);
  assertDraft(inv, 'post');
  const lines = inv.lines ?? [];
  if (!lines.length) throw new InvalidStateError(`Cannot post ${displayName(inv)}: it has no lines`);
  if (inv.amountTotal < 0) throw new InvalidStateError(`Cannot post ${displayName(inv)}: its total is negative (issue a credit note instead)`);
  let reversed: InvoiceModel | null = null;
  if (inv.reversedInvoiceId) {
    reversed = await loadInvoice(inv.reversedInvoiceId, t, true);
    if (reversed.state !== 'posted') {
      throw new InvalidStateError(`Cannot post ${displayName(inv)}: the invoice it credits (${displayName(reversed)}) is not posted`);
    }
  }

  // Accounts: the receivable, each tax's own account.
  const taxIds = [...new Set(lines.flatMap((l) => l.taxAmounts.map((x) => x.taxId)))];
  const taxes = taxIds.length ? await TaxModel.findAll({ where: { id: taxIds }, transaction: t }) : [];
  const unaccounted = taxes.filter((x) => !x.accountId);
  if (unaccounted.length) {
    throw new InvalidStateError(`Cannot post ${displayName(inv)}: the tax ${unaccounted.map((x) => x.name).join(', ')} names no account (Settings → Taxes)`);
  }
  const [receivable, journal, company] = await Promise.all([receivableAccount(t), JournalModel.findByPk(inv.journalId, { transaction: t }), ensureCompany(t)]);
  if (!journal?.defaultAccountId && lines.some((l) => !l.accountId)) {
    throw new InvalidStateError(`Cannot post ${displayName(inv)}: the sales journal has no income account`);
  }

  const invoiceDate = inv.invoiceDate ?? today();
  const year = Number(invoiceDate.slice(0, 4));
  const prefix = PREFIXES[inv.moveType];
  const name = await nextNumber(`invoice:${prefix}:${year}`, t, { prefix: `${prefix}/${year}/`, padding: 5 });
  const items = invoiceEntryItems(
    { moveType: inv.moveType, partnerId: inv.partnerId, amountTotal: inv.amountTotal, lines },
    { receivable: receivable.id, incomeFallback: journal!.defaultAccountId!, taxAccount: (taxId) => taxes.find((x) => x.id === taxId)!.accountId! },
    new Map(taxes.map((x) => [x.id, x.name])),
    name,
  );
  await writeEntry(t, { journalId: inv.journalId, invoiceId: inv.id, paymentId: null, date: invoiceDate, ref: name }, items);

  inv.set({
    name,
    state: 'posted',
    invoiceDate,
    dueDate: inv.dueDate ?? (inv.moveType === 'out_refund' ? invoiceDate : addDays(invoiceDate, company.paymentTermDays)),
    paymentReference: name,
    amountResidual: inv.amountTotal,
    postedAt: new Date(),
  });
  const authorId = auth?.user.id ?? null;
  await logTracking(t, { model: 'invoice', resId: inv.id, authorId }, [
    { field: 'state', oldValue: 'draft', newValue: 'posted' },
    { field: 'name', oldValue: '', newValue: name },
  ]);
  // A credit note settles what it can of the invoice it credits; the rest is owed to the customer.
  if (reversed && reversed.amountResidual > 0 && inv.amountTotal > 0) {
    const offset = Math.min(reversed.amountResidual, inv.amountTotal);
    reversed.amountResidual -= offset;
    inv.amountResidual -= offset;
    await settle(t, reversed, authorId);
  }
  await settle(t, inv, authorId);
  return inv;
}

export async function postInvoice(auth: Auth, id: number, version?: number): Promise<Invoice> {
  const inv = await withTransaction((t) => postInvoiceIn(t, auth, id, version));
  return toInvoice(await loadInvoice(inv.id));
}

// ---------------------------------------------------------------------------------------------------
// Payments

/**
 * Registers a payment of a posted invoice (the customer pays) or credit note (we pay back): its entry
 * (bank or cash against the receivable), the residual and the payment state. More than is due is
 * refused unless the rest is kept on purpose as the customer's credit (invoices only).
 */
export async function registerPayment(auth: Auth, id: number, input: z.output<typeof paymentCreate>): Promise<Invoice> {
  requireAccess(auth, 'invoice.write');
  await withTransaction(async (t) => {
    const inv = await loadInvoice(id, t, true);
    await assertInvoiceAccess(auth, inv);
    if (inv.state !== 'posted') throw new InvalidStateError(`Cannot register a payment on ${displayName(inv)}: it is not posted`);
    if (inv.moveType === 'in_invoice') throw new InvalidStateError('Vendor bills are paid from purchasing');
    if (inv.amountResidual <= 0) throw new InvalidStateError(`${displayName(inv)} has nothing left to pay`);
    const refund = inv.moveType === 'out_refund';
    const money = (c: number) => formatMoney(c, inv.currency);
    if (input.amount > inv.amountResidual) {
      if (refund) throw ValidationError.field('amount', `is more than the ${money(inv.amountResidual)} owed to the customer`);
      if (!input.customerCredit) {
        throw ValidationError.field('amount', `is more than the ${money(inv.amountResidual)} due; keep the difference as the customer's credit to register it`);
      }
    }
    const journal = await JournalModel.findOne({ where: { type: input.method }, order: [['id', 'ASC']], transaction: t });
    if (!journal?.defaultAccountId) throw new InvalidStateError(`There is no ${input.method} journal with an account (Settings → Accounting)`);
    const receivable = await receivableAccount(t);
    const applied = Math.min(input.amount, inv.amountResidual);
    const date = input.date ?? today();
    const p = await PaymentModel.create(
      {
        invoiceId: inv.id,
        partnerId: inv.partnerId,
        journalId: journal.id,
        direction: refund ? 'outbound' : 'inbound',
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
        { receivable: receivable.id, liquidity: journal.defaultAccountId },
        ref,
      ),
    );
    inv.amountResidual -= applied;
    const credit = input.amount - applied;
    await createMessage(t, {
      model: 'invoice',
      resId: inv.id,
      type: 'note',
      body: `<p>${refund ? 'Refund paid' : 'Payment received'}: ${money(input.amount)} by ${input.method} on ${date}${
        credit > 0 ? `; ${money(credit)} kept as the customer's credit` : ''
      }.</p>`,
      author: { userId: auth.user.id, name: auth.user.name },
    });
    await settle(t, inv, auth.user.id);
  });
  return toInvoice(await loadInvoice(id));
}

// ---------------------------------------------------------------------------------------------------
// Credit notes

type Credited = { quantity: number; subtotal: number; discountAmount: number; orderDiscount: number; taxes: Map<number, number> };

/** What of each line of an invoice is already credited by its credit notes (cancelled ones aside). */
async function creditedByLine(t: Tx, invoiceId: number, exceptRefundId?: number): Promise<Map<number, Credited>> {
  const refunds = await InvoiceModel.findAll({
    where: { reversedInvoiceId: invoiceId, moveType: 'out_refund', state: { [Op.ne]: 'cancel' }, ...(exceptRefundId && { id: { [Op.ne]: exceptRefundId } }) },
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

/**
 * A credit note's lines never credit more of an invoice line than is left to credit: its quantity, its
 * unit price (at most the line's), its taxes (the line's own), its amounts (what the line has left,
 * untaxed and taxed, after the other credit notes).
 */
async function assertCreditable(t: Tx, refundId: number, lines: DraftLine[], values: LineValues[]): Promise<void> {
  const refund = await InvoiceModel.findByPk(refundId, { transaction: t });
  if (!refund?.reversedInvoiceId) return;
  const original = await loadInvoice(refund.reversedInvoiceId, t);
  const credited = await creditedByLine(t, original.id, refundId);
  const asked = new Map<number, { quantity: number; subtotal: number; tax: number }>();
  lines.forEach((l, i) => {
    const o = original.lines?.find((x) => x.id === l.reversedLineId);
    if (!o) throw ValidationError.field(`lines.${i}`, `is not a line of ${displayName(original)}`);
    if (l.unitPrice > o.unitPrice) {
      throw ValidationError.field(`lines.${i}.unitPrice`, `is more than the ${o.unitPrice} (cents) ${o.description} was invoiced at`);
    }
    if (l.taxIds.join() !== o.taxIds.join()) throw ValidationError.field(`lines.${i}.taxIds`, `are not the taxes ${o.description} was invoiced with`);
    const sum = asked.get(o.id) ?? { quantity: 0, subtotal: 0, tax: 0 };
    asked.set(o.id, { quantity: r3(sum.quantity + l.quantity), subtotal: sum.subtotal + values[i]!.subtotal, tax: sum.tax + values[i]!.amountTax });
  });
  for (const [lineId, ask] of asked) {
    const o = original.lines!.find((l) => l.id === lineId)!;
    const c = credited.get(lineId);
    const left = {
      quantity: r3(o.quantity - (c?.quantity ?? 0)),
      subtotal: o.subtotal - (c?.subtotal ?? 0),
      tax: o.amountTax - [...(c?.taxes.values() ?? [])].reduce((s, x) => s + x, 0),
    };
    if (ask.quantity > left.quantity) throw ValidationError.field('lines', `${o.description}: only ${left.quantity} is left to credit`);
    if (ask.subtotal > left.subtotal || ask.tax > left.tax) {
      throw ValidationError.field('lines', `${o.description}: only ${left.subtotal} (cents, before taxes) and ${left.tax} of taxes are left to credit`);
    }
  }
}

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

/** Drafts a credit note of a posted invoice in t. */
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
  const inv = await loadInvoice(invoiceId, t, true);
  if (auth) await assertInvoiceAccess(auth, inv);
  if (inv.moveType !== 'out_invoice' || inv.state !== 'posted') {
    throw new InvalidStateError(`Only a posted customer invoice can be credited; ${displayName(inv)} is ${inv.state}`);
  }
  const lines = await creditLines(t, inv, input.lines);
  const refund = await createDraft(t, auth, {
    moveType: 'out_refund',
    partnerId: inv.partnerId,
    saleOrderId: inv.saleOrderId,
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

// ---------------------------------------------------------------------------------------------------
// Quantities

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
