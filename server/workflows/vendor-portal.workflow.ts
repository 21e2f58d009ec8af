import type { Response } from 'express';
import type { PortalDocument, PortalShip, PurchaseQuoteInput } from '../../contracts/schemas/purchasing';
import { iso } from '../db/columns';
import { withTransaction, type Tx } from '../db/transaction';
import { InvalidStateError, nullIfNotFound, ValidationError } from '../http/errors';
import { escapeHtml } from '../lib/html';
import { portalActor } from '../modules/auth/auth.service';
import { createMessage } from '../modules/chatter/chatter.service';
import { publishPicking } from '../modules/inventory/picking.mapper';
import { openPurchasePickings } from '../modules/inventory/picking.procurement';
import { loadPicking, purchasePickingIds, setShipping } from '../modules/inventory/picking.service';
import { r3 } from '../modules/inventory/quants';
import type { PickingModel } from '../modules/inventory/stock.model';
import { PortalLinkError, resolvePortalToken, touchPortalToken } from '../modules/purchasing/portal.tokens';
import { deliverToOf, purchaseOrderFile, relatedOf, sortedLines, type Related } from '../modules/purchasing/purchase-order.document';
import type { PurchaseOrderModel } from '../modules/purchasing/purchase-order.model';
import { recordQuote } from '../modules/purchasing/purchase-order.quote';
import { loadTender } from '../modules/purchasing/tender.service';
import { loadPurchase, publishPurchase } from '../modules/purchasing/purchase-order.service';
import type { PortalTokenModel } from '../modules/purchasing/vendor.model';
import { validatePickingWorkflow } from './delivery.workflow';

// The vendor portal: a vendor, with the link of one RFQ or purchase order and no staff login, sees that
// document and answers it: accepts it, reports what it shipped (carrier, tracking number, quantities).
// The link is checked before anything is read, every action is refused once the document's state no
// longer allows it, and each is written in the document's chatter as by the vendor (its followers are
// told at once). What the vendor sees is its own document: its lines and prices, never another's.

type Opened = { row: PortalTokenModel; o: PurchaseOrderModel };

/** The link's document (locked for an action), or a PortalLinkError. */
async function openDocument(t: Tx | null, token: string, lock = false): Promise<Opened> {
  const row = await resolvePortalToken(t, token);
  const o = await loadPurchase(t, row.purchaseOrderId, lock).catch(nullIfNotFound);
  // The vendor the link was made for, only: a PO moved to another vendor closes its old links.
  if (!o || o.partnerId !== row.partnerId) throw new PortalLinkError('invalid');
  return { row, o };
}

/** What is still to ship and what was done, per purchase line, from the document's pickings. */
async function movesByLine(t: Tx | null, o: PurchaseOrderModel): Promise<{ pickings: PickingModel[]; open: Map<number, number>; done: Map<number, number> }> {
  const pickings = await Promise.all((await purchasePickingIds(t, o.id)).map((id) => loadPicking(t, id)));
  const open = new Map<number, number>();
  const done = new Map<number, number>();
  for (const m of pickings.flatMap((p) => p.moves ?? [])) {
    if (!m.purchaseLineId) continue;
    if (m.state === 'done') done.set(m.purchaseLineId, r3((done.get(m.purchaseLineId) ?? 0) + m.quantityDone));
    else if (m.state !== 'cancel') open.set(m.purchaseLineId, r3((open.get(m.purchaseLineId) ?? 0) + m.quantity));
  }
  return { pickings, open, done };
}

const canAccept = (o: PurchaseOrderModel) => (o.state === 'sent' || o.state === 'purchase') && !o.vendorAcceptedAt;

type Tender = { state: string; deadline: Date | string } | null;

