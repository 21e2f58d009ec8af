import { Op, type WhereOptions } from 'sequelize';
import type { Tx } from '../../db/transaction';
import { escapeHtml } from '../../lib/html';
import type { Auth } from '../auth/access';
import { openIncomingByPurchaseLine } from '../inventory/picking.procurement';
import { createMessage } from '../chatter/chatter.service';
import { orderStates } from '../sales/sale-order.queries';
import { writePurchaseLines } from './purchase-order.create';
import { planPurchaseLines, r3 } from './purchase-order.lines';
import { PurchaseLineDemandModel, PurchaseOrderLineModel, PurchaseOrderModel } from './purchase-order.model';
import { mtoShares } from './purchase-order.receipts';
import { loadPurchase, publishPurchase, savePurchase } from './purchase-order.service';
import { snapshotPurchase, trackPurchase } from './purchase-order.tracking';

// What purchase lines were bought for, as sale orders change: an order that needs less (or is
// cancelled) lowers the draft RFQ lines bought for it and tells the buyer on each PO; a cancelled PO
// lets go of the orders it served. Which orders wait on a PO.

type DemandOnOrder = {
  demand: PurchaseLineDemandModel;
  line: Pick<PurchaseOrderLineModel, 'id' | 'orderId' | 'description'>;
  order: Pick<PurchaseOrderModel, 'id' | 'name' | 'state'>;
};

/** Demands with their purchase line and order, read in t. */
async function demandsWhere(t: Tx, where: WhereOptions<PurchaseLineDemandModel>): Promise<DemandOnOrder[]> {
  const demands = await PurchaseLineDemandModel.findAll({ where, order: [['id', 'ASC']], transaction: t });
  if (!demands.length) return [];
  const lines = await PurchaseOrderLineModel.findAll({
    where: { id: [...new Set(demands.map((d) => d.purchaseLineId))] },
    attributes: ['id', 'orderId', 'description'],
    transaction: t,
  });
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const orders = await PurchaseOrderModel.findAll({
    where: { id: [...new Set(lines.map((l) => l.orderId))] },
    attributes: ['id', 'name', 'state'],
    transaction: t,
  });
  const orderById = new Map(orders.map((o) => [o.id, o]));
  return demands.map((demand) => {
    const line = lineById.get(demand.purchaseLineId)!;
    return { demand, line, order: orderById.get(line.orderId)! };
  });
}

/**
 * What purchases cover of a make-to-order sale line: the quantity draft RFQs hold for it, what RFQs
 * sent bought for it, and what the open receipts of confirmed POs still bring for it (the units of a
 * PO line fall to its demands in turn, as mtoShares deals them; a receipt validated in part without
 * a backorder brings no more). Cancelled POs cover nothing.
 */
export async function mtoCover(t: Tx, saleLineId: number): Promise<{ draft: number; toCome: number }> {
  const mine = await PurchaseLineDemandModel.findAll({ where: { kind: 'mto', saleLineId }, attributes: ['purchaseLineId'], transaction: t });
  if (!mine.length) return { draft: 0, toCome: 0 };
  const lines = await PurchaseOrderLineModel.findAll({
    where: { id: [...new Set(mine.map((d) => d.purchaseLineId))] },
    attributes: ['id', 'orderId', 'qtyReceived'],
    include: [{ model: PurchaseLineDemandModel, as: 'demands' }],
    transaction: t,
  });
  const states = new Map(
    (await PurchaseOrderModel.findAll({ where: { id: [...new Set(lines.map((l) => l.orderId))] }, attributes: ['id', 'state'], transaction: t })).map((o) => [
      o.id,
      o.state,
    ]),
  );
  const incoming = await openIncomingByPurchaseLine(
    t,
    lines.map((l) => l.id),
  );
  let draft = 0;
  let toCome = 0;
  for (const line of lines) {
    const state = states.get(line.orderId);
    const bought = (line.demands ?? []).filter((d) => d.kind === 'mto' && d.saleLineId === saleLineId).reduce((s, d) => s + d.quantity, 0);
    if (state === 'cancel') continue;
    if (state === 'draft') draft = r3(draft + bought);
    else if (state === 'sent') toCome = r3(toCome + bought);
    else {
      // Confirmed: what its open receipts still bring, dealt to the demands after the units received.
      const coming = mtoShares(line.demands ?? [], line.qtyReceived, incoming.get(line.id) ?? 0)
        .filter((share) => share.saleLineId === saleLineId)
        .reduce((s, share) => s + share.quantity, 0);
      toCome = r3(toCome + coming);
    }
  }
  return { draft, toCome };
}

