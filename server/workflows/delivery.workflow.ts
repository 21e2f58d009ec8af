import type { z } from 'zod';
import type { Picking, pickingValidate } from '../../contracts/schemas/inventory';
import type { SaleOrder, saleOrderPatch } from '../../contracts/schemas/sales';
import type { ProcureMethod } from '../../contracts/states';
import { withTransaction, type Tx } from '../db/transaction';
import type { Auth } from '../modules/auth/access';
import { forecastMoved } from '../modules/inventory/forecast.listeners';
import { moveStateFor, r3, reserveMove, unreserveMove } from '../modules/inventory/quants';
import { publishPicking, toPicking } from '../modules/inventory/picking.mapper';
import {
  cancelPickingIn,
  createPicking,
  loadPicking,
  openOrderPickings,
  orderMoves,
  refreshState,
  reserveArrivals,
  storableMap,
  warehouseLocations,
} from '../modules/inventory/picking.service';
import { validatePicking } from '../modules/inventory/picking.validation';
import { emailShippingConfirmation } from '../modules/inventory/shipping.mail';
import { MoveModel, type PickingModel } from '../modules/inventory/stock.model';
import { resolveWarehouseId } from '../modules/inventory/warehouse.service';
import { toSaleOrder } from '../modules/sales/sale-order.mapper';
import { isMatched, type SaleOrderModel } from '../modules/sales/sale-order.model';
import { applyDelivered, updateSaleOrderIn } from '../modules/sales/sale-order.update';
import { autoInvoiceDelivery } from './invoicing.workflow';
import { isDropship, procureDropship, procureForOrder, procureMethodOf, type MtoLine } from './procurement.workflow';
import { receiveForPurchase } from './purchase.workflow';

// Where sales and the warehouse meet, each step in one transaction: a confirmed order gets its
// delivery with stock reserved (or, make-to-order, waiting for what is bought for it); its corrections
// reach the open delivery and what is bought for it; validating a delivery (or a return) moves the
// order's delivered quantities, validating a receipt the PO's received ones; cancelling the order
// cancels its open deliveries.

/** The lines the warehouse delivers (goods, not drop-shipped). */
const deliverable = (o: SaleOrderModel) =>
  (o.lines ?? []).filter(isMatched).filter((l) => l.product?.type !== 'service' && !isDropship(l.product) && l.quantity > 0);

/** The lines a vendor ships to the customer (drop-ship route), as they are now. */
export const dropshipLinesOf = (o: SaleOrderModel) =>
  (o.lines ?? [])
    .filter(isMatched)
    .filter((l) => isDropship(l.product))
    .map((l) => ({ id: l.id, productId: l.productId, quantity: l.quantity }));

type DeliveryLine = { id: number; productId: number; description: string; quantity: number; procureMethod: ProcureMethod };

/** The make-to-order lines of an order: bought for it, what their deliveries wait for. */
export function mtoNeedsOf(o: SaleOrderModel): MtoLine[] {
  return deliverable(o)
    .filter((l) => procureMethodOf(l.product) === 'mto')
    .map((l) => ({ saleLineId: l.id, productId: l.productId }));
}

/** On confirmation: the outgoing picking from the order's warehouse, reserving what is available (make-to-order lines wait). */
export async function createOrderDelivery(
  t: Tx,
  auth: Auth,
  o: SaleOrderModel,
  lines: DeliveryLine[] = deliverable(o).map((l) => ({
    id: l.id,
    productId: l.productId,
    description: l.description,
    quantity: l.quantity,
    procureMethod: procureMethodOf(l.product),
  })),
): Promise<void> {
  if (!lines.length) return;
  const warehouseId = o.warehouseId ?? (await resolveWarehouseId(t, null));
  const loc = await warehouseLocations(t, warehouseId);
  await createPicking(
    t,
    {
      type: 'outgoing',
      warehouseId,
      fromLocationId: loc.stock,
      toLocationId: loc.customers,
      partnerId: o.partnerId,
      saleOrderId: o.id,
      origin: o.name,
      shippingAddress: o.shippingAddress as Record<string, unknown> | null,
      // Due from the order's date: an order that waited before confirmation is late already.
      scheduledDate: o.dateOrder,
      createdById: auth.user.id,
      known: { owner: o.createdById, ...(o.partner && { partnerName: o.partner.name }) },
      moves: lines.map((l) => ({ productId: l.productId, description: l.description, quantity: l.quantity, saleLineId: l.id, procureMethod: l.procureMethod })),
    },
    storableOf(o),
  );
}

/** Which of the order's products are storable, from the products its lines were loaded with. */
const storableOf = (o: SaleOrderModel) =>
  new Map(
    deliverable(o)
      .filter((l) => l.product)
      .map((l) => [l.productId, l.product!.type === 'storable']),
  );

/** Cancelling the order: its open deliveries are cancelled and their reservations given back. */
export async function cancelOrderDeliveries(t: Tx, saleOrderId: number): Promise<void> {
  for (const p of await openOrderPickings(t, saleOrderId)) await cancelPickingIn(t, p);
}

/**
 * After a confirmed order's lines changed: what each line still needs delivered (quantity − delivered
 * − already on its way) is added to the open delivery (or a new one), or taken off it, newest first.
 * A make-to-order line's change goes to its purchase too: more is bought, less is taken off the RFQ.
 */
