import type { ProcureMethod } from '../../contracts/states';
import type { Tx } from '../db/transaction';
import type { Auth } from '../modules/auth/access';
import type { ProductRecord } from '../modules/catalog/product.service';
import { resolveWarehouseId } from '../modules/inventory/warehouse.service';
import { lowerMtoDemand, releaseOrderDemands } from '../modules/purchasing/purchase-order.demands';
import { addToDraftRfqs } from '../modules/purchasing/purchase-order.draft';
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

/** A quantity of a sale line to buy for it (more), or to take back from what was bought (less). */
export type MtoChange = { saleLineId: number; productId: number; quantity: number };

/**
 * What changed of an order's make-to-order lines, in t: more goes to the preferred vendor's draft
 * RFQ (the same draft while it is one, a new one once it was sent or confirmed); less lowers the
 * draft lines bought for it, or leaves a note for the buyer on the POs that bought it. A product
 * without a vendor is a 422 naming it.
 */
export async function procureForOrder(t: Tx, auth: Auth, o: SaleOrderModel, changes: MtoChange[]): Promise<void> {
  const more = changes.filter((c) => c.quantity > 0);
  if (more.length) {
    const warehouseId = o.warehouseId ?? (await resolveWarehouseId(t, null));
    await addToDraftRfqs(
      t,
      auth,
      warehouseId,
      more.map((c) => ({
        productId: c.productId,
        quantity: c.quantity,
        demand: { kind: 'mto', saleOrderId: o.id, saleLineId: c.saleLineId },
        origin: o.name,
      })),
    );
  }
  for (const c of changes.filter((x) => x.quantity < 0)) await lowerMtoDemand(t, auth, { orderName: o.name, saleLineId: c.saleLineId }, -c.quantity);
}

/** A cancelled order's make-to-order demands are let go: off the draft RFQs, a note on the POs that bought for it. */
export async function releaseOrderProcurement(t: Tx, auth: Auth, o: SaleOrderModel): Promise<void> {
  await releaseOrderDemands(t, auth, { id: o.id, name: o.name });
}
