import { Op } from 'sequelize';
import type { z } from 'zod';
import type { BatchResult, Invoice, InvoicePatch, creditNoteCreate } from '../../contracts/schemas/invoices';
import type { InvoiceGrouping } from '../../contracts/states';
import { withTransaction, type Tx } from '../db/transaction';
import { AppError, ConflictError, InvalidStateError, ValidationError } from '../http/errors';
import { logger } from '../lib/logger';
import { prorate } from '../lib/money';
import { runtime } from '../runtime';
import { InvoiceLineModel, InvoiceModel } from '../modules/accounting/invoice.model';
import { sendInvoiceIn } from '../modules/accounting/invoice.mail';
import { draftCreditNote } from '../modules/accounting/invoice.credit-notes';
import { billedByPurchaseLine, invoicedBySaleLine, loadInvoice } from '../modules/accounting/invoice.ledger';
import type { DraftLine } from '../modules/accounting/invoice.lines';
import { displayName, invoiceNames, toInvoice } from '../modules/accounting/invoice.mapper';
import { postInvoiceIn } from '../modules/accounting/invoice.posting';
import { cancelDraft, createDraft, updateDraft } from '../modules/accounting/invoice.service';
import { requireAccess, type Auth } from '../modules/auth/access';
import { ensureCompany } from '../modules/company/company.service';
import { startJobRun } from '../modules/jobs/job-run.service';
import { loadPicking } from '../modules/inventory/picking.service';
import { MoveModel } from '../modules/inventory/stock.model';
import { assertOrderAccess } from '../modules/sales/sale-order.access';
import { qtyToInvoice } from '../modules/sales/sale-order.mapper';
import { SaleOrderLineModel, SaleOrderModel, isMatched, type MatchedLine } from '../modules/sales/sale-order.model';
import { loadOrder } from '../modules/sales/sale-order.service';
import { applyInvoiced } from '../modules/sales/sale-order.update';
import { refreshBilled } from './vendor-bill.workflow';

// Where sales and accounting meet: orders become invoices (one click, batches, automation), returns
// become credit notes, and every change of an invoice's lines moves the orders' invoiced quantities in
// the same transaction (a vendor bill's, its purchase order's billed quantities: vendor-bill.workflow).

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Re-adds the invoiced quantities of these orders from their invoices (order.updated follows): by id, or
 * loaded already, locked, in t.
 */
async function refreshOrders(t: Tx, orders: Iterable<number | SaleOrderModel>, auth: Auth | null): Promise<void> {
  const idOf = (o: number | SaleOrderModel) => (typeof o === 'number' ? o : o.id);
  const unique = [...new Map([...orders].map((o) => [idOf(o), o])).values()].sort((a, b) => idOf(a) - idOf(b));
  for (const o of unique) await applyInvoiced(t, o, (lineIds) => invoicedBySaleLine(t, lineIds), auth);
}

/** The orders an invoice's lines come from. */
async function ordersOf(t: Tx, inv: InvoiceModel): Promise<number[]> {
  const saleLineIds = (inv.lines ?? []).map((l) => l.saleLineId).filter((x): x is number => x !== null);
  const ids = new Set<number>(inv.saleOrderId ? [inv.saleOrderId] : []);
  if (saleLineIds.length) {
    const rows = await SaleOrderLineModel.findAll({ where: { id: saleLineIds }, attributes: ['orderId'], transaction: t });
    for (const r of rows) ids.add(r.orderId);
  }
  return [...ids];
}

/**
 * What to invoice of an order line: its fixed discounts (its own, its share of the order discount)
 * follow the quantity, and the invoice that reaches the line's full quantity takes what is left of
 * them, so its invoices add up to it.
 */
function toDraftLine(l: MatchedLine, quantity: number): DraftLine {
  return {
    saleLineId: l.id,
    productId: l.productId,
    description: l.description,
    quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
    discountAmount: prorate(l.discountAmount, l.quantity, l.qtyInvoiced, quantity),
    orderDiscount: prorate(l.orderDiscount, l.quantity, l.qtyInvoiced, quantity),
    taxIds: l.taxIds,
  };
}