/** What drop-ship RFQs (draft) and POs sent or confirmed hold for a sale line; cancelled ones hold nothing. */
export async function dropshipCover(t: Tx, saleLineId: number): Promise<{ draft: number; bought: number }> {
  const demands = (await demandsWhere(t, { kind: 'dropship', saleLineId })).filter((d) => d.order.state !== 'cancel');
  const sum = (list: DemandOnOrder[]) => r3(list.reduce((s, d) => s + d.demand.quantity, 0));
  return { draft: sum(demands.filter((d) => d.order.state === 'draft')), bought: sum(demands.filter((d) => d.order.state !== 'draft')) };
}

/** The sale lines a purchase order's lines were bought for (make-to-order). */
export async function mtoSaleLineIds(t: Tx, purchaseOrderId: number): Promise<number[]> {
  const lines = await PurchaseOrderLineModel.findAll({ where: { orderId: purchaseOrderId }, attributes: ['id'], transaction: t });
  if (!lines.length) return [];
  const demands = await PurchaseLineDemandModel.findAll({
    where: { purchaseLineId: lines.map((l) => l.id), kind: 'mto', saleLineId: { [Op.ne]: null } },
    attributes: ['saleLineId'],
    transaction: t,
  });
  return [...new Set(demands.map((d) => d.saleLineId!))].sort((a, b) => a - b);
}

/** An internal note on a purchase order, for its buyer. */
export async function notePurchase(t: Tx, auth: Auth, purchaseOrderId: number, text: string): Promise<void> {
  await createMessage(t, {
    model: 'purchaseOrder',
    resId: purchaseOrderId,
    type: 'note',
    body: `<p>${escapeHtml(text)}</p>`,
    author: { userId: auth.user.id, name: auth.user.name },
  });
}

/** The sale orders (not cancelled) a purchase order's lines were bought for: make-to-order lines and delivery shortages. */
export async function waitingSaleOrders(t: Tx, o: PurchaseOrderModel): Promise<{ id: number; name: string; demands: PurchaseLineDemandModel[] }[]> {
  const demands = (o.lines ?? []).flatMap((l) =>
    (l.demands ?? []).filter((d) => d.saleOrderId !== null && (d.kind === 'mto' || d.kind === 'shortage' || d.kind === 'dropship')),
  );
  const states = await orderStates(
    t,
    demands.map((d) => d.saleOrderId),
  );
  const waiting = new Map<number, PurchaseLineDemandModel[]>();
  for (const d of demands) {
    if (states.get(d.saleOrderId!)?.state === 'cancel') continue;
    waiting.set(d.saleOrderId!, [...(waiting.get(d.saleOrderId!) ?? []), d]);
  }
  return [...waiting].sort(([a], [b]) => a - b).map(([id, list]) => ({ id, name: states.get(id)?.name ?? `#${id}`, demands: list }));
}

/** A cancelled purchase order lets go of what it was bought for (as Odoo unlinks the moves it would have fed). */
export async function forgetSaleDemands(t: Tx, demands: PurchaseLineDemandModel[]): Promise<void> {
  if (!demands.length) return;
  await PurchaseLineDemandModel.destroy({ where: { id: demands.map((d) => d.id) }, transaction: t });
}

/**
 * Takes quantities off a draft RFQ's demands, and their lines with them (a line down to nothing is
 * removed); prices and planned dates follow the new quantities. Tracked and published.
 */
async function lowerDraft(t: Tx, auth: Auth, purchaseOrderId: number, cuts: { demandId: number; quantity: number }[]): Promise<PurchaseOrderModel> {
  const o = await loadPurchase(t, purchaseOrderId, true);
  const before = { state: o.state, version: o.version };
  const tracked = snapshotPurchase(o);
  const lines = o.lines ?? [];
  const quantities = new Map(lines.map((l) => [l.id, l.quantity]));
  for (const cut of cuts) {
    const line = lines.find((l) => (l.demands ?? []).some((d) => d.id === cut.demandId));
    const demand = line?.demands?.find((d) => d.id === cut.demandId);
    if (!line || !demand) continue;
    const take = Math.min(cut.quantity, demand.quantity);
    demand.quantity = r3(demand.quantity - take);
    if (demand.quantity > 0) await demand.save({ transaction: t });
    else {
      await demand.destroy({ transaction: t });
      line.demands = line.demands!.filter((d) => d !== demand);
    }
    quantities.set(line.id, Math.max(0, r3(quantities.get(line.id)! - take)));
  }
  const kept = lines.filter((l) => quantities.get(l.id)! > 0);
  // A removed line's other demands go with it.
  const gone = lines.filter((l) => !kept.includes(l)).flatMap((l) => (l.demands ?? []).map((d) => d.id));
  if (gone.length) await PurchaseLineDemandModel.destroy({ where: { id: gone }, transaction: t });
  const plan = await planPurchaseLines(
    t,
    o.partnerId,
    o.dateOrder,
    lines,
    kept.map((l) => ({ id: l.id, productId: l.productId, description: l.description, quantity: quantities.get(l.id)!, taxIds: l.taxIds })),
  );
  await savePurchase(t, o, await writePurchaseLines(t, o.id, plan.lines, plan.removed));
  await trackPurchase(t, tracked, o, auth.user.id);
  publishPurchase(t, o, auth, before);
  return o;
}