export async function syncOrderDelivery(t: Tx, auth: Auth, o: SaleOrderModel): Promise<void> {
  const lines = deliverable(o);
  const moves = (await orderMoves(t, o.id)).filter(({ picking, move }) => picking.type === 'outgoing' && move.state !== 'done' && move.state !== 'cancel');
  const storable = await storableMap(
    t,
    lines.map((l) => l.productId),
  );
  const touched = new Set<number>();
  const freed: { productId: number; locationId: number }[] = [];
  const missing: DeliveryLine[] = [];
  const procurement = new Map<number, MtoLine>();
  for (const line of lines) {
    const open = moves.filter(({ move }) => move.saleLineId === line.id).map(({ move }) => move);
    const onTheWay = open.reduce((s, m) => s + m.quantity, 0);
    let diff = r3(line.quantity - line.qtyDelivered - onTheWay);
    const isStorable = storable.get(line.productId) ?? false;
    const procureMethod = procureMethodOf(line.product);
    if (diff > 0) {
      if (procureMethod === 'mto') procurement.set(line.id, { saleLineId: line.id, productId: line.productId });
      const existing = open.find((m) => m.procureMethod === procureMethod);
      if (existing) {
        existing.quantity = r3(existing.quantity + diff);
        await reserveMove(t, existing, isStorable);
        forecastMoved(t, [existing.productId]);
        touched.add(existing.pickingId!);
      } else missing.push({ id: line.id, productId: line.productId, description: line.description, quantity: diff, procureMethod });
    }
    for (const m of [...open].reverse()) {
      if (diff >= 0) break;
      const cut = Math.min(-diff, m.quantity);
      if (m.procureMethod === 'mto') procurement.set(line.id, { saleLineId: line.id, productId: line.productId });
      m.quantity = r3(m.quantity - cut);
      if (m.quantityReserved > m.quantity) {
        await unreserveMove(t, m, isStorable, r3(m.quantityReserved - m.quantity));
        if (isStorable) freed.push({ productId: m.productId, locationId: m.fromLocationId });
      }
      // What is left may be all reserved now.
      m.state = m.quantity <= 0 ? 'cancel' : moveStateFor(m);
      await m.save({ transaction: t });
      forecastMoved(t, [m.productId]);
      touched.add(m.pickingId!);
      diff = r3(diff + cut);
    }
  }
  if (missing.length) {
    const [open] = await openOrderPickings(t, o.id);
    if (open) {
      for (const nm of missing) {
        const m = await MoveModel.create(
          {
            pickingId: open.id,
            productId: nm.productId,
            description: nm.description,
            quantity: nm.quantity,
            fromLocationId: open.fromLocationId,
            toLocationId: open.toLocationId,
            state: 'confirmed',
            saleLineId: nm.id,
            originMoveId: null,
            procureMethod: nm.procureMethod,
            sequence: (open.moves?.length ?? 0) + 1,
            dateDone: null,
          },
          { transaction: t },
        );
        await reserveMove(t, m, storable.get(nm.productId) ?? false);
        forecastMoved(t, [nm.productId]);
      }
      touched.add(open.id);
    } else {
      await createOrderDelivery(t, auth, o, missing);
    }
  }
  for (const id of touched) {
    const p = await loadPicking(t, id, true);
    await refreshState(t, p, auth.user.id);
    publishPicking(t, p);
  }
  // What a lowered quantity gave back goes to the deliveries waiting for it.
  await reserveArrivals(t, freed);
  await procureForOrder(t, auth, o, [...procurement.values()]);
  await procureDropship(t, auth, o, dropshipLinesOf(o));
}

/** PATCH of an order: the correction, then (confirmed orders) its open delivery follows, in one transaction. */
export async function updateSaleOrderWithDelivery(auth: Auth, id: number, patch: z.output<typeof saleOrderPatch>): Promise<SaleOrder> {
  return withTransaction(async (t) => {
    const o = await updateSaleOrderIn(t, auth, id, patch);
    if (o.state === 'sale' && patch.lines) await syncOrderDelivery(t, auth, o);
    return toSaleOrder(o);
  });
}

/**
 * Validating a picking: its moves are done, and the order's delivered (or the PO's received) quantities
 * follow. `also` runs in the same transaction after it (the vendor portal writes its message there).
 */
export async function validatePickingWorkflow(
  auth: Auth,
  id: number,
  input: z.output<typeof pickingValidate>,
  also?: (t: Tx, picking: PickingModel) => Promise<void>,
): Promise<{ picking: Picking; backorder: Picking | null }> {
  const r = await withTransaction(async (t) => {
    const r = await validatePicking(t, auth, id, input, (p, done, restCancelled) => receiveForPurchase(t, auth, p, done, restCancelled));
    // A vendor shipped to the customer: they get the shipping confirmation with the tracking link.
    if (r.picking.type === 'dropship') await emailShippingConfirmation(t, auth, r.picking);
    if (r.picking.saleOrderId) {
      const o = await applyDelivered(t, r.picking.saleOrderId, r.delivered, auth);
      // The rest not delivered (no backorder) is no longer waited for: what was bought for it is let go.
      if (r.picking.type === 'outgoing' && !input.backorder && o) await procureForOrder(t, auth, o, mtoNeedsOf(o));
    }
    await also?.(t, r.picking);
    return r;
  });
  // The automation rule (Settings → Invoicing): the delivered order is invoiced, posted and sent by a job.
  if ((r.picking.type === 'outgoing' || r.picking.type === 'dropship') && r.picking.saleOrderId && r.picking.state === 'done') {
    await autoInvoiceDelivery(r.picking.saleOrderId, r.picking.id);
  }
  // The validated picking as it now is (loaded once, in the transaction); the backorder read once, after commit.
  return { picking: await toPicking(null, r.picking), backorder: r.backorder ? await toPicking(null, await loadPicking(null, r.backorder.id)) : null };
}
