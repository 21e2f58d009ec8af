import type { z } from 'zod';
import type { pickingTender, Tender, tenderChoose } from '../../contracts/schemas/tenders';
import { withTransaction, type Tx } from '../db/transaction';
import { InvalidStateError, ValidationError } from '../http/errors';
import { escapeHtml } from '../lib/html';
import { requireAccess, type Auth } from '../modules/auth/access';
import { createMessage } from '../modules/chatter/chatter.service';
import { deliveryShortage } from '../modules/inventory/picking.shortage';
import { PurchaseLineDemandModel, PurchaseOrderLineModel } from '../modules/purchasing/purchase-order.model';
import { loadPurchase, publishPurchase, savePurchase } from '../modules/purchasing/purchase-order.service';
import { snapshotPurchase, trackPurchase } from '../modules/purchasing/purchase-order.tracking';
import { createTenderIn, lockTenderFor } from '../modules/purchasing/tender.actions';
import { declineTenderRfq } from '../modules/purchasing/tender.mail';
import { isOpenRfq, saveAndPublishTender, snapshotTender, tenderDto, tenderRfqs, trackTender } from '../modules/purchasing/tender.service';
import { orderNames } from '../modules/sales/sale-order.queries';
import { confirmPurchaseIn } from './purchase.workflow';
import { coveredShortage } from './replenishment.shortage';

// A call for tenders where purchasing meets the warehouse: choosing confirms purchase orders (their
// receipts created), and a delivery waiting for stock can start one for its shortage.

type Choice = z.output<typeof tenderChoose>;

/** Which RFQ each tender line is bought from, checked against the tender (400 naming the field). */
function picksOf(choice: Choice, lineIds: number[], rfqs: Awaited<ReturnType<typeof tenderRfqs>>): Map<number, number> {
  const rfqOf = (id: number, field: string) => {
    const o = rfqs.find((r) => r.id === id);
    if (!o) throw ValidationError.field(field, `purchase order ${id} is not an RFQ of this call for tenders`);
    if (!isOpenRfq(o)) throw ValidationError.field(field, `${o.name} is ${o.state}: choose among the RFQs still open`);
    return o;
  };
  const picks = new Map<number, number>();
  if ('purchaseOrderId' in choice) {
    const o = rfqOf(choice.purchaseOrderId, 'purchaseOrderId');
    for (const lineId of lineIds) picks.set(lineId, o.id);
    return picks;
  }
  choice.lines.forEach((c, i) => {
    if (!lineIds.includes(c.lineId)) throw ValidationError.field(`lines.${i}.lineId`, `line ${c.lineId} is not a line of this call for tenders`);
    if (picks.has(c.lineId)) throw ValidationError.field(`lines.${i}.lineId`, `line ${c.lineId} is chosen more than once`);
    const o = rfqOf(c.purchaseOrderId, `lines.${i}.purchaseOrderId`);
    if (!(o.lines ?? []).some((l) => l.tenderLineId === c.lineId)) {
      throw ValidationError.field(`lines.${i}.purchaseOrderId`, `${o.name} has no line for this tender line any more`);
    }
    picks.set(c.lineId, o.id);
  });
  return picks;
}

/** A winning RFQ keeps only its chosen lines (the others, and what they were bought for, removed; tracked). */
async function keepChosenLines(t: Tx, auth: Auth, purchaseOrderId: number, chosen: Set<number>): Promise<void> {
  const o = await loadPurchase(t, purchaseOrderId, true);
  const lines = o.lines ?? [];
  const dropped = lines.filter((l) => l.tenderLineId === null || !chosen.has(l.tenderLineId));
  if (!dropped.length) return;
  const before = { state: o.state, version: o.version };
  const tracked = snapshotPurchase(o);
  const ids = dropped.map((l) => l.id);
  await PurchaseLineDemandModel.destroy({ where: { purchaseLineId: ids }, transaction: t });
  await PurchaseOrderLineModel.destroy({ where: { id: ids }, transaction: t });
  await savePurchase(
    t,
    o,
    lines.filter((l) => !ids.includes(l.id)),
  );
  await trackPurchase(t, tracked, o, auth.user.id);
  publishPurchase(t, o, auth, before);
}

/**
 * Choose, in one transaction: per line the vendor (or one vendor for all); each vendor with chosen lines
 * has its RFQ keep only those and confirmed (its receipt created); every other open RFQ is cancelled with
 * a polite email. An open tender only: choosing twice, or after cancelling, is a 422.
 */
export function chooseTender(auth: Auth, id: number, choice: Choice): Promise<Tender> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const tender = await lockTenderFor(t, auth, id, 'choose on', ['open'], choice.version);
    const before = { state: tender.state, version: tender.version };
    const tracked = snapshotTender(tender);
    const rfqs = await tenderRfqs(t, [tender.id]);
    const picks = picksOf(
      choice,
      (tender.lines ?? []).map((l) => l.id),
      rfqs,
    );
    const summary: string[] = [];
    for (const o of rfqs.filter(isOpenRfq)) {
      const chosen = new Set([...picks].filter(([, po]) => po === o.id).map(([lineId]) => lineId));
      if (!chosen.size) {
        await declineTenderRfq(t, auth, o.id, { tenderCancelled: false });
        continue;
      }
      await keepChosenLines(t, auth, o.id, chosen);
      await confirmPurchaseIn(t, auth, o.id);
      const what = (tender.lines ?? []).filter((l) => chosen.has(l.id)).map((l) => `[${l.product?.sku ?? l.productId}] ${l.product?.name ?? ''}`.trim());
      summary.push(`${o.partner?.name ?? o.partnerId} (${o.name}): ${what.join(', ')}`);
    }
    tender.state = 'chosen';
    tender.chosenAt = new Date();
    await trackTender(t, tracked, tender, auth.user.id);
    await createMessage(t, {
      model: 'tender',
      resId: tender.id,
      type: 'note',
      body: `<p>Chosen by ${escapeHtml(auth.user.name)}:</p><ul>${summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`,
      author: { userId: auth.user.id, name: auth.user.name },
    });
    await saveAndPublishTender(t, tender, auth, before);
    return tenderDto(t, tender);
  });
}

/**
 * "Call for tenders" on a delivery waiting for stock: a draft tender for its shortage not yet on order
 * (each line recorded as a shortage of the delivery's sale order, as "Order N more" does), asked of the
 * products' vendors unless given. All of it on order already is a 422.
 */
export function tenderForShortage(auth: Auth, pickingId: number, body: z.output<typeof pickingTender>): Promise<Tender> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const delivery = await deliveryShortage(t, auth, pickingId);
    if (!delivery.saleOrderId) throw new InvalidStateError(`${delivery.name} delivers no sale order: start a call for tenders from the replenishment page`);
    const covered = await coveredShortage(t, delivery);
    const lines = covered.products.filter((p) => p.toOrder > 0);
    if (!lines.length) {
      throw new InvalidStateError(`${delivery.name}'s shortage is on order already (${covered.orders.join(', ')}): nothing more to ask vendors for`);
    }
    const orderName = (await orderNames(t, [delivery.saleOrderId])).get(delivery.saleOrderId);
    const tender = await createTenderIn(t, auth, {
      deadline: body.deadline,
      warehouseId: delivery.warehouseId,
      origin: orderName ? `${delivery.name} (${orderName})` : delivery.name,
      vendorIds: body.vendorIds,
      lines: lines.map((p) => ({ productId: p.productId, quantity: p.toOrder, demandKind: 'shortage', saleOrderId: delivery.saleOrderId })),
    });
    return tenderDto(t, tender);
  });
}
