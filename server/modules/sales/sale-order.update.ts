import { literal } from 'sequelize';
import type { AttentionReason, SaleOrderPatch, saleOrderPatch } from '../../../contracts/schemas/sales';
import type { SaleOrderState } from '../../../contracts/states';
import type { z } from 'zod';
import type { Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError, ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { resolveWarehouseId } from '../inventory/warehouse.service';
import { assertOrderAccess } from './sale-order.access';
import { deriveInvoiceStatus, toSaleOrder } from './sale-order.mapper';
import { follow, unfollow } from '../chatter/followers.service';
import { findPartner } from '../partners/partner.service';
import { attention, reasonsWith } from './sale-order.attention';
import { applyLines, planLines, type ParsedLine } from './sale-order.lines';
import { SaleOrderLineModel, SaleOrderModel } from './sale-order.model';
import { loadOrder, publishOrder, saveWithLines } from './sale-order.service';
import { snapshotSaleOrder, trackSaleOrder } from './sale-order.tracking';

// Correcting an order (contents, address, attention), and what other domains report back to it:
// quantities delivered and invoiced.

// What may change in each state besides the lines (which writeLines guards).
const EDITABLE: Record<SaleOrderState, readonly (keyof SaleOrderPatch)[]> = {
  draft: ['partnerId', 'shippingAddress', 'warehouseId', 'needsAttention', 'note', 'dateOrder', 'discountCode', 'orderDiscount', 'lines'],
  sent: ['partnerId', 'shippingAddress', 'warehouseId', 'needsAttention', 'note', 'dateOrder', 'discountCode', 'orderDiscount', 'lines'],
  sale: ['shippingAddress', 'needsAttention', 'note', 'lines'],
  done: ['needsAttention', 'note'],
  cancel: ['needsAttention', 'note'],
};

/** What an intake adds to a correction: the reasons the shop's version needs attention, and its fingerprint. */
export type ExternalChange = { reasons: AttentionReason[]; externalHash: string; externalUpdatedAt: Date | null };

/** Corrects an order in t (the caller's transaction, where other domains follow the change). */
export async function updateSaleOrderIn(
  t: Tx,
  auth: Auth | null,
  id: number,
  patch: Omit<z.output<typeof saleOrderPatch>, 'lines'> & { lines?: ParsedLine[] },
  external?: ExternalChange,
): Promise<SaleOrderModel> {
  if (auth) requireAccess(auth, 'saleOrder.write');
  {
    const o = await loadOrder(t, id, true);
    if (auth) assertOrderAccess(auth, o);
    if (patch.version !== o.version) throw new ConflictError(`${o.name} was changed by someone else`, toSaleOrder(o));
    const before = { state: o.state, version: o.version };
    const tracked = snapshotSaleOrder(o);
    // A field sent with its current value is no change (a console may send the whole header).
    const unchanged: Partial<Record<keyof SaleOrderPatch, boolean>> = {
      partnerId: patch.partnerId === o.partnerId,
      warehouseId: patch.warehouseId === o.warehouseId,
      dateOrder: patch.dateOrder !== undefined && new Date(patch.dateOrder).getTime() === o.dateOrder.getTime(),
      needsAttention: patch.needsAttention === o.needsAttention,
      note: patch.note === o.note,
      discountCode: patch.discountCode === o.discountCode,
      orderDiscount: patch.orderDiscount === o.orderDiscount,
    };
    const refused = (Object.keys(patch) as (keyof SaleOrderPatch)[]).filter(
      (k) => k !== 'version' && patch[k] !== undefined && !unchanged[k] && !EDITABLE[o.state].includes(k),
    );
    if (refused.length) {
      throw new InvalidStateError(
        `${refused.join(', ')} cannot change while the order is ${o.state}`,
        refused.map((field) => ({ field, message: `not editable in state ${o.state}` })),
      );
    }
    if (patch.partnerId !== undefined && patch.partnerId !== o.partnerId) {
      o.partner = await findPartner(t, patch.partnerId).catch(() => {
        throw ValidationError.field('partnerId', `partner ${patch.partnerId} does not exist`);
      });
      // The new customer follows the order's messages; the former one no longer hears of it.
      await unfollow(t, 'saleOrder', o.id, { partnerId: o.partnerId });
      await follow(t, 'saleOrder', o.id, { partnerId: patch.partnerId });
      o.partnerId = patch.partnerId;
    }
    if (patch.warehouseId !== undefined) o.warehouseId = await resolveWarehouseId(t, patch.warehouseId);
    if (patch.shippingAddress !== undefined) o.shippingAddress = patch.shippingAddress;
    if (patch.note !== undefined) o.note = patch.note;
    if (patch.dateOrder !== undefined) o.dateOrder = new Date(patch.dateOrder);
    if (patch.discountCode !== undefined) o.discountCode = patch.discountCode;
    const discountChanged = patch.orderDiscount !== undefined && patch.orderDiscount !== o.orderDiscount;
    if (patch.orderDiscount !== undefined) o.orderDiscount = patch.orderDiscount;
    // A new order discount is spread over the lines as they are, when no new lines come with it.
    const inputs = patch.lines ?? (discountChanged ? (o.lines ?? []).map(asInput) : null);
    const lines = inputs
      ? await applyLines(o.id, await planLines(o.state, o.lines ?? [], inputs, { amount: o.orderDiscount, keep: o.state === 'sale' }, t), t)
      : (o.lines ?? []);
    // Clearing the flag clears its reasons; once its last reason is gone (a line matched), so does the flag.
    // A shop's new version brings its own reasons.
    const reasons = reasonsWith(external ? external.reasons : patch.needsAttention === false ? [] : (o.attentionReasons ?? []), lines);
    const resolved = (o.attentionReasons ?? []).length > 0 && reasons.length === 0;
    o.set(attention(patch.needsAttention ?? (resolved ? false : o.needsAttention), reasons));
    if (external) o.set({ externalHash: external.externalHash, externalUpdatedAt: external.externalUpdatedAt ?? o.externalUpdatedAt });
    await saveWithLines(o, lines, t);
    await trackSaleOrder(t, tracked, o, auth?.user.id ?? null);
    publishOrder(t, o, auth, before);
    return o;
  }
}

/**
 * A shop changed an order after it was confirmed here: its fingerprint is kept and the order flagged
 * with the reason, for staff to act on (what was agreed is not overwritten).
 */
export async function flagExternalChange(
  t: Tx,
  id: number,
  change: { externalHash: string; externalUpdatedAt: Date | null; reason: AttentionReason },
): Promise<SaleOrderModel> {
  const o = await loadOrder(t, id, true);
  const before = { state: o.state, version: o.version };
  o.set({
    externalHash: change.externalHash,
    externalUpdatedAt: change.externalUpdatedAt ?? o.externalUpdatedAt,
    ...attention(true, [...(o.attentionReasons ?? []).filter((r) => r.code !== change.reason.code), change.reason]),
  });
  o.changed('updatedAt', true);
  await o.save({ transaction: t });
  publishOrder(t, o, null, before);
  return o;
}

/** The shop sent the version we hold again, later: its time moves on (an older one is refused from then). */
export async function noteExternalTime(t: Tx, id: number, at: Date): Promise<void> {
  await SaleOrderModel.update({ externalUpdatedAt: at }, { where: { id }, transaction: t, silent: true });
}

/** A line as it is, given back as an input (to spread a new order discount over unchanged lines). */
function asInput(l: SaleOrderLineModel): ParsedLine {
  return {
    id: l.id,
    productId: l.productId,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
    discountAmount: l.discountAmount,
    taxIds: l.taxIds,
    isShipping: l.isShipping,
  };
}

/**
 * What deliveries and returns changed per line (quantities delivered, or taken back with a minus):
 * the lines' qtyDelivered and the order's statuses follow, and order.updated goes out after commit.
 * Returns the order as it now is (null when nothing moved).
 */
export async function applyDelivered(
  t: Tx,
  saleOrderId: number,
  deltas: { saleLineId: number; quantity: number }[],
  auth: Auth | null,
): Promise<SaleOrderModel | null> {
  if (!deltas.length) return null;
  const o = await loadOrder(t, saleOrderId, true);
  const before = { state: o.state, version: o.version };
  for (const d of deltas) {
    const line = o.lines?.find((l) => l.id === d.saleLineId);
    if (!line) continue;
    line.qtyDelivered = Math.round((line.qtyDelivered + d.quantity) * 1000) / 1000;
    await line.save({ transaction: t });
  }
  await saveWithLines(o, o.lines ?? [], t);
  publishOrder(t, o, auth, before);
  return o;
}

/**
 * The lines' invoiced quantities as the invoices now add them up (invoices minus credit notes, drafts
 * included, cancelled ones not): qtyInvoiced and the order's invoiceStatus follow, order.updated goes out.
 */
export async function applyInvoiced(
  t: Tx,
  order: number | SaleOrderModel,
  invoiced: (lineIds: number[]) => Promise<Map<number, number>>,
  auth: Auth | null,
): Promise<SaleOrderModel> {
  // An order the caller has loaded, locked, in t (with its lines) is not read again.
  const o = typeof order === 'number' ? await loadOrder(t, order, true) : order;
  const before = { state: o.state, version: o.version };
  const lines = o.lines ?? [];
  const quantities = await invoiced(lines.map((l) => l.id));
  const moved = lines
    .map((line) => ({ line, qty: Math.round((quantities.get(line.id) ?? 0) * 1000) / 1000 }))
    .filter(({ line, qty }) => qty !== line.qtyInvoiced);
  const changed = moved.length > 0;
  if (changed) {
    // Every changed line in one statement.
    const cases = moved.map(({ line, qty }) => `WHEN ${Number(line.id)} THEN ${Number(qty)}`).join(' ');
    await SaleOrderLineModel.update(
      { qtyInvoiced: literal(`CASE id ${cases} END`) as unknown as number },
      { where: { id: moved.map((m) => m.line.id) }, transaction: t },
    );
    for (const { line, qty } of moved) {
      line.setDataValue('qtyInvoiced', qty);
      line.changed('qtyInvoiced', false);
    }
  }
  if (changed || o.invoiceStatus !== deriveInvoiceStatus(o.state, lines)) {
    await saveWithLines(o, lines, t);
    publishOrder(t, o, auth, before);
  }
  return o;
}