/** The discount codes of orders, once each. */
function codesOf(orders: SaleOrderModel[]): string | null {
  const codes = [...new Set(orders.flatMap((o) => (o.discountCode ?? '').split(',').map((c) => c.trim())).filter(Boolean))];
  return codes.length ? codes.join(', ').slice(0, 200) : null;
}

/** Why an order has nothing to invoice, in words a user can act on. */
function nothingToInvoice(o: SaleOrderModel): string {
  if (o.state !== 'sale' && o.state !== 'done') return `${o.name} is not confirmed: confirm it before invoicing`;
  const waiting = (o.lines ?? []).some((l) => l.product?.invoicePolicy === 'delivery' && l.qtyDelivered < l.quantity);
  return waiting
    ? `Nothing to invoice on ${o.name}: everything delivered is invoiced, and products invoiced on delivery wait for their delivery`
    : `Nothing to invoice on ${o.name}: it is fully invoiced`;
}

/**
 * Drafts in t what the orders have to invoice now: one invoice for all their positive quantities (the
 * orders share a customer), and for quantities invoiced beyond what is due (returns) a credit note
 * against the posted invoice that carried them. Returns the new invoices' ids.
 */
async function draftForOrders(t: Tx, auth: Auth | null, orders: SaleOrderModel[], originKey: string | null): Promise<number[]> {
  const positive: DraftLine[] = [];
  const negative: { order: SaleOrderModel; line: MatchedLine; quantity: number }[] = [];
  for (const o of orders) {
    for (const l of [...(o.lines ?? [])].filter(isMatched).sort((a, b) => a.sequence - b.sequence || a.id - b.id)) {
      const q = qtyToInvoice(l, o.state);
      if (q > 0) positive.push(toDraftLine(l, q));
      else if (q < 0) negative.push({ order: o, line: l, quantity: -q });
    }
  }
  const ids: number[] = [];
  if (positive.length) {
    const inv = await createDraft(t, auth, {
      moveType: 'out_invoice',
      partnerId: orders[0]!.partnerId,
      saleOrderId: orders.length === 1 ? orders[0]!.id : null,
      originKey,
      discountCode: codesOf(orders),
      lines: positive,
      // The orders were read with their customer: the draft is announced without reading them again.
      names: orders[0]!.partner
        ? invoiceNames(
            new Map([[orders[0]!.partnerId, orders[0]!.partner.name]]),
            new Map(orders.map((o) => [o.id, { name: o.name, owner: o.createdById }])),
            new Map(),
          )
        : undefined,
    });
    ids.push(inv.id);
  }
  if (negative.length) ids.push(...(await creditSaleLines(t, auth, negative, { reason: 'Returned or no longer due', pickingId: null })));
  await refreshOrders(t, orders, auth);
  return ids;
}

/**
 * Credit notes for quantities of order lines: taken from the posted invoices that carry them, newest
 * first, one credit note per invoice. What no posted invoice carries is left alone (a draft is edited).
 */
async function creditSaleLines(
  t: Tx,
  auth: Auth | null,
  wanted: { line: MatchedLine; quantity: number }[],
  opts: { reason: string | null; pickingId: number | null },
): Promise<number[]> {
  const lineIds = wanted.map((w) => w.line.id);
  const carriers = await InvoiceLineModel.findAll({
    where: { saleLineId: lineIds },
    include: [{ model: InvoiceModel, as: 'invoice', where: { moveType: 'out_invoice', state: 'posted' }, attributes: ['id'] }],
    attributes: ['invoiceId', 'saleLineId'],
    order: [['invoiceId', 'DESC']],
    transaction: t,
  });
  const perInvoice = new Map<number, { productId: number; quantity: number; saleLineId: number }[]>();
  // An invoice carrying several of the lines is read once.
  const loaded = new Map<number, Awaited<ReturnType<typeof loadInvoice>>>();
  for (const w of wanted) {
    let need = w.quantity;
    for (const c of carriers.filter((c) => c.saleLineId === w.line.id)) {
      if (need <= 0) break;
      let inv = loaded.get(c.invoiceId);
      if (!inv) loaded.set(c.invoiceId, (inv = await loadInvoice(t, c.invoiceId)));
      // What this invoice still has of the line, after its earlier credit notes.
      const onIt = r3((inv.lines ?? []).filter((l) => l.saleLineId === w.line.id).reduce((s, l) => s + l.quantity, 0));
      const credits = await InvoiceLineModel.findAll({
        where: { reversedLineId: (inv.lines ?? []).filter((l) => l.saleLineId === w.line.id).map((l) => l.id) },
        include: [{ model: InvoiceModel, as: 'invoice', where: { state: { [Op.ne]: 'cancel' } }, attributes: [] }],
        attributes: ['quantity'],
        transaction: t,
      });
      const left = r3(onIt - credits.reduce((s, c) => s + c.quantity, 0));
      const take = r3(Math.min(need, left));
      if (take <= 0) continue;
      const list = perInvoice.get(inv.id) ?? [];
      list.push({ productId: w.line.productId, quantity: take, saleLineId: w.line.id });
      perInvoice.set(inv.id, list);
      need = r3(need - take);
    }
  }
  const ids: number[] = [];
  for (const [invoiceId, lines] of perInvoice) {
    const refund = await draftCreditNote(t, auth, invoiceId, { lines, reason: opts.reason, pickingId: opts.pickingId });
    ids.push(refund.id);
  }
  return ids;
}

