import type { Address } from '../../../contracts/schemas/sales';
import type { DemandKind } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { InvalidStateError } from '../../http/errors';
import type { Auth } from '../auth/access';
import { productsWithVendors, purchasePrice, vendorsOf, type ProductRecord } from '../catalog/product.service';
import { taxRates } from '../catalog/tax.service';
import { lockPartner } from '../partners/partner.service';
import { newPurchaseOrder, writePurchaseLines } from './purchase-order.create';
import { plannedDate, priceLine, r3, type PurchaseLineFields } from './purchase-order.lines';
import { PurchaseLineDemandModel, PurchaseOrderModel, type PurchaseOrderLineModel } from './purchase-order.model';
import { loadPurchase, publishPurchase, savePurchase, servedSaleOrders } from './purchase-order.service';
import { snapshotPurchase, trackPurchase } from './purchase-order.tracking';

// Replenishment fills the vendor's open draft RFQ (one per vendor and warehouse, as Odoo does) instead
// of opening a new one each time: a product already on it gets its quantity raised (and its price
// looked up again for the new quantity), and each line remembers what it was bought for.

export type Demand = { kind: DemandKind; saleOrderId?: number | null; saleLineId?: number | null; reorderRuleId?: number | null };

export type Need = {
  productId: number;
  quantity: number;
  demand: Demand;
  /** What caused it, shown in the RFQ's origin (S00012, a reorder rule's name, WH/OUT/00003). */
  origin: string;
  /** Default: the product's preferred vendor. */
  vendorId?: number;
};

/** A drop-ship fill: the vendor ships straight to the order's customer, on an RFQ of that order's own. */
export type DropshipTo = { saleOrderId: number; address: Address | null };

const draftKeyOf = (vendorId: number, warehouseId: number, dropship?: DropshipTo) =>
  dropship ? `ds:${dropship.saleOrderId}:${vendorId}` : `${vendorId}:${warehouseId}`;

/** The product's preferred vendor (its first), or null. */
export function preferredVendor(p: ProductRecord): number | null {
  return vendorsOf(p)[0]?.partnerId ?? null;
}

/** Origins joined without repeats, within the column's 500 characters. */
export function mergeOrigin(current: string | null, add: string[]): string | null {
  const parts = (current ?? '').split(', ').filter(Boolean);
  for (const a of add) if (a && !parts.includes(a)) parts.push(a);
  let text = parts.join(', ');
  if (text.length > 500) text = `${text.slice(0, 497)}...`;
  return text || null;
}

/**
 * The vendor's open draft RFQ for the warehouse, locked, or a new one; the vendor's row lock makes callers
 * take turns. The draft is looked up with a locking read, which sees the one a caller before just made
 * (a plain read may see the snapshot of the transaction's first read, from before that).
 */
async function openDraft(t: Tx, actor: Auth | null, vendorId: number, warehouseId: number, dropship?: DropshipTo): Promise<PurchaseOrderModel> {
  await lockPartner(t, vendorId);
  const draftKey = draftKeyOf(vendorId, warehouseId, dropship);
  const found = await PurchaseOrderModel.findOne({ where: { draftKey }, attributes: ['id'], transaction: t, lock: t.LOCK.UPDATE });
  if (found) return loadPurchase(t, found.id, true, { demands: false });
  return newPurchaseOrder(t, actor, { partnerId: vendorId, warehouseId, draftKey, dropshipAddress: dropship ? (dropship.address ?? {}) : null });
}

/**
 * Adds needs to the vendors' draft RFQs in t (for a drop-ship, the sale order's own drop-ship RFQ per
 * vendor, with the customer's address), grouped by vendor: lines merged per product, demands
 * recorded (a sale line's make-to-order demand merged into one), origins named, the change tracked in
 * each RFQ's chatter and published. Returns the RFQs it filled (their lines carrying only the demands
 * of this fill). A product without a vendor is a 422.
 */
export async function addToDraftRfqs(t: Tx, actor: Auth | null, warehouseId: number, needs: Need[], dropship?: DropshipTo): Promise<PurchaseOrderModel[]> {
  const wanted = needs.filter((n) => r3(n.quantity) > 0);
  if (!wanted.length) return [];
  const products = await productsWithVendors(
    t,
    wanted.map((n) => n.productId),
    'productId',
  );
  const byVendor = new Map<number, Need[]>();
  for (const n of wanted) {
    const product = products.get(n.productId)!;
    const vendorId = n.vendorId ?? preferredVendor(product);
    if (vendorId === null) throw new InvalidStateError(`[${product.sku}] ${product.name} has no vendor: add one on the product to order it`);
    byVendor.set(vendorId, [...(byVendor.get(vendorId) ?? []), n]);
  }
  const filled: PurchaseOrderModel[] = [];
  // Vendors in id order: two transactions filling the same vendors lock them in the same order.
  for (const vendorId of [...byVendor.keys()].sort((a, b) => a - b)) {
    filled.push(await fillDraft(t, actor, await openDraft(t, actor, vendorId, warehouseId, dropship), byVendor.get(vendorId)!, products));
  }
  return filled;
}

