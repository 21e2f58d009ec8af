import type { Address } from '../../contracts/schemas/sales';
import type { ProcureMethod } from '../../contracts/states';
import type { Tx } from '../db/transaction';
import type { Auth } from '../modules/auth/access';
import type { ProductRecord } from '../modules/catalog/product.service';
import { resolveWarehouseId } from '../modules/inventory/warehouse.service';
import { mtoWaiting, procureFromStock } from '../modules/inventory/picking.procurement';
import { r3 } from '../modules/inventory/quants';
import { dropshipCover, lowerMtoDemand, mtoCover, releaseOrderDemands } from '../modules/purchasing/purchase-order.demands';
import { addToDraftRfqs, type Need } from '../modules/purchasing/purchase-order.draft';
import type { SaleOrderModel } from '../modules/sales/sale-order.model';

// The buy + make-to-order route (Odoo's purchase_stock): a confirmed sale of such a product adds
// exactly its quantity to the preferred vendor's draft RFQ, and the delivery waits for those units;
// the order's later changes follow on the RFQ (or on a new one, once the PO is confirmed), and the
// buyer is told of what a confirmed PO bought for nothing.

/** How a delivery move of the product gets its goods: bought for the order (storable, buy + mto), or from stock. */
export function procureMethodOf(product: Pick<ProductRecord, 'type' | 'routes'> | undefined): ProcureMethod {
  const routes = product?.routes ?? [];
  return product?.type === 'storable' && routes.includes('buy') && routes.includes('mto') ? 'mto' : 'mts';
}

/** A make-to-order line of an order whose need may have changed. */
export type MtoLine = { saleLineId: number; productId: number };

/**
 * Brings what is bought for each make-to-order line in line with what its delivery waits for, in t:
 * units waiting that no draft RFQ holds and no sent or confirmed PO still brings go to the preferred
 * vendor's draft RFQ (the same draft while it is one, a new one once it was sent or confirmed); more
 * than is waited for lowers the draft lines bought for it, and leaves a note for the buyer on the POs
 * that bought it. A line is never bought for twice. A product without a vendor is a 422 naming it.
 */
export async function procureForOrder(t: Tx, auth: Auth, o: SaleOrderModel, lines: MtoLine[]): Promise<void> {
  const more: { line: MtoLine; quantity: number }[] = [];
  const less: { line: MtoLine; quantity: number }[] = [];
  for (const line of lines) {
    const waiting = await mtoWaiting(t, line.saleLineId);
    const { draft, toCome } = await mtoCover(t, line.saleLineId);
    const gap = r3(waiting - draft - toCome);
    if (gap > 0) more.push({ line, quantity: gap });
    else if (gap < 0 && (draft > 0 || toCome > 0)) less.push({ line, quantity: -gap });
  }
  if (more.length) {
    const warehouseId = o.warehouseId ?? (await resolveWarehouseId(t, null));
    await addToDraftRfqs(
      t,
      auth,
      warehouseId,
      more.map(({ line, quantity }) => ({
        productId: line.productId,
        quantity,
        demand: { kind: 'mto', saleOrderId: o.id, saleLineId: line.saleLineId },
        origin: o.name,
      })),
    );
  }
  for (const { line, quantity } of less) await lowerMtoDemand(t, auth, { orderName: o.name, saleLineId: line.saleLineId }, quantity);
}

/**
 * A purchase bought for these sale lines was called off: what their deliveries still wait for and no
 * other purchase covers is taken from stock instead (as Odoo turns the moves make-to-stock).
 */
export async function procureRestFromStock(t: Tx, auth: Auth, saleLineIds: number[]): Promise<void> {
  for (const saleLineId of new Set(saleLineIds)) {
    const { draft, toCome } = await mtoCover(t, saleLineId);
    const uncovered = r3((await mtoWaiting(t, saleLineId)) - draft - toCome);
    if (uncovered > 0) await procureFromStock(t, saleLineId, uncovered, auth.user.id);
  }
}

/** A drop-shipped product: its vendor ships it straight to the customer; it never passes through stock. */
export function isDropship(product: Pick<ProductRecord, 'type' | 'routes'> | undefined): boolean {
  return !!product && product.type !== 'service' && (product.routes ?? []).includes('dropship');
}

/** Where a drop-ship goes: the order's shipping address, else its customer's. */
function dropshipAddressOf(o: SaleOrderModel): Address {
  if (o.shippingAddress) return o.shippingAddress;
  const p = o.partner;
  return {
    name: p?.name ?? null,
    street: p?.street ?? null,
    zip: p?.zip ?? null,
    city: p?.city ?? null,
    countryCode: p?.countryCode ?? null,
    phone: p?.phone ?? null,
  };
}

/**
 * The drop-ship lines of a confirmed order, bought from their preferred vendor in t (Odoo's
 * stock_dropshipping): each line's quantity not yet on a drop-ship RFQ or PO goes to the order's own
 * drop-ship RFQ for that vendor (the customer's address on it, its lines linked to the sale lines); a
 * line lowered takes the difference off the draft, or notes it on the PO that bought it.
 */
export async function procureDropship(t: Tx, auth: Auth, o: SaleOrderModel, lines: { id: number; productId: number; quantity: number }[]): Promise<void> {
  const more: Need[] = [];
  for (const line of lines) {
    const { draft, bought } = await dropshipCover(t, line.id);
    const gap = r3(line.quantity - draft - bought);
    if (gap > 0) more.push({ productId: line.productId, quantity: gap, demand: { kind: 'dropship', saleOrderId: o.id, saleLineId: line.id }, origin: o.name });
    else if (gap < 0) await lowerMtoDemand(t, auth, { orderName: o.name, saleLineId: line.id }, -gap, 'dropship');
  }
  if (!more.length) return;
  const warehouseId = o.warehouseId ?? (await resolveWarehouseId(t, null));
  await addToDraftRfqs(t, auth, warehouseId, more, { saleOrderId: o.id, address: dropshipAddressOf(o) });
}

/** A cancelled order's make-to-order demands are let go: off the draft RFQs, a note on the POs that bought for it. */
export async function releaseOrderProcurement(t: Tx, auth: Auth, o: SaleOrderModel): Promise<void> {
  await releaseOrderDemands(t, auth, { id: o.id, name: o.name });
}