/** One click on an order: a draft for what is invoiceable now (and a credit note for what was returned). */
export async function invoiceSaleOrder(auth: Auth, id: number): Promise<{ invoiceIds: number[] }> {
  requireAccess(auth, 'invoice.create');
  const invoiceIds = await withTransaction(async (t) => {
    const o = await loadOrder(t, id, true);
    assertOrderAccess(auth, o);
    const ids = await draftForOrders(t, auth, [o], null);
    if (!ids.length) throw new InvalidStateError(nothingToInvoice(o));
    return ids;
  });
  return { invoiceIds };
}

/**
 * Editing a draft: an order line is never invoiced beyond what is due for it (ordered, or delivered), a
 * purchase order line never billed beyond what may be billed (ordered, or received).
 */
export async function updateInvoice(auth: Auth, id: number, patch: InvoicePatch): Promise<Invoice> {
  await withTransaction(async (t) => {
    // Loaded once, locked: what it invoiced before the edit is read from it before updateDraft changes it.
    const before = await loadInvoice(t, id, true);
    const saleLineIds = (before.lines ?? []).map((l) => l.saleLineId).filter((x): x is number => x !== null);
    const purchaseLineIds = (before.lines ?? []).map((l) => l.purchaseLineId).filter((x): x is number => x !== null);
    const [was, wasBilled] = await Promise.all([invoicedBySaleLine(t, saleLineIds), billedByPurchaseLine(t, purchaseLineIds)]);
    const inv = await updateDraft(t, auth, before, patch);
    if (inv.purchaseOrderId) await refreshBilled(t, inv.purchaseOrderId, auth, inv.moveType === 'in_invoice' ? wasBilled : undefined);
    const orders = await ordersOf(t, inv);
    const now = await invoicedBySaleLine(t, saleLineIds);
    if (before.moveType === 'out_invoice') {
      for (const o of await Promise.all(orders.map((oid) => loadOrder(t, oid)))) {
        for (const l of o.lines ?? []) {
          const qty = now.get(l.id) ?? 0;
          const due = l.product?.invoicePolicy === 'delivery' ? l.qtyDelivered : l.quantity;
          if (qty > due && qty > (was.get(l.id) ?? 0)) {
            throw ValidationError.field(
              'lines',
              `${l.description}: ${qty} would be invoiced, but only ${due} is ${l.product?.invoicePolicy === 'delivery' ? 'delivered' : 'ordered'}`,
            );
          }
        }
      }
    }
    await refreshOrders(t, orders, auth);
  });
  return toInvoice(null, await loadInvoice(null, id));
}

export async function cancelInvoice(auth: Auth, id: number, version?: number): Promise<Invoice> {
  return withTransaction(async (t) => {
    const inv = await cancelDraft(t, auth, await loadInvoice(t, id, true), version);
    await refreshOrders(t, await ordersOf(t, inv), auth);
    if (inv.purchaseOrderId) await refreshBilled(t, inv.purchaseOrderId, auth);
    // Cancelling changes the state, the residual and the version of the record already held.
    return toInvoice(t, inv);
  });
}

/**
 * A credit note of a posted invoice (a vendor credit note of a posted bill: goods sent back), for all of
 * it or for chosen products and quantities.
 */