/**
 * A confirmed sale order's line needs `amount` fewer units: the make-to-order demands of draft RFQs
 * are lowered first (newest first, their lines with them); what RFQs already sent or confirmed bought
 * stays, and each of those POs gets a note for the buyer (change it with the vendor, or it goes to stock).
 */
export async function lowerMtoDemand(
  t: Tx,
  auth: Auth,
  sale: { orderName: string; saleLineId: number },
  amount: number,
  kind: 'mto' | 'dropship' = 'mto',
): Promise<void> {
  const demands = (await demandsWhere(t, { kind, saleLineId: sale.saleLineId })).filter((d) => d.order.state !== 'cancel');
  let left = r3(amount);
  const drafts = demands.filter((d) => d.order.state === 'draft').reverse();
  const cutsByOrder = new Map<number, { demandId: number; quantity: number; description: string }[]>();
  for (const d of drafts) {
    if (left <= 0) break;
    const cut = Math.min(left, d.demand.quantity);
    cutsByOrder.set(d.order.id, [...(cutsByOrder.get(d.order.id) ?? []), { demandId: d.demand.id, quantity: cut, description: d.line.description }]);
    left = r3(left - cut);
  }
  for (const [orderId, cuts] of [...cutsByOrder].sort(([a], [b]) => a - b)) {
    const o = await lowerDraft(t, auth, orderId, cuts);
    for (const c of cuts) await notePurchase(t, auth, o.id, `${sale.orderName} needs ${c.quantity} fewer of ${c.description}: the RFQ line is lowered.`);
  }
  if (left <= 0) return;
  const bought = demands.filter((d) => d.order.state !== 'draft');
  for (const orderId of new Set(bought.map((d) => d.order.id))) {
    const line = bought.find((d) => d.order.id === orderId)!.line;
    await notePurchase(
      t,
      auth,
      orderId,
      `${sale.orderName} needs ${left} fewer of ${line.description} than was bought for it here. Change the order with the vendor if you can; what arrives beyond the need goes to stock.`,
    );
  }
}

/**
 * A sale order is cancelled: its make-to-order and drop-ship demands come off draft RFQs (their lines
 * lowered); POs already sent or confirmed keep their lines, the units go to stock when they arrive (no
 * open delivery is left to take them), or are to be called off with the drop-ship vendor. The buyer
 * gets a note on each PO.
 */
export async function releaseOrderDemands(t: Tx, auth: Auth, sale: { id: number; name: string }): Promise<void> {
  const demands = (await demandsWhere(t, { kind: ['mto', 'dropship'], saleOrderId: sale.id, quantity: { [Op.gt]: 0 } })).filter(
    (d) => d.order.state !== 'cancel',
  );
  for (const orderId of [...new Set(demands.map((d) => d.order.id))].sort((a, b) => a - b)) {
    const mine = demands.filter((d) => d.order.id === orderId);
    const what = mine.map((d) => `${d.demand.quantity} × ${d.line.description}`).join(', ');
    if (mine[0]!.order.state === 'draft') {
      await lowerDraft(
        t,
        auth,
        orderId,
        mine.map((d) => ({ demandId: d.demand.id, quantity: d.demand.quantity })),
      );
      await notePurchase(t, auth, orderId, `${sale.name} was cancelled: ${what} bought for it came off this RFQ.`);
    } else {
      await notePurchase(
        t,
        auth,
        orderId,
        mine.some((d) => d.demand.kind === 'dropship')
          ? `${sale.name} was cancelled: ${what} bought for it is still to be shipped to its customer; cancel the order with the vendor.`
          : `${sale.name} was cancelled: ${what} bought for it will go to stock when received, unless the order is changed with the vendor.`,
      );
    }
  }
}
