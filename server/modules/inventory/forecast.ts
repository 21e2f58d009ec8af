import { QueryTypes } from 'sequelize';
import { db } from '../../db/sequelize';
import type { Tx } from '../../db/transaction';
import { warehouseLocations } from './picking.service';
import { r3 } from './quants';

// The stock side of a product's forecast in a warehouse, read in a few queries for many products at
// once (the reorder scheduler reads thousands). When it may have moved: forecast.listeners.ts.

/** A warehouse's Stock: on hand, open moves into it (receipts), open moves out of it (deliveries, reserved and waiting). */
export type ForecastParts = { onHand: number; incoming: number; outgoing: number };

const OPEN_MOVES = ['confirmed', 'partially_available', 'assigned', 'waiting'];
const CHUNK = 1000;

type Row = { productId: number; onHand: string | number; incoming: string | number; outgoing: string | number };

/**
 * The forecast parts of each product in the warehouse's Stock location (products with nothing there
 * get zeros). Three indexed passes per thousand products; t null reads outside a transaction.
 */
export async function forecastParts(t: Tx | null, warehouseId: number, productIds: number[]): Promise<Map<number, ForecastParts>> {
  const ids = [...new Set(productIds)];
  const parts = new Map<number, ForecastParts>(ids.map((id) => [id, { onHand: 0, incoming: 0, outgoing: 0 }]));
  if (!ids.length) return parts;
  const stock = (await warehouseLocations(t, warehouseId)).stock;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db().query<Row>(
      `SELECT productId, SUM(onHand) AS onHand, SUM(incoming) AS incoming, SUM(outgoing) AS outgoing FROM (
         SELECT productId, quantity AS onHand, 0 AS incoming, 0 AS outgoing FROM stock_quants
           WHERE locationId = :stock AND productId IN (:ids)
         UNION ALL
         SELECT productId, 0, quantity, 0 FROM stock_moves
           WHERE productId IN (:ids) AND state IN (:open) AND toLocationId = :stock AND fromLocationId <> :stock
         UNION ALL
         SELECT productId, 0, 0, quantity FROM stock_moves
           WHERE productId IN (:ids) AND state IN (:open) AND fromLocationId = :stock AND toLocationId <> :stock
       ) AS figures GROUP BY productId`,
      { replacements: { stock, ids: ids.slice(i, i + CHUNK), open: OPEN_MOVES }, type: QueryTypes.SELECT, transaction: t },
    );
    for (const r of rows) parts.set(Number(r.productId), { onHand: r3(Number(r.onHand)), incoming: r3(Number(r.incoming)), outgoing: r3(Number(r.outgoing)) });
  }
  return parts;
}

/** The products that open moves take out of the warehouse's Stock (deliveries waiting or reserved). */
export async function demandedProductIds(t: Tx | null, warehouseId: number): Promise<number[]> {
  const stock = (await warehouseLocations(t, warehouseId)).stock;
  const rows = await db().query<{ productId: number }>(
    'SELECT DISTINCT productId FROM stock_moves WHERE state IN (:open) AND fromLocationId = :stock AND toLocationId <> :stock',
    { replacements: { stock, open: OPEN_MOVES }, type: QueryTypes.SELECT, transaction: t },
  );
  return rows.map((r) => Number(r.productId));
}