export async function creditInvoice(auth: Auth, id: number, input: z.output<typeof creditNoteCreate>): Promise<Invoice> {
  const refundId = await withTransaction(async (t) => {
    const refund = await draftCreditNote(t, auth, id, { lines: input.lines, reason: input.reason ?? null });
    await refreshOrders(t, await ordersOf(t, refund), auth);
    if (refund.purchaseOrderId) await refreshBilled(t, refund.purchaseOrderId, auth);
    return refund.id;
  });
  return toInvoice(null, await loadInvoice(null, refundId));
}

/** A credit note for exactly what a validated return brought back (of what was invoiced). */
export async function creditReturn(auth: Auth, pickingId: number, input: { reason?: string | null }): Promise<{ invoiceIds: number[] }> {
  requireAccess(auth, 'invoice.write');
  const invoiceIds = await withTransaction(async (t) => {
    const p = await loadPicking(t, pickingId);
    if (p.type !== 'return') throw new InvalidStateError(`${p.name} is not a return`);
    if (p.state !== 'done') throw new InvalidStateError(`${p.name} is not validated yet: credit what was received once it is`);
    if (!p.saleOrderId) throw new InvalidStateError(`${p.name} is not the return of an order`);
    const existing = await InvoiceModel.findOne({ where: { pickingId: p.id, state: { [Op.ne]: 'cancel' } }, transaction: t });
    if (existing) throw new ConflictError(`${p.name} is already credited by ${displayName(existing)}`);
    const o = await loadOrder(t, p.saleOrderId, true);
    assertOrderAccess(auth, o);
    const returned = new Map<number, number>();
    const done = (p.moves ?? []).filter((m) => m.state === 'done' && m.quantityDone > 0);
    // A return's moves name the delivery moves they undo, which name the order lines.
    const origins = await MoveModel.findAll({
      where: { id: done.map((m) => m.originMoveId).filter((x): x is number => x !== null) },
      attributes: ['id', 'saleLineId'],
      transaction: t,
    });
    for (const m of done) {
      const saleLineId = m.saleLineId ?? origins.find((o) => o.id === m.originMoveId)?.saleLineId;
      if (saleLineId) returned.set(saleLineId, r3((returned.get(saleLineId) ?? 0) + m.quantityDone));
    }
    const wanted = [...returned]
      .map(([lineId, quantity]) => ({ line: o.lines!.filter(isMatched).find((l) => l.id === lineId)!, quantity }))
      .filter((w) => w.line && w.quantity > 0);
    const reason = input.reason ?? (p.returnReason ? `Return ${p.name}: ${p.returnReason}` : `Return ${p.name}`);
    const ids = await creditSaleLines(t, auth, wanted, { reason, pickingId: p.id });
    if (!ids.length) throw new InvalidStateError(`Nothing returned on ${p.name} was invoiced: there is nothing to credit`);
    await refreshOrders(t, [o.id], auth);
    return ids;
  });
  return { invoiceIds };
}

// ---------------------------------------------------------------------------------------------------
// Batches and automation (the invoice-orders job)

export type BatchInput = { saleOrderIds: number[]; group: InvoiceGrouping; post: boolean; send: boolean; key: string };

/**
 * Invoices orders one unit at a time (an order, or a customer's orders), each in its own transactions,
 * so a failure stops nothing else. Re-running (a retried or restarted job) finds what it already made
 * by its key and only finishes it: no invoice, posting or email twice.
 */
