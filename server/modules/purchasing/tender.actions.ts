import type { z } from 'zod';
import type { Tender, tenderCreate, tenderPatch } from '../../../contracts/schemas/tenders';
import { nextNumber } from '../../db/sequences';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError, ValidationError } from '../../http/errors';
import { escapeHtml } from '../../lib/html';
import { requireAccess, type Auth } from '../auth/access';
import { productsWithVendors, vendorsOf } from '../catalog/product.service';
import { createMessage } from '../chatter/chatter.service';
import { follow } from '../chatter/followers.service';
import { companyCurrency } from '../company/company.service';
import { resolveWarehouseId } from '../inventory/warehouse.service';
import { partnersByIds } from '../partners/partner.service';
import { transitionPurchaseOrder } from './purchase-order.actions';
import { newPurchaseOrder, writePurchaseLines } from './purchase-order.create';
import { planPurchaseLines } from './purchase-order.lines';
import { emailToVendor } from './purchase-order.mail';
import { PurchaseLineDemandModel } from './purchase-order.model';
import { publishPurchase, savePurchase } from './purchase-order.service';
import { declineTenderRfq } from './tender.mail';
import { TenderLineModel, TenderModel } from './tender.model';
import { assertTenderAccess, isOpenRfq, loadTender, saveAndPublishTender, snapshotTender, tenderDto, tenderRfqs, trackTender } from './tender.service';

// Creating a call for tenders (its lines and one RFQ per vendor), changing its deadline, sending its
// RFQs through the usual send path (the rfq email with its PDF and portal link), cancelling it.

export type NewTenderLine = { productId: number; quantity: number; demandKind?: 'manual' | 'shortage'; saleOrderId?: number | null };
export type NewTender = {
  deadline: string;
  warehouseId?: number | null;
  origin?: string | null;
  note?: string | null;
  lines: NewTenderLine[];
  vendorIds?: number[];
};

const note = async (t: Tx, auth: Auth, tenderId: number, html: string) =>
  createMessage(t, { model: 'tender', resId: tenderId, type: 'note', body: html, author: { userId: auth.user.id, name: auth.user.name } });

/**
 * A tender in t, draft, with one RFQ per vendor (default: every vendor of its products, in the order
 * the lines name them), each RFQ line priced from that vendor's list and linked to its tender line,
 * with what it is bought for. A product listed twice, an unknown vendor or product is a 400; no vendor
 * at all a 422.
 */
export async function createTenderIn(t: Tx, auth: Auth, input: NewTender): Promise<TenderModel> {
  requireAccess(auth, 'purchase.write');
  const productIds = input.lines.map((l) => l.productId);
  const dup = productIds.findIndex((p, i) => productIds.indexOf(p) !== i);
  if (dup >= 0) throw ValidationError.field(`lines.${dup}.productId`, `product ${productIds[dup]} is listed more than once`);
  const products = await productsWithVendors(t, productIds, 'lines.productId');
  const vendorIds = [...new Set(input.vendorIds ?? input.lines.flatMap((l) => vendorsOf(products.get(l.productId)!).map((v) => v.partnerId)))];
  if (input.vendorIds) {
    const found = await partnersByIds(t, vendorIds);
    const missing = vendorIds.filter((v) => !found.has(v));
    if (missing.length) throw ValidationError.field('vendorIds', `unknown partner ${missing.join(', ')}`);
  }
  if (!vendorIds.length) throw new InvalidStateError('None of these products has a vendor: choose the vendors to ask');
  const warehouseId = await resolveWarehouseId(t, input.warehouseId).catch(() => {
    throw ValidationError.field('warehouseId', `warehouse ${input.warehouseId} does not exist`);
  });
  const tender = await TenderModel.create(
    {
      name: await nextNumber('purchase.tender', t),
      state: 'draft',
      warehouseId,
      deadline: new Date(input.deadline),
      origin: input.origin ?? null,
      note: input.note ?? null,
      currency: await companyCurrency(t),
      createdById: auth.user.id,
    },
    { transaction: t },
  );
  const lines: TenderLineModel[] = [];
  for (const [i, l] of input.lines.entries()) {
    const line = await TenderLineModel.create(
      {
        tenderId: tender.id,
        sequence: i,
        productId: l.productId,
        quantity: l.quantity,
        demandKind: l.demandKind ?? 'manual',
        saleOrderId: l.saleOrderId ?? null,
      },
      { transaction: t },
    );
    line.product = products.get(l.productId);
    lines.push(line);
  }
  tender.lines = lines;
  await follow(t, 'tender', tender.id, { userId: auth.user.id });
  const origin = tender.origin ? `${tender.name} (${tender.origin})` : tender.name;
  const names: string[] = [];
  for (const vendorId of vendorIds) {
    const o = await newPurchaseOrder(t, auth, { partnerId: vendorId, warehouseId, origin: origin.slice(0, 500), note: tender.note, tenderId: tender.id });
    const plan = await planPurchaseLines(
      t,
      vendorId,
      o.dateOrder,
      [],
      lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    );
    plan.lines.forEach((p, i) => (p.fields.tenderLineId = lines[i]!.id));
    const written = await writePurchaseLines(t, o.id, plan.lines, []);
    for (const [i, pl] of written.entries()) {
      const tl = lines[i]!;
      const demand = await PurchaseLineDemandModel.create(
        { purchaseLineId: pl.id, kind: tl.demandKind, saleOrderId: tl.saleOrderId, saleLineId: null, reorderRuleId: null, quantity: tl.quantity },
        { transaction: t },
      );
      pl.demands = [demand];
    }
    await savePurchase(t, o, written);
    publishPurchase(t, o, auth);
    names.push(`${o.name} (${o.partner?.name ?? vendorId})`);
  }
  await note(
    t,
    auth,
    tender.id,
    `<p>Call for tenders created: ${lines.length} line${lines.length === 1 ? '' : 's'}, one RFQ per vendor: ${escapeHtml(names.join(', '))}.</p>`,
  );
  await saveAndPublishTender(t, tender, auth);
  return tender;
}

