import { QueryTypes } from 'sequelize';
import { db } from '../../db/sequelize';
import type { Tx } from '../../db/transaction';
import { r3 } from './purchase-order.lines';

// What purchasing adds to a forecast and to a shortage: quantities on RFQs not yet confirmed, and what
// open purchases already cover of a delivery's shortage.

const CHUNK = 1000;

/**
 * Per product, the quantities on the warehouse's draft and sent RFQs. A confirmed PO is left out: its
 * receipt's moves count as incoming already. Drop-ship POs never reach the warehouse's stock. The RFQs
 * of a call for tenders ask several vendors for the same goods: a draft or open tender counts its own
 * lines once instead.
 */
export async function rfqQuantities(t: Tx | null, warehouseId: number, productIds: number[]): Promise<Map<number, number>> {
  const ids = [...new Set(productIds)];
  const out = new Map<number, number>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db().query<{ productId: number; quantity: string | number }>(
      `SELECT l.productId, SUM(l.quantity) AS quantity FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.orderId
         WHERE o.state IN ('draft', 'sent') AND o.warehouseId = :warehouseId AND o.dropshipAddress IS NULL AND o.tenderId IS NULL
           AND l.productId IN (:ids)
         GROUP BY l.productId
       UNION ALL
       SELECT l.productId, SUM(l.quantity) AS quantity FROM tender_lines l JOIN tenders d ON d.id = l.tenderId
         WHERE d.state IN ('draft', 'open') AND d.warehouseId = :warehouseId AND l.productId IN (:ids)
         GROUP BY l.productId`,
      { replacements: { warehouseId, ids: ids.slice(i, i + CHUNK) }, type: QueryTypes.SELECT, transaction: t },
    );
    for (const r of rows) out.set(Number(r.productId), r3((out.get(Number(r.productId)) ?? 0) + Number(r.quantity)));
  }
  return out;
}

export type ShortageCover = { quantity: number; orders: string[] };

/**
 * Per product, what open purchases (draft, sent or confirmed) ordered for a sale order's shortages and
 * have not received yet: each shortage demand counts up to what its line still has to receive.
 */
export async function shortageCover(t: Tx | null, saleOrderId: number): Promise<Map<number, ShortageCover>> {
  const rows = await db().query<{ productId: number; name: string; quantity: string | number; toReceive: string | number }>(
    `SELECT l.productId, o.name, d.quantity, l.quantity - l.qtyReceived AS toReceive FROM purchase_line_demands d
       JOIN purchase_order_lines l ON l.id = d.purchaseLineId JOIN purchase_orders o ON o.id = l.orderId
       WHERE d.kind = 'shortage' AND d.saleOrderId = :saleOrderId AND o.state IN ('draft', 'sent', 'purchase')`,
    { replacements: { saleOrderId }, type: QueryTypes.SELECT, transaction: t },
  );
  const out = new Map<number, ShortageCover>();
  for (const r of rows) {
    const covered = Math.max(0, Math.min(Number(r.quantity), Number(r.toReceive)));
    if (covered <= 0) continue;
    const c = out.get(Number(r.productId)) ?? { quantity: 0, orders: [] };
    c.quantity = r3(c.quantity + covered);
    if (!c.orders.includes(r.name)) c.orders.push(r.name);
    out.set(Number(r.productId), c);
  }
  return out;
}