function documentOf(
  o: PurchaseOrderModel,
  related: Related,
  row: PortalTokenModel,
  moves: Awaited<ReturnType<typeof movesByLine>>,
  tender: Tender,
): PortalDocument {
  const openPickings = moves.pickings.filter((p) => !['done', 'cancel'].includes(p.state));
  return {
    name: o.name,
    kind: o.state === 'draft' || o.state === 'sent' ? 'rfq' : 'purchase_order',
    state: o.state,
    currency: o.currency,
    dateOrder: iso(o.dateOrder),
    datePlanned: o.datePlanned ? iso(o.datePlanned) : null,
    vendor: { name: related.vendor.name },
    buyer: { name: related.company.name, email: related.company.email ?? null },
    dropship: !!o.dropshipAddress,
    deliverTo: deliverToOf(o, related),
    note: o.note ?? null,
    lines: sortedLines(o).map((l) => ({
      lineId: l.id,
      sku: l.product?.sku ?? '',
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      subtotal: l.subtotal,
      datePlanned: iso(l.datePlanned),
      qtyDone: moves.done.get(l.id) ?? 0,
      qtyOpen: moves.open.get(l.id) ?? 0,
      leadDays: l.leadDays ?? null,
    })),
    amountUntaxed: o.amountUntaxed,
    amountTax: o.amountTax,
    amountTotal: o.amountTotal,
    acceptedAt: o.vendorAcceptedAt ? iso(o.vendorAcceptedAt) : null,
    quotedAt: o.quotedAt ? iso(o.quotedAt) : null,
    validUntil: o.validUntil ? iso(o.validUntil) : null,
    deadline: tender ? iso(new Date(tender.deadline)) : null,
    shipments: moves.pickings
      .filter((p) => p.state !== 'cancel')
      .map((p) => ({
        name: p.name,
        type: p.type,
        state: p.state,
        carrier: p.carrier,
        trackingRef: p.trackingRef,
        dateDone: p.dateDone ? iso(p.dateDone) : null,
      })),
    can: {
      quote: (o.state === 'draft' || o.state === 'sent') && (!tender || tender.state === 'open'),
      accept: canAccept(o),
      ship: o.state === 'purchase' && openPickings.length > 0,
    },
    linkExpiresAt: iso(row.expiresAt),
  };
}

async function view(t: Tx | null, { row, o }: Opened): Promise<PortalDocument> {
  const [related, moves, tender] = await Promise.all([relatedOf(t, o), movesByLine(t, o), o.tenderId ? loadTender(t, o.tenderId) : null]);
  return documentOf(o, related, row, moves, tender);
}

/** The vendor's view of the link's document. */
export async function portalView(token: string): Promise<PortalDocument> {
  const opened = await openDocument(null, token);
  await touchPortalToken(null, opened.row);
  return view(null, opened);
}

