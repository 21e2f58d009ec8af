import type { PurchaseOrder } from '../../contracts/schemas/purchasing';
import { withTransaction, type Tx } from '../db/transaction';
import { InvalidStateError } from '../http/errors';
import { escapeHtml } from '../lib/html';
import type { Auth } from '../modules/auth/access';
import { createMessage } from '../modules/chatter/chatter.service';
import { cancelPickingIn, createPicking, warehouseLocations } from '../modules/inventory/picking.service';
import { openPurchasePickings, reserveForSaleLine } from '../modules/inventory/picking.procurement';
import type { DoneMove } from '../modules/inventory/picking.validation';
import type { PickingModel } from '../modules/inventory/stock.model';
import { transitionPurchaseOrder } from '../modules/purchasing/purchase-order.actions';
import { forgetSaleDemands, mtoSaleLineIds, notePurchase, waitingSaleOrders } from '../modules/purchasing/purchase-order.demands';
import { emailToVendor } from '../modules/purchasing/purchase-order.mail';
import type { PurchaseOrderLineModel, PurchaseOrderModel } from '../modules/purchasing/purchase-order.model';
import { receivePurchaseLines } from '../modules/purchasing/purchase-order.receipts';
import { purchaseOrderDto } from '../modules/purchasing/purchase-order.service';
import { queueVendorNotification } from '../modules/purchasing/vendor-notification.service';
import { loadOrder } from '../modules/sales/sale-order.service';
import { r3 } from '../modules/inventory/quants';
import { procureRestFromStock } from './procurement.workflow';

// Where purchasing and the warehouse meet (Odoo's purchase_stock), each step in one transaction:
// confirming a PO creates its receipt; cancelling it cancels its open receipts and lets go of the
// sale orders it served; validating a receipt moves the received quantities and gives the units
// bought for particular orders to those orders before anyone else.

/**
 * The drop-ship picking of a confirmed drop-ship PO (`WH/DS/…`): from Vendors straight to Customers, so
 * no quant ever changes; one move per sale line it was bought for, so that shipping it delivers them.
 */
async function createDropship(t: Tx, auth: Auth, o: PurchaseOrderModel, lines: PurchaseOrderLineModel[]): Promise<void> {
  const loc = await warehouseLocations(t, o.warehouseId);
  const demands = lines.flatMap((l) => (l.demands ?? []).filter((d) => d.kind === 'dropship' && d.saleLineId));
  const saleOrderId = demands.find((d) => d.saleOrderId)?.saleOrderId ?? null;
  const sale = saleOrderId ? await loadOrder(t, saleOrderId) : null;
  const moves = lines.flatMap((l) => {
    let left = r3(l.quantity - l.qtyReceived);
    const forSale = (l.demands ?? [])
      .filter((d) => d.kind === 'dropship' && d.saleLineId)
      .map((d) => {
        const quantity = Math.min(left, d.quantity);
        left = r3(left - quantity);
        return { productId: l.productId, description: l.description, quantity, purchaseLineId: l.id, saleLineId: d.saleLineId };
      });
    return [...forSale, ...(left > 0 ? [{ productId: l.productId, description: l.description, quantity: left, purchaseLineId: l.id }] : [])].filter(
      (m) => m.quantity > 0,
    );
  });
  if (!moves.length) return;
  await createPicking(t, {
    type: 'dropship',
    warehouseId: o.warehouseId,
    fromLocationId: loc.vendors,
    toLocationId: loc.customers,
    partnerId: sale?.partnerId ?? o.partnerId,
    saleOrderId,
    purchaseOrderId: o.id,
    origin: sale ? `${o.name} (${sale.name})` : o.name,
    shippingAddress: o.dropshipAddress as Record<string, unknown> | null,
    scheduledDate: o.datePlanned ?? new Date(),
    createdById: auth.user.id,
    moves,
  });
}

/**
 * The receipt of a confirmed PO: its goods (services aside) from the Vendors location into the PO
 * warehouse's Stock; a drop-ship PO's goods go to the customer instead.
 */
async function createReceipt(t: Tx, auth: Auth, o: PurchaseOrderModel): Promise<void> {
  const lines = (o.lines ?? []).filter((l) => l.product?.type !== 'service' && l.quantity > l.qtyReceived);
  if (!lines.length) return;
  if (o.dropshipAddress) return createDropship(t, auth, o, lines);
  const loc = await warehouseLocations(t, o.warehouseId);
  await createPicking(t, {
    type: 'incoming',
    warehouseId: o.warehouseId,
    fromLocationId: loc.vendors,
    toLocationId: loc.stock,
    partnerId: o.partnerId,
    purchaseOrderId: o.id,
    origin: o.name,
    scheduledDate: o.datePlanned ?? new Date(),
    createdById: auth.user.id,
    moves: [...lines]
      .sort((a, b) => a.sequence - b.sequence || a.id - b.id)
      .map((l) => ({ productId: l.productId, description: l.description, quantity: l.quantity - l.qtyReceived, purchaseLineId: l.id })),
  });
}

/**
 * The drop-ship vendor's notification: the purchase_order email with its PDF (the delivery address
 * on both), through the outbox. A vendor without an email address gets a note on the PO for the buyer
 * instead: the confirmation stands.
 */
