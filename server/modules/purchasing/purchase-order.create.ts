import type { z } from 'zod';
import type { Address } from '../../../contracts/schemas/sales';
import type { PurchaseOrder, purchaseOrderCreate, purchaseOrderPatch } from '../../../contracts/schemas/purchasing';
import { nextNumber } from '../../db/sequences';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError, ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { follow, unfollow } from '../chatter/followers.service';
import { companyCurrency } from '../company/company.service';
import { resolveWarehouseId } from '../inventory/warehouse.service';
import { findPartner } from '../partners/partner.service';
import { assertPurchaseAccess } from './purchase-order.access';
import { planPurchaseLines, type PlannedPurchaseLine } from './purchase-order.lines';
import { PurchaseOrderLineModel, PurchaseOrderModel } from './purchase-order.model';
import { loadPurchase, publishPurchase, purchaseOrderDto, savePurchase } from './purchase-order.service';
import { snapshotPurchase, trackPurchase } from './purchase-order.tracking';

// Creating an RFQ and editing a draft one: vendor, warehouse, dates and lines (the full new list).

async function vendor(t: Tx, partnerId: number) {
  return findPartner(t, partnerId).catch(() => {
    throw ValidationError.field('partnerId', `partner ${partnerId} does not exist`);
  });
}

/** A new empty RFQ in t (its number taken now); the vendor and the creator follow it. */
export async function newPurchaseOrder(
  t: Tx,
  actor: Auth | null,
  input: {
    partnerId: number;
    warehouseId: number;
    origin?: string | null;
    note?: string | null;
    dateOrder?: Date;
    draftKey?: string | null;
    /** A drop-ship RFQ: the vendor ships to this customer's address. */
    dropshipAddress?: Address | null;
    /** One vendor's RFQ of a call for tenders. */
    tenderId?: number | null;
  },
): Promise<PurchaseOrderModel> {
  const partner = await vendor(t, input.partnerId);
  const o = await PurchaseOrderModel.create(
    {
      name: await nextNumber('purchase.order', t),
      partnerId: input.partnerId,
      warehouseId: input.warehouseId,
      state: 'draft',
      origin: input.origin ?? null,
      draftKey: input.draftKey ?? null,
      dropshipAddress: input.dropshipAddress ?? null,
      tenderId: input.tenderId ?? null,
      note: input.note ?? null,
      dateOrder: input.dateOrder ?? new Date(),
      datePlanned: null,
      currency: await companyCurrency(t),
      createdById: actor?.user.id ?? null,
    },
    { transaction: t },
  );
  o.partner = partner;
  o.lines = [];
  if (actor) await follow(t, 'purchaseOrder', o.id, { userId: actor.user.id });
  await follow(t, 'purchaseOrder', o.id, { partnerId: o.partnerId });
  return o;
}

/** Writes a plan's lines: changed lines updated, new ones created, removed ones deleted. Returns the order's lines. */
export async function writePurchaseLines(
  t: Tx,
  orderId: number,
  planned: PlannedPurchaseLine[],
  removed: PurchaseOrderLineModel[],
): Promise<PurchaseOrderLineModel[]> {
  for (const r of removed) {
    if (r.qtyReceived > 0 || r.qtyBilled > 0) throw new InvalidStateError(`${r.description}: received or billed, it cannot be removed`);
    await r.destroy({ transaction: t });
  }
  const lines: PurchaseOrderLineModel[] = [];
  for (const p of planned) {
    if (p.old) {
      p.old.set(p.fields);
      if (p.old.changed()) await p.old.save({ transaction: t });
      lines.push(p.old);
    } else {
      const line = await PurchaseOrderLineModel.create({ ...p.fields, orderId }, { transaction: t });
      line.demands = [];
      lines.push(line);
    }
    lines[lines.length - 1]!.product = p.product;
  }
  return lines;
}

export async function createPurchaseOrder(auth: Auth, input: z.output<typeof purchaseOrderCreate>): Promise<PurchaseOrder> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const warehouseId = await resolveWarehouseId(t, input.warehouseId).catch(() => {
      throw ValidationError.field('warehouseId', `warehouse ${input.warehouseId} does not exist`);
    });
    const o = await newPurchaseOrder(t, auth, {
      partnerId: input.partnerId,
      warehouseId,
      origin: input.origin,
      note: input.note,
      dateOrder: input.dateOrder ? new Date(input.dateOrder) : undefined,
    });
    const plan = await planPurchaseLines(t, o.partnerId, o.dateOrder, [], input.lines);
    await savePurchase(t, o, await writePurchaseLines(t, o.id, plan.lines, []));
    publishPurchase(t, o, auth);
    return purchaseOrderDto(t, o);
  });
}

/** Edits a draft RFQ (vendor, warehouse, dates, note, lines), tracked in its chatter. */
export async function updatePurchaseOrder(auth: Auth, id: number, patch: z.output<typeof purchaseOrderPatch>): Promise<PurchaseOrder> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const o = await loadPurchase(t, id, true);
    assertPurchaseAccess(auth, o);
    if (patch.version !== o.version) throw new ConflictError(`${o.name} was changed by someone else`, await purchaseOrderDto(t, o));
    const headerOnly = patch.lines === undefined && patch.partnerId === undefined && patch.warehouseId === undefined && patch.dateOrder === undefined;
    if (o.state !== 'draft' && !(headerOnly && o.state !== 'cancel')) {
      throw new InvalidStateError(`${o.name} is ${o.state}: only a draft RFQ's vendor, dates and lines can change`);
    }
    const before = { state: o.state, version: o.version };
    const tracked = snapshotPurchase(o);
    const vendorChanged = patch.partnerId !== undefined && patch.partnerId !== o.partnerId;
    if (vendorChanged) {
      o.partner = await vendor(t, patch.partnerId!);
      await unfollow(t, 'purchaseOrder', o.id, { partnerId: o.partnerId });
      await follow(t, 'purchaseOrder', o.id, { partnerId: patch.partnerId! });
      o.partnerId = patch.partnerId!;
    }
    if (patch.warehouseId !== undefined) o.warehouseId = await resolveWarehouseId(t, patch.warehouseId);
    if (vendorChanged || patch.warehouseId !== undefined) o.draftKey = null; // a person took it over: replenishment opens another
    if (patch.origin !== undefined) o.origin = patch.origin;
    if (patch.note !== undefined) o.note = patch.note;
    if (patch.dateOrder !== undefined) o.dateOrder = new Date(patch.dateOrder);
    let lines = o.lines ?? [];
    if (patch.lines !== undefined || vendorChanged) {
      const inputs =
        patch.lines ?? lines.map((l) => ({ id: l.id, productId: l.productId, quantity: l.quantity, description: l.description, taxIds: l.taxIds }));
      const plan = await planPurchaseLines(t, o.partnerId, o.dateOrder, lines, inputs, vendorChanged);
      lines = await writePurchaseLines(t, o.id, plan.lines, plan.removed);
    }
    await savePurchase(t, o, lines);
    await trackPurchase(t, tracked, o, auth.user.id);
    publishPurchase(t, o, auth, before);
    return purchaseOrderDto(t, o);
  });
}
