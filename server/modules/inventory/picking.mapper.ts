import { rooms } from '../../../contracts/events';
import type { Picking, PickingSummary, StockMove } from '../../../contracts/schemas/inventory';
import { isLatePicking } from '../../../contracts/states';
import { iso } from '../../db/columns';
import type { Tx } from '../../db/transaction';
import { publish } from '../../realtime/publisher';
import { productsByIds } from '../catalog/product.service';
import { partnerNames } from '../partners/partner.service';
import { orderOwner } from '../sales/sale-order.access';
import type { PickingModel } from './stock.model';

// A loaded picking (with its moves) as the API and the events show it.

export function isLate(p: Pick<PickingModel, 'state' | 'scheduledDate'>, now = new Date()): boolean {
  return isLatePicking(p.state, p.scheduledDate, now);
}

function toSummary(p: PickingModel, partners: Map<number, string>): PickingSummary {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    state: p.state,
    origin: p.origin,
    saleOrderId: p.saleOrderId,
    purchaseOrderId: p.purchaseOrderId,
    partnerId: p.partnerId,
    partnerName: p.partnerId ? (partners.get(p.partnerId) ?? null) : null,
    warehouseId: p.warehouseId,
    fromLocationId: p.fromLocationId,
    toLocationId: p.toLocationId,
    carrier: p.carrier,
    trackingRef: p.trackingRef,
    backorderOfId: p.backorderOfId,
    returnOfId: p.returnOfId,
    scheduledDate: iso(p.scheduledDate),
    dateDone: p.dateDone ? iso(p.dateDone) : null,
    late: isLate(p),
    version: p.version,
  };
}

/** Summaries of pickings; t is null for a read outside a transaction. */
export async function toSummaries(t: Tx | null, rows: PickingModel[]): Promise<PickingSummary[]> {
  const partners = await partnerNames(
    t,
    rows.map((p) => p.partnerId),
  );
  return rows.map((p) => toSummary(p, partners));
}

/** A picking with its moves (as loaded: no read of the picking again). */
export async function toPicking(t: Tx | null, p: PickingModel): Promise<Picking> {
  const moves = p.moves ?? [];
  const products = moves.length
    ? await productsByIds(
        t,
        moves.map((m) => m.productId),
        'productId',
      )
    : new Map();
  const [summary] = await toSummaries(t, [p]);
  return {
    ...summary!,
    returnReason: p.returnReason,
    shippingAddress: p.shippingAddress,
    moves: moves.map((m): StockMove => ({
      id: m.id,
      productId: m.productId,
      productName: products.get(m.productId)?.name ?? '',
      sku: products.get(m.productId)?.sku ?? '',
      description: m.description,
      quantity: m.quantity,
      quantityReserved: m.quantityReserved,
      quantityDone: m.quantityDone,
      fromLocationId: m.fromLocationId,
      toLocationId: m.toLocationId,
      state: m.state,
      saleLineId: m.saleLineId,
    })),
  };
}

/** What the caller knows already of a picking's order: its owner (creator) and the partner's name. */
export type PickingKnown = { owner?: number | null; partnerName?: string };

/** picking.updated after commit, to the shipments board, the picking's room and its order's room. */
export function publishPicking(t: Tx, p: PickingModel, known?: PickingKnown): void {
  // The shipments board, and the board of the order's owner for users limited to their own orders.
  const targets = async () => {
    const owner = known?.owner !== undefined ? known.owner : p.saleOrderId ? await orderOwner(null, p.saleOrderId) : null;
    return [
      rooms.shipmentsBoard,
      rooms.record('picking', p.id),
      ...(p.saleOrderId ? [rooms.record('saleOrder', p.saleOrderId)] : []),
      ...(owner ? [rooms.ownBoard(rooms.shipmentsBoard, owner)] : []),
    ];
  };
  publish(t, targets, 'picking.updated', async () => {
    // After commit: a read outside the (finished) transaction.
    const picking =
      known?.partnerName !== undefined && p.partnerId !== null ? toSummary(p, new Map([[p.partnerId, known.partnerName]])) : (await toSummaries(null, [p]))[0]!;
    return { id: p.id, version: p.version, model: 'picking' as const, picking };
  });
}