type Planned = { old: PurchaseOrderLineModel | undefined; fields: PurchaseLineFields; product: ProductRecord };

const fieldsOf = (l: PurchaseOrderLineModel): PurchaseLineFields => ({
  sequence: l.sequence,
  productId: l.productId,
  description: l.description,
  quantity: l.quantity,
  unitPrice: l.unitPrice,
  taxIds: l.taxIds,
  datePlanned: l.datePlanned,
  subtotal: l.subtotal,
  amountTax: l.amountTax,
  total: l.total,
});

async function fillDraft(t: Tx, actor: Auth | null, o: PurchaseOrderModel, needs: Need[], products: Map<number, ProductRecord>): Promise<PurchaseOrderModel> {
  const before = { state: o.state, version: o.version };
  const tracked = snapshotPurchase(o);
  // The products read with their vendors (a loaded line's product has none): a merged line is priced from its vendor.
  const planned: Planned[] = (o.lines ?? []).map((old) => ({ old, fields: fieldsOf(old), product: products.get(old.productId) ?? old.product! }));
  const touched = new Set<number>();
  for (const n of needs) {
    const product = products.get(n.productId)!;
    let entry = planned.find((p) => p.fields.productId === n.productId);
    if (!entry) {
      const fields = {
        sequence: planned.length,
        productId: product.id,
        description: `[${product.sku}] ${product.name}`,
        quantity: 0,
        unitPrice: 0,
        taxIds: product.purchaseTaxIds,
        datePlanned: o.dateOrder,
        subtotal: 0,
        amountTax: 0,
        total: 0,
      };
      entry = { old: undefined, fields, product };
      planned.push(entry);
    }
    entry.fields.quantity = r3(entry.fields.quantity + n.quantity);
    touched.add(n.productId);
  }
  const rates = await taxRates(
    t,
    planned.flatMap((p) => p.fields.taxIds),
    'taxIds',
  );
  for (const p of planned) {
    if (!touched.has(p.fields.productId)) continue;
    // The quantity changed: the vendor's price break and lead time for it, as Odoo looks them up again.
    const listed = purchasePrice(p.product, o.partnerId, p.fields.quantity);
    p.fields.unitPrice = listed.price;
    p.fields.datePlanned = plannedDate(o.dateOrder, listed.leadDays);
    Object.assign(p.fields, priceLine(p.fields, rates, 'quantity'));
  }
  const written = await writePurchaseLines(t, o.id, planned, []);
  for (const n of needs) {
    await recordDemand(
      t,
      written.find((l) => l.productId === n.productId)!,
      n,
    );
  }
  o.origin = mergeOrigin(
    o.origin,
    needs.map((n) => n.origin),
  );
  await savePurchase(t, o, written);
  await trackPurchase(t, tracked, o, actor?.user.id ?? null);
  publishPurchase(t, o, actor, before, await servedSaleOrders(t, o));
  return o;
}

/**
 * Records what a line was bought for; a sale line's (or a rule's) demand on the same line grows instead
 * of repeating. The draft is loaded without its demands: the one that may match is read here, and the
 * line keeps only the demands of this fill.
 */
async function recordDemand(t: Tx, line: PurchaseOrderLineModel, n: Need): Promise<void> {
  line.demands ??= [];
  const same = await PurchaseLineDemandModel.findOne({
    where: {
      purchaseLineId: line.id,
      kind: n.demand.kind,
      saleLineId: n.demand.saleLineId ?? null,
      reorderRuleId: n.demand.reorderRuleId ?? null,
      saleOrderId: n.demand.saleOrderId ?? null,
    },
    transaction: t,
  });
  if (same) {
    same.quantity = r3(same.quantity + n.quantity);
    await same.save({ transaction: t });
    if (!line.demands.some((d) => d.id === same.id)) line.demands.push(same);
    return;
  }
  const d = await PurchaseLineDemandModel.create(
    {
      purchaseLineId: line.id,
      kind: n.demand.kind,
      saleOrderId: n.demand.saleOrderId ?? null,
      saleLineId: n.demand.saleLineId ?? null,
      reorderRuleId: n.demand.reorderRuleId ?? null,
      quantity: r3(n.quantity),
    },
    { transaction: t },
  );
  line.demands.push(d);
}