async function notifyDropshipVendor(t: Tx, auth: Auth, o: PurchaseOrderModel): Promise<void> {
  if (o.partner?.email) return emailToVendor(t, auth, o, 'purchase_order');
  await notePurchase(t, auth, o.id, `${o.partner?.name ?? 'The vendor'} has no email address: send them ${o.name} (drop-ship) another way.`);
}

/** Confirms an RFQ (draft or sent → purchase) inside t and creates its receipt (a call for tenders' choice confirms several at once). */
export async function confirmPurchaseIn(t: Tx, auth: Auth, id: number, version?: number): Promise<PurchaseOrderModel> {
  const o = await transitionPurchaseOrder(t, auth, id, 'confirm', {
    version,
    check: (po) => {
      if (!po.lines?.length) throw new InvalidStateError(`Cannot confirm ${po.name}: it has no lines`);
    },
  });
  await createReceipt(t, auth, o);
  // A drop-ship vendor is told at once what to ship where (the purchase order, the customer's address on it).
  if (o.dropshipAddress) await notifyDropshipVendor(t, auth, o);
  // A vendor with an order endpoint also gets it as signed JSON (sent after commit, retried).
  await queueVendorNotification(t, o, 'purchase_order.confirmed');
  return o;
}

/** Confirms an RFQ (draft or sent → purchase) and creates its receipt, in one transaction. */
export function confirmPurchaseOrder(auth: Auth, id: number, version?: number): Promise<PurchaseOrder> {
  return withTransaction(async (t) => purchaseOrderDto(t, await confirmPurchaseIn(t, auth, id, version)));
}

/**
 * Cancels a PO and its open receipts. Refused once goods were received (return them first), and while
 * sale orders wait on it unless forced: then each of those orders gets a note, and their deliveries
 * that waited for it take stock instead (as Odoo turns them make-to-stock).
 */
export function cancelPurchaseOrder(auth: Auth, id: number, opts: { version?: number; force?: boolean } = {}): Promise<PurchaseOrder> {
  return withTransaction(async (t) => {
    let waiting: Awaited<ReturnType<typeof waitingSaleOrders>> = [];
    const o = await transitionPurchaseOrder(t, auth, id, 'cancel', {
      version: opts.version,
      check: async (po) => {
        if ((po.lines ?? []).some((l) => l.qtyReceived > 0)) {
          throw new InvalidStateError(`Cannot cancel ${po.name}: goods were received for it; return them to the vendor first`);
        }
        waiting = await waitingSaleOrders(t, po);
        if (waiting.length && !opts.force) {
          throw new InvalidStateError(
            `${po.name} serves ${waiting.map((s) => s.name).join(', ')}: cancel with force to cancel anyway`,
            waiting.map((s) => ({ field: 'force', message: `${s.name} waits on ${po.name}` })),
          );
        }
      },
    });
    for (const p of await openPurchasePickings(t, o.id)) await cancelPickingIn(t, p);
    await queueVendorNotification(t, o, 'purchase_order.cancelled');
    await forgetSaleDemands(
      t,
      waiting.flatMap((s) => s.demands),
    );
    await procureRestFromStock(
      t,
      auth,
      waiting.flatMap((s) => s.demands.flatMap((d) => (d.kind === 'mto' && d.saleLineId ? [d.saleLineId] : []))),
    );
    for (const s of waiting) {
      await createMessage(t, {
        model: 'saleOrder',
        resId: s.id,
        type: 'note',
        body: `<p>${escapeHtml(o.name)}, bought for this order, was cancelled by ${escapeHtml(auth.user.name)}: what it was to bring is taken from stock or has to be ordered again.</p>`,
        author: { userId: auth.user.id, name: auth.user.name },
      });
    }
    o.lines?.forEach((l) => (l.demands = (l.demands ?? []).filter((d) => !waiting.some((s) => s.demands.includes(d)))));
    return purchaseOrderDto(t, o);
  });
}

/** Sets a cancelled PO back to an RFQ. */
export function draftPurchaseOrder(auth: Auth, id: number, version?: number): Promise<PurchaseOrder> {
  return withTransaction(async (t) => purchaseOrderDto(t, await transitionPurchaseOrder(t, auth, id, 'draft', { version })));
}

/**
 * After a receipt of a PO (or a return of one to the vendor) is validated, before the arrivals are
 * shared out: the lines' received quantities follow, and the units bought for sale lines (make-to-
 * order) are reserved for those lines' deliveries, oldest order first, never for others. What those
 * deliveries wait for and no receipt brings any more (validated without a backorder) takes stock.
 */
export async function receiveForPurchase(t: Tx, auth: Auth, p: PickingModel, done: DoneMove[], restCancelled = false): Promise<void> {
  if (!p.purchaseOrderId) return;
  const sign = p.type === 'incoming' || p.type === 'dropship' ? 1 : p.type === 'return' ? -1 : 0;
  const deltas = done.flatMap((d) => (d.move.purchaseLineId && sign ? [{ purchaseLineId: d.move.purchaseLineId, quantity: sign * d.quantity }] : []));
  if (!deltas.length) return;
  const shares = await receivePurchaseLines(t, p.purchaseOrderId, deltas, auth.user.id);
  for (const s of shares) await reserveForSaleLine(t, s.saleLineId, s.quantity, auth.user.id);
  // A rest not received and not backordered is not coming: the orders waiting for it take stock instead
  // (with a backorder everything still comes: no sale line of the PO is read again).
  if (restCancelled) await procureRestFromStock(t, auth, await mtoSaleLineIds(t, p.purchaseOrderId));
}