export function createTender(auth: Auth, input: z.output<typeof tenderCreate>): Promise<Tender> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => tenderDto(t, await createTenderIn(t, auth, input)));
}

/** Locks the tender for an action: access, the version when given, the states it may be in. */
export async function lockTenderFor(t: Tx, auth: Auth, id: number, action: string, states: TenderModel['state'][], version?: number): Promise<TenderModel> {
  requireAccess(auth, 'purchase.write');
  const o = await loadTender(t, id, true);
  assertTenderAccess(auth, o);
  if (version !== undefined && version !== o.version) throw new ConflictError(`${o.name} was changed by someone else`, await tenderDto(t, o));
  if (!states.includes(o.state)) throw new InvalidStateError(`Cannot ${action} ${o.name}: it is ${o.state} (needs ${states.join(' or ')})`);
  return o;
}

/** A draft or open tender's deadline or note. */
export function updateTender(auth: Auth, id: number, patch: z.output<typeof tenderPatch>): Promise<Tender> {
  return withTransaction(async (t) => {
    const o = await lockTenderFor(t, auth, id, 'change', ['draft', 'open'], patch.version);
    const before = { state: o.state, version: o.version };
    const tracked = snapshotTender(o);
    if (patch.deadline !== undefined) o.deadline = new Date(patch.deadline);
    if (patch.note !== undefined) o.note = patch.note;
    await trackTender(t, tracked, o, auth.user.id);
    await saveAndPublishTender(t, o, auth, before);
    return tenderDto(t, o);
  });
}

/**
 * Send: every draft RFQ goes to its vendor by the usual path (rfq template, PDF, portal link), the
 * tender opens. A vendor without an email address is a 422 naming them, and nothing is sent.
 */
export function sendTender(auth: Auth, id: number, version?: number): Promise<Tender> {
  return withTransaction(async (t) => {
    const o = await lockTenderFor(t, auth, id, 'send', ['draft'], version);
    const before = { state: o.state, version: o.version };
    const tracked = snapshotTender(o);
    const drafts = (await tenderRfqs(t, [o.id])).filter((r) => r.state === 'draft');
    if (!drafts.length) throw new InvalidStateError(`Cannot send ${o.name}: it has no RFQ left to send`);
    const noEmail = drafts.filter((r) => !r.partner?.email);
    if (noEmail.length) {
      throw new InvalidStateError(
        `Cannot send ${o.name}: ${noEmail.map((r) => r.partner?.name ?? r.partnerId).join(', ')} ha${noEmail.length === 1 ? 's' : 've'} no email address`,
        noEmail.map((r) => ({ field: 'vendorIds', message: `${r.partner?.name ?? r.partnerId} has no email address` })),
      );
    }
    for (const r of drafts) {
      const sent = await transitionPurchaseOrder(t, auth, r.id, 'send');
      await emailToVendor(t, auth, sent, 'rfq');
    }
    o.state = 'open';
    await trackTender(t, tracked, o, auth.user.id);
    await note(
      t,
      auth,
      o.id,
      `<p>Sent to ${drafts.length} vendor${drafts.length === 1 ? '' : 's'}: ${escapeHtml(drafts.map((r) => r.partner?.name ?? '').join(', '))}.</p>`,
    );
    await saveAndPublishTender(t, o, auth, before);
    return tenderDto(t, o);
  });
}

/** Cancel: its open RFQs are cancelled, the vendors who were sent one get the polite email. */
export function cancelTender(auth: Auth, id: number, version?: number): Promise<Tender> {
  return withTransaction(async (t) => {
    const o = await lockTenderFor(t, auth, id, 'cancel', ['draft', 'open'], version);
    const before = { state: o.state, version: o.version };
    const tracked = snapshotTender(o);
    const open = (await tenderRfqs(t, [o.id])).filter(isOpenRfq);
    for (const r of open) await declineTenderRfq(t, auth, r.id, { tenderCancelled: true });
    o.state = 'cancel';
    await trackTender(t, tracked, o, auth.user.id);
    await saveAndPublishTender(t, o, auth, before);
    return tenderDto(t, o);
  });
}
