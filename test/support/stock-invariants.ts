import { QueryTypes } from 'sequelize';
import { expect } from 'vitest';
import { db } from '../../server/db/sequelize';

const n = (v: unknown) => Math.round(Number(v ?? 0) * 1000) / 1000;

/**
 * The stock invariants, read straight from the database: in every internal location, on hand equals
 * what done moves brought in minus what they took out; reserved is never negative nor above on hand,
 * and equals what the open moves out of it hold.
 */
export async function expectStockInvariants(): Promise<void> {
  const quants = await db().query<{ productId: number; locationId: number; quantity: string; reservedQuantity: string }>(
    `SELECT q.productId, q.locationId, q.quantity, q.reservedQuantity FROM stock_quants q JOIN locations l ON l.id = q.locationId WHERE l.kind = 'internal'`,
    { type: QueryTypes.SELECT },
  );
  const moved = await db().query<{ productId: number; locationId: number; qty: string }>(
    `SELECT productId, locationId, SUM(qty) AS qty FROM (
       SELECT productId, toLocationId AS locationId, quantityDone AS qty FROM stock_moves WHERE state = 'done'
       UNION ALL
       SELECT productId, fromLocationId, -quantityDone FROM stock_moves WHERE state = 'done'
     ) AS m GROUP BY productId, locationId`,
    { type: QueryTypes.SELECT },
  );
  const reservedByMoves = await db().query<{ productId: number; locationId: number; qty: string }>(
    `SELECT m.productId, m.fromLocationId AS locationId, SUM(m.quantityReserved) AS qty FROM stock_moves m JOIN products p ON p.id = m.productId
     WHERE m.state NOT IN ('done', 'cancel') AND p.type = 'storable' GROUP BY m.productId, m.fromLocationId`,
    { type: QueryTypes.SELECT },
  );
  const key = (r: { productId: number; locationId: number }) => `${r.productId}:${r.locationId}`;
  const movedBy = new Map(moved.map((r) => [key(r), n(r.qty)]));
  const reservedBy = new Map(reservedByMoves.map((r) => [key(r), n(r.qty)]));
  for (const q of quants) {
    const where = `product ${q.productId} in location ${q.locationId}`;
    expect(n(q.quantity), `on hand = done moves, ${where}`).toBe(movedBy.get(key(q)) ?? 0);
    expect(n(q.reservedQuantity), `reserved >= 0, ${where}`).toBeGreaterThanOrEqual(0);
    expect(n(q.reservedQuantity), `reserved <= on hand, ${where}`).toBeLessThanOrEqual(n(q.quantity));
    expect(n(q.reservedQuantity), `reserved = open moves' reservations, ${where}`).toBe(reservedBy.get(key(q)) ?? 0);
  }
}
