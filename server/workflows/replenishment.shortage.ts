import type { z } from 'zod';
import type { orderMore, orderMoreResult } from '../../contracts/schemas/purchasing';
import { withTransaction } from '../db/transaction';
import { InvalidStateError, ValidationError } from '../http/errors';
import { requireAccess, type Auth } from '../modules/auth/access';
import { deliveryShortage } from '../modules/inventory/picking.shortage';
import { addToDraftRfqs } from '../modules/purchasing/purchase-order.draft';
import { r3 } from '../modules/purchasing/purchase-order.lines';
import { shortageCover } from '../modules/purchasing/replenishment.queries';
import { orderNames } from '../modules/sales/sale-order.queries';

// "Order N more" on a delivery waiting for stock: its shortage goes to the preferred vendor's draft RFQ,
// recorded as a shortage demand of the delivery's sale order. What open purchases ordered for the
// order's shortages and have not received yet is subtracted first, so ordering the same shortage twice
// orders it once: once it is all covered, the answer is a 422 naming the purchase orders that cover it.

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
    const cover = await shortageCover(t, delivery.saleOrderId);
    const uncovered = new Map<number, number>();
    for (const [productId, short] of delivery.short) {
      const left = r3(short - (cover.get(productId)?.quantity ?? 0));
      if (left > 0) uncovered.set(productId, left);
    }
    if (!uncovered.size) {
      const orders = [...new Set([...cover.values()].flatMap((c) => c.orders))].join(', ');
      throw new InvalidStateError(`${delivery.name}'s shortage is on order already (${orders}): nothing more to order for it until that arrives`);
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