export async function runInvoiceBatch(auth: Auth | null, input: BatchInput, progress: (done: number, total: number) => Promise<void>): Promise<BatchResult> {
  const rows = await SaleOrderModel.findAll({ where: { id: input.saleOrderIds }, attributes: ['id', 'name', 'partnerId'] });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const result: BatchResult = { created: 0, posted: 0, sent: 0, skipped: 0, failed: 0, invoiceIds: [], results: [] };
  const units: { key: string; orderIds: number[] }[] = [];
  for (const id of input.saleOrderIds) {
    const o = byId.get(id);
    if (!o) {
      result.failed++;
      result.results.push({ saleOrderId: id, name: null, status: 'failed', invoiceId: null, message: `Sale order ${id} does not exist` });
      continue;
    }
    if (input.group === 'customer') {
      const unit = units.find((u) => u.key === `partner:${o.partnerId}`);
      if (unit) unit.orderIds.push(id);
      else units.push({ key: `partner:${o.partnerId}`, orderIds: [id] });
    } else units.push({ key: `order:${id}`, orderIds: [id] });
  }
  let done = 0;
  for (const unit of units) {
    const originKey = `${input.key}:${unit.key}`.slice(0, 120);
    const report = (status: 'invoiced' | 'skipped' | 'failed', invoiceId: number | null, message: string | null) => {
      for (const id of unit.orderIds) result.results.push({ saleOrderId: id, name: byId.get(id)?.name ?? null, status, invoiceId, message });
    };
    try {
      const made = await withTransaction(async (t) => {
        const existing = await InvoiceModel.findOne({ where: { originKey }, attributes: ['id'], transaction: t });
        if (existing) return { id: existing.id, fresh: false, reason: null };
        const orders: SaleOrderModel[] = [];
        for (const id of unit.orderIds) orders.push(await loadOrder(t, id, true));
        const invoiceable = orders.filter((o) => (o.lines ?? []).some((l) => qtyToInvoice(l, o.state) > 0));
        if (!invoiceable.length) return { id: null, fresh: false, reason: nothingToInvoice(orders[0]!) };
        const [id] = await draftForOrders(t, auth, invoiceable, originKey);
        return { id: id!, fresh: true, reason: null };
      });
      if (made.id === null) {
        result.skipped += unit.orderIds.length;
        report('skipped', null, made.reason);
      } else {
        if (made.fresh) result.created++;
        const invoiceId = made.id;
        if (input.post) {
          const posted = await withTransaction(async (t) => {
            const inv = await loadInvoice(t, invoiceId, true);
            if (inv.state !== 'draft') return false;
            await postInvoiceIn(t, auth, inv);
            return true;
          });
          if (posted) result.posted++;
        }
        if (input.send) {
          const sent = await withTransaction((t) => sendInvoiceIn(t, auth, invoiceId, { copyFollowers: true, key: `${originKey}:send` }));
          if (sent) result.sent++;
        }
        result.invoiceIds.push(invoiceId);
        report('invoiced', invoiceId, null);
      }
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'Unexpected error: see the server log';
      if (!(err instanceof AppError)) logger.error({ err, unit: unit.key }, 'batch invoicing failed for a unit');
      result.failed += unit.orderIds.length;
      report('failed', null, message);
    }
    done += unit.orderIds.length;
    await progress(done, input.saleOrderIds.length);
  }
  return result;
}

/** Batch from the board: the job's id is its key (a repeated job finishes the same invoices). */
export async function enqueueInvoiceBatch(auth: Auth, input: Omit<BatchInput, 'key'>): Promise<{ jobId: string }> {
  requireAccess(auth, 'invoice.create');
  if (input.post || input.send) requireAccess(auth, 'invoice.write');
  const orders = await SaleOrderModel.findAll({ where: { id: input.saleOrderIds }, attributes: ['id', 'name', 'createdById'] });
  const missing = input.saleOrderIds.filter((id) => !orders.some((o) => o.id === id));
  if (missing.length) throw ValidationError.field('saleOrderIds', `no such sale order: ${missing.slice(0, 10).join(', ')}`);
  for (const o of orders) assertOrderAccess(auth, o);
  const jobId = await startJobRun('invoice-orders', { userId: auth.user.id, ...input, key: '' });
  return { jobId };
}

/** The automation rule: a validated delivery of an order is invoiced, posted and sent by a job. */
export async function autoInvoiceDelivery(saleOrderId: number, pickingId: number): Promise<void> {
  try {
    const company = await ensureCompany(null);
    if (!company.autoInvoiceDeliveries) return;
    await runtime().queues.enqueue(
      'invoice-orders',
      { userId: null, saleOrderIds: [saleOrderId], group: 'order', post: true, send: true, key: `delivery:${pickingId}` },
      { jobId: `delivery-${pickingId}`, attempts: 3, backoffMs: 5000 },
    );
  } catch (err) {
    // The delivery is validated either way; the order stays "to invoice" on the board for a click.
    logger.error({ err, saleOrderId, pickingId }, 'automatic invoicing could not be queued');
  }
}
