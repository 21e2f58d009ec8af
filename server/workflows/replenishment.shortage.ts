import type { z } from 'zod';
import type { orderMore, orderMoreResult, PickingShortage } from '../../contracts/schemas/purchasing';
import { withTransaction, type Tx } from '../db/transaction';
import { InvalidStateError, ValidationError } from '../http/errors';
import { requireAccess, type Auth } from '../modules/auth/access';
import { currentShortage, deliveryShortage, type DeliveryShortage } from '../modules/inventory/picking.shortage';
import { addToDraftRfqs } from '../modules/purchasing/purchase-order.draft';
import { r3 } from '../modules/purchasing/purchase-order.lines';
import { shortageCover } from '../modules/purchasing/replenishment.queries';
import { orderNames } from '../modules/sales/sale-order.queries';

// "Order N more" on a delivery waiting for stock: its shortage goes to the preferred vendor's draft RFQ,
// recorded as a shortage demand of the delivery's sale order. What open purchases ordered for the
// order's shortages and have not received yet is subtracted first, so ordering the same shortage twice
// orders it once: once it is all covered, the answer is a 422 naming the purchase orders that cover it.

/** The delivery's shortage per product against what open purchases for its order bring: what is left to order. */
export async function coveredShortage(t: Tx | null, delivery: DeliveryShortage): Promise<PickingShortage> {
  const cover = delivery.saleOrderId && delivery.short.size ? await shortageCover(t, delivery.saleOrderId) : new Map();
  const products = [...delivery.short].map(([productId, short]) => {
    const onOrder = r3(Math.min(short, cover.get(productId)?.quantity ?? 0));
    return { productId, short, onOrder, toOrder: r3(short - onOrder) };
  });
  const sum = (key: 'short' | 'onOrder' | 'toOrder') => r3(products.reduce((s, p) => s + p[key], 0));
  const orders = [...new Set(products.flatMap((p) => (p.onOrder > 0 ? cover.get(p.productId)!.orders : [])))];
  return { products, short: sum('short'), onOrder: sum('onOrder'), toOrder: sum('toOrder'), orders };
}

/** GET /api/pickings/:id/shortage: none unless the delivery waits for stock for a sale order (only those can order more). */
export async function pickingShortage(auth: Auth, pickingId: number): Promise<PickingShortage> {
  requireAccess(auth, 'purchase.read');
  const delivery = await currentShortage(auth, pickingId);
  if (!delivery.saleOrderId) delivery.short.clear();
  return coveredShortage(null, delivery);
}

/**
 * N is the delivery's shortage per product (demand − reserved over its make-to-stock moves), less what
 * is covered already. A given quantity raises N (to stay stocked) and is for a delivery with one product
 * short; below N it is a 400. Returns the RFQ filled (the first, when the products have several vendors),
 * the quantity ordered in all, and every RFQ filled.
 */
export async function orderShortage(auth: Auth, pickingId: number, body: z.output<typeof orderMore>): Promise<z.output<typeof orderMoreResult>> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const delivery = await deliveryShortage(t, auth, pickingId);
    if (!delivery.saleOrderId) throw new InvalidStateError(`${delivery.name} delivers no sale order: order its products from the replenishment page`);
    const covered = await coveredShortage(t, delivery);
    const uncovered = new Map(covered.products.filter((p) => p.toOrder > 0).map((p) => [p.productId, p.toOrder]));
    if (!uncovered.size) {
      throw new InvalidStateError(
        `${delivery.name}'s shortage is on order already (${covered.orders.join(', ')}): nothing more to order for it until that arrives`,
      );
    }
    if (body?.quantity !== undefined) {
      if (uncovered.size > 1) {
        throw ValidationError.field('quantity', `${delivery.name} lacks ${uncovered.size} products: order each one's shortage (no quantity)`);
      }
      const [productId, least] = [...uncovered][0]!;
      if (r3(body.quantity) < least) throw ValidationError.field('quantity', `must be at least the shortage not yet on order, ${least}`);
      uncovered.set(productId, r3(body.quantity));
    }
    const orderName = (await orderNames(t, [delivery.saleOrderId])).get(delivery.saleOrderId);
    const origin = orderName ? `${delivery.name} (${orderName})` : delivery.name;
    const filled = await addToDraftRfqs(
      t,
      auth,
      delivery.warehouseId,
      [...uncovered].map(([productId, quantity]) => ({ productId, quantity, origin, demand: { kind: 'shortage', saleOrderId: delivery.saleOrderId } })),
    );
    const purchaseOrderIds = filled.map((o) => o.id);
    return { purchaseOrderId: purchaseOrderIds[0]!, quantity: r3([...uncovered.values()].reduce((s, q) => s + q, 0)), purchaseOrderIds };
  });
}