/** The document as PDF, as the vendor received it by email. */
export async function sendPortalFile(token: string, res: Response): Promise<void> {
  const { o } = await openDocument(null, token);
  const file = await purchaseOrderFile(o, await relatedOf(null, o), 'pdf');
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `inline; filename="${file.name}"`);
  res.setHeader('Content-Length', String(file.data.length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(file.data);
}

/** A message in the document's chatter as by the vendor (its followers are notified, live and by email). */
async function asVendor(t: Tx, o: PurchaseOrderModel, html: string): Promise<void> {
  const vendor = o.partner!;
  await createMessage(t, {
    model: 'purchaseOrder',
    resId: o.id,
    type: 'comment',
    body: html,
    author: { partnerId: vendor.id, name: vendor.name, email: vendor.email ?? '' },
    excludePartnerIds: [vendor.id],
  });
}

/** The vendor answers the RFQ (a call for tenders' or any): prices, lead times, validity; refused once it is no longer open to answers. */
export async function portalQuote(token: string, input: PurchaseQuoteInput): Promise<PortalDocument> {
  return withTransaction(async (t) => {
    const { row, o } = await openDocument(t, token, true);
    const vendor = o.partner!;
    await recordQuote(t, o.id, input, { kind: 'vendor', partnerId: vendor.id, name: vendor.name, email: vendor.email });
    return view(t, { row, o: await loadPurchase(t, o.id) });
  });
}

/** The vendor accepts the RFQ as sent or the confirmed order: noted on it, once. */
export async function portalAccept(token: string): Promise<PortalDocument> {
  return withTransaction(async (t) => {
    const opened = await openDocument(t, token, true);
    const { o } = opened;
    if (!canAccept(o)) {
      throw new InvalidStateError(o.vendorAcceptedAt ? `${o.name} was already accepted` : `${o.name} is ${o.state}: it can no longer be accepted`);
    }
    const before = { state: o.state, version: o.version };
    o.vendorAcceptedAt = new Date();
    o.changed('updatedAt', true);
    await o.save({ transaction: t });
    await asVendor(t, o, `<p>${escapeHtml(o.partner!.name)} accepted ${escapeHtml(o.name)} in the vendor portal.</p>`);
    publishPurchase(t, o, null, before);
    return view(t, opened);
  });
}

/** The quantities shipped per move of the pickings, from the vendor's lines (absent: everything open). */
function shippedMoves(o: PurchaseOrderModel, pickings: PickingModel[], lines: PortalShip['lines']): Map<number, Map<number, number>> {
  const open = pickings.flatMap((p) => (p.moves ?? []).filter((m) => m.purchaseLineId && m.state !== 'done' && m.state !== 'cancel').map((m) => ({ p, m })));
  const perPicking = new Map<number, Map<number, number>>();
  const add = (pickingId: number, moveId: number, q: number) => {
    const m = perPicking.get(pickingId) ?? new Map<number, number>();
    m.set(moveId, r3((m.get(moveId) ?? 0) + q));
    perPicking.set(pickingId, m);
  };
  if (!lines) {
    for (const { p, m } of open) add(p.id, m.id, m.quantity);
    return perPicking;
  }
  const known = new Set((o.lines ?? []).map((l) => l.id));
  lines.forEach((line, i) => {
    if (!known.has(line.lineId)) throw ValidationError.field(`lines.${i}.lineId`, `is not a line of ${o.name}`);
    let left = line.quantity;
    for (const { p, m } of open.filter((x) => x.m.purchaseLineId === line.lineId)) {
      const q = Math.min(left, r3(m.quantity - (perPicking.get(p.id)?.get(m.id) ?? 0)));
      if (q > 0) add(p.id, m.id, q);
      left = r3(left - q);
    }
    if (left > 0) throw ValidationError.field(`lines.${i}.quantity`, `is more than is still to ship on this line (${r3(line.quantity - left)})`);
  });
  return perPicking;
}

/**
 * The vendor reports a shipment. Drop-ship: the drop-ship picking is validated with those quantities
 * (the rest in a backorder), the carrier and tracking number on it: the customer's order is delivered
 * and emailed the tracking link. To our warehouse: the carrier and tracking number go on the open
 * receipt, which the warehouse validates when the goods arrive.
 */
export async function portalShip(token: string, input: PortalShip): Promise<PortalDocument> {
  const { o, pickings, perPicking } = await withTransaction(async (t) => {
    const { o } = await openDocument(t, token, true);
    if (o.state !== 'purchase') throw new InvalidStateError(`${o.name} is ${o.state}: only a confirmed order can be shipped`);
    const pickings = await openPurchasePickings(t, o.id);
    if (!pickings.length) throw new InvalidStateError(`Nothing is left to ship on ${o.name}`);
    return { o, pickings, perPicking: shippedMoves(o, pickings, input.lines) };
  });
  const auth = await portalActor(null, o.createdById, o.partner!.name);
  const summary = (p: PickingModel) =>
    `<p>${escapeHtml(o.partner!.name)} shipped ${escapeHtml(p.name)} with ${escapeHtml(input.carrier)}, tracking number ${escapeHtml(input.trackingRef)} (vendor portal).</p>`;
  for (const p of pickings) {
    const moves = perPicking.get(p.id);
    if (!moves?.size) continue;
    if (p.type === 'dropship') {
      await validatePickingWorkflow(
        auth,
        p.id,
        { moves: [...moves].map(([id, quantityDone]) => ({ id, quantityDone })), backorder: true, carrier: input.carrier, trackingRef: input.trackingRef },
        async (t, done) => {
          const current = await loadPurchase(t, o.id, true);
          await asVendor(t, current, summary(done));
          publishPurchase(t, current, null);
        },
      );
    } else {
      await withTransaction(async (t) => {
        const picking = await loadPicking(t, p.id, true);
        if (['done', 'cancel'].includes(picking.state)) return;
        await setShipping(t, auth, picking, input);
        await picking.save({ transaction: t });
        publishPicking(t, picking);
        const current = await loadPurchase(t, o.id, true);
        await asVendor(t, current, summary(picking));
        publishPurchase(t, current, null);
      });
    }
  }
  return portalView(token);
}
