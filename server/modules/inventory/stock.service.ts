import { parse } from 'csv-parse/sync';
import { Op, QueryTypes } from 'sequelize';
import type { z } from 'zod';
import type { StockReportItem, stockReportQuery, stockTransfer } from '../../../contracts/schemas/inventory';
import { db } from '../../db/sequelize';
import { withTransaction, type Tx } from '../../db/transaction';
import { InvalidStateError, ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { findProduct, productBySku, storableProducts } from '../catalog/product.service';
import { publishPicking } from './picking.mapper';
import { lostMtoUnits } from './picking.procurement';
import { loadPicking, refreshState, reserveArrivals, warehouseLocations } from './picking.service';
import { completeMove, lockFree, locationKind, r3, setOnHand, unreserveMove } from './quants';
import { MoveModel } from './stock.model';
import { LocationModel } from './warehouse.model';

// Counting stock (adjustments, one at a time or from a CSV of counts) and the stock report.

async function mainStock(t: Tx | null): Promise<number> {
  const first = await LocationModel.findOne({ where: { kind: 'internal', isReturns: false }, order: [['id', 'ASC']], transaction: t });
  if (!first) throw new Error('no internal location: migrations did not run');
  return first.id;
}

/**
 * Sets the counted on-hand of a storable product in an internal location (a done move from or to
 * Inventory adjustment). More stock goes to waiting pickings, oldest first; less than is reserved
 * takes the reservation back from the newest pickings first.
 */
export async function adjustIn(t: Tx, input: { productId: number; locationId?: number; quantity: number }): Promise<void> {
  const product = await findProduct(t, input.productId).catch(() => {
    throw ValidationError.field('productId', `product ${input.productId} does not exist`);
  });
  if (product.type !== 'storable') throw ValidationError.field('productId', `${product.name} is a ${product.type}: only storable products have stock`);
  const locationId = input.locationId ?? (await mainStock(t));
  const location = await LocationModel.findByPk(locationId, { transaction: t });
  if (!location) throw ValidationError.field('locationId', `location ${locationId} does not exist`);
  if ((await locationKind(t, locationId)) !== 'internal') throw ValidationError.field('locationId', `${location.name} is not a stock location`);
  const adjustment = await warehouseLocations(t, location.warehouseId ?? 1).then((l) => l.adjustment);
  const { delta, quant } = await setOnHand(t, product.id, locationId, r3(input.quantity), adjustment);
  if (delta > 0) await reserveArrivals(t, [{ productId: product.id, locationId }]);
  if (quant.reservedQuantity > quant.quantity) await takeBackReservations(t, product.id, locationId, r3(quant.reservedQuantity - quant.quantity));
}

async function takeBackReservations(t: Tx, productId: number, locationId: number, excess: number): Promise<void> {
  const moves = await MoveModel.findAll({
    where: { productId, fromLocationId: locationId, state: ['assigned', 'partially_available'], quantityReserved: { [Op.gt]: 0 } },
    order: [['id', 'DESC']],
    transaction: t,
    lock: t.LOCK.UPDATE,
  });
  for (const m of moves) {
    if (excess <= 0) break;
    const give = Math.min(excess, m.quantityReserved);
    await unreserveMove(t, m, true, give);
    // Units received for an order that are gone: its delivery takes stock for them now.
    await lostMtoUnits(t, m, give);
    excess = r3(excess - give);
    if (m.pickingId) {
      const p = await loadPicking(t, m.pickingId, true);
      await refreshState(t, p);
      publishPicking(t, p);
    }
  }
}

export async function adjustStock(auth: Auth, input: { productId: number; locationId?: number; quantity: number }): Promise<StockReportItem> {
  requireAccess(auth, 'inventory.write');
  await withTransaction((t) => adjustIn(t, input));
  const locationId = input.locationId ?? (await mainStock(null));
  const report = await stockReport(auth, { productId: input.productId, locationId, limit: 1, offset: 0 });
  return report.items[0]!;
}

/**
 * Counted quantities from a CSV (`sku,quantity[,location]`, a header row, comma or semicolon): each
 * row in its own transaction, so a bad row is reported and the good ones are applied.
 */
export async function importCounts(auth: Auth, file: { buffer: Buffer } | undefined): Promise<{ applied: number; errors: { row: number; message: string }[] }> {
  requireAccess(auth, 'inventory.write');
  if (!file) throw ValidationError.field('file', 'is required (multipart form field "file")');
  const text = file.buffer.toString('utf8').replace(/^\uFEFF/, '');
  const delimiter = (text.split('\n')[0] ?? '').includes(';') ? ';' : ',';
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), delimiter, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw ValidationError.field('file', `is not a readable CSV: ${(err as Error).message}`);
  }
  if (records.length && !('sku' in records[0]! && 'quantity' in records[0]!)) throw ValidationError.field('file', 'needs the columns sku and quantity');
  const locations = await LocationModel.findAll();
  const errors: { row: number; message: string }[] = [];
  let applied = 0;
  for (const [i, r] of records.entries()) {
    const row = i + 2;
    const quantity = Number(String(r.quantity).replace(',', '.'));
    if (!r.sku || !Number.isFinite(quantity) || quantity < 0) {
      errors.push({ row, message: !r.sku ? 'sku is empty' : `quantity "${r.quantity}" is not a number of 0 or more` });
      continue;
    }
    const product = await productBySku(null, r.sku);
    if (!product) {
      errors.push({ row, message: `no product with SKU ${r.sku}` });
      continue;
    }
    const location = r.location ? locations.find((l) => l.name.toLowerCase() === r.location!.toLowerCase() || String(l.id) === r.location) : undefined;
    if (r.location && !location) {
      errors.push({ row, message: `no location ${r.location}` });
      continue;
    }
    try {
      await withTransaction((t) => adjustIn(t, { productId: product.id, locationId: location?.id, quantity }));
      applied++;
    } catch (err) {
      if (err instanceof ValidationError) errors.push({ row, message: err.message.replace(/^\w+: /, '') });
      else throw err;
    }
  }
  return { applied, errors };
}

type ReportRow = {
  productId: number;
  locationId: number;
  onHand: string | number;
  reserved: string | number;
  incoming: string | number;
  outgoing: string | number;
};

/**
 * Per product and internal location: on hand and reserved (quants), incoming and outgoing (open
 * moves into and out of it), forecast = on hand + incoming − outgoing.
 */
export async function stockReport(auth: Auth, query: z.output<typeof stockReportQuery>): Promise<{ items: StockReportItem[]; total: number }> {
  requireAccess(auth, 'inventory.read');
  const internal = (await LocationModel.findAll({ where: { kind: 'internal' } })).filter((l) => !query.locationId || l.id === query.locationId);
  if (!internal.length) return { items: [], total: 0 };
  const products = await storableProducts(null, { productId: query.productId, q: query.q });
  if (!products.length) return { items: [], total: 0 };
  const productIds = products.map((p) => p.id);
  const locationIds = internal.map((l) => l.id);
  const open = ['confirmed', 'partially_available', 'assigned', 'waiting'];
  // One pass per figure over the indexed tables; only rows with something to show come back.
  const rows = await db().query<ReportRow>(
    `SELECT productId, locationId, SUM(onHand) AS onHand, SUM(reserved) AS reserved, SUM(incoming) AS incoming, SUM(outgoing) AS outgoing FROM (
       SELECT productId, locationId, quantity AS onHand, reservedQuantity AS reserved, 0 AS incoming, 0 AS outgoing FROM stock_quants
         WHERE productId IN (:productIds) AND locationId IN (:locationIds)
       UNION ALL
       SELECT productId, toLocationId, 0, 0, quantity, 0 FROM stock_moves
         WHERE state IN (:open) AND productId IN (:productIds) AND toLocationId IN (:locationIds)
       UNION ALL
       SELECT productId, fromLocationId, 0, 0, 0, quantity FROM stock_moves
         WHERE state IN (:open) AND productId IN (:productIds) AND fromLocationId IN (:locationIds)
     ) AS figures GROUP BY productId, locationId`,
    { replacements: { productIds, locationIds, open }, type: QueryTypes.SELECT },
  );
  const byKey = new Map(rows.map((r) => [`${r.productId}:${r.locationId}`, r]));
  const items: StockReportItem[] = [];
  for (const p of products) {
    for (const l of internal) {
      const r = byKey.get(`${p.id}:${l.id}`);
      // Without a filter on both, a product shows in the locations where it has something (its main Stock at least).
      if (!r && !(query.productId && query.locationId) && (l.isReturns || l.id !== internal[0]!.id)) continue;
      const onHand = r3(Number(r?.onHand ?? 0));
      const incoming = r3(Number(r?.incoming ?? 0));
      const outgoing = r3(Number(r?.outgoing ?? 0));
      items.push({
        productId: p.id,
        productName: p.name,
        sku: p.sku,
        locationId: l.id,
        locationName: l.name,
        onHand,
        reserved: r3(Number(r?.reserved ?? 0)),
        incoming,
        outgoing,
        forecast: r3(onHand + incoming - outgoing),
      });
    }
  }
  return { items: items.slice(query.offset, query.offset + query.limit), total: items.length };
}

/**
 * Moves free stock now: from an internal location to another (Returns back to Stock) or to scrap (out
 * of stock for good, through Inventory adjustment). Reserved stock stays where it is.
 */
export async function transferStock(auth: Auth, input: z.output<typeof stockTransfer>): Promise<StockReportItem[]> {
  requireAccess(auth, 'inventory.write');
  const product = await findProduct(null, input.productId).catch(() => {
    throw ValidationError.field('productId', `product ${input.productId} does not exist`);
  });
  if (product.type !== 'storable') throw ValidationError.field('productId', `${product.name} is a ${product.type}: only storable products have stock`);
  const from = await LocationModel.findByPk(input.fromLocationId);
  if (!from || from.kind !== 'internal') throw ValidationError.field('fromLocationId', `location ${input.fromLocationId} is not a stock location`);
  const to = input.toLocationId ? await LocationModel.findByPk(input.toLocationId) : null;
  if (input.toLocationId && (!to || to.kind !== 'internal' || to.id === from.id)) {
    throw ValidationError.field('toLocationId', `location ${input.toLocationId} is not another stock location`);
  }
  const quantity = r3(input.quantity);
  await withTransaction(async (t) => {
    const { free, reserved } = await lockFree(t, product.id, from.id);
    if (quantity > free) throw new InvalidStateError(`Only ${free} of ${product.name} can move from ${from.name} (${reserved} reserved)`);
    const toLocationId = to?.id ?? (await warehouseLocations(t, from.warehouseId ?? 1)).adjustment;
    const m = await MoveModel.create(
      {
        pickingId: null,
        productId: product.id,
        description: (input.scrap ? `Scrap${input.reason ? `: ${input.reason}` : ''}` : `Transfer${input.reason ? `: ${input.reason}` : ''}`).slice(0, 300),
        quantity,
        fromLocationId: from.id,
        toLocationId,
        state: 'assigned',
        saleLineId: null,
        originMoveId: null,
        dateDone: null,
      },
      { transaction: t },
    );
    await completeMove(t, m, quantity, true);
    if (to) await reserveArrivals(t, [{ productId: product.id, locationId: to.id }]);
  });
  const items = [];
  for (const locationId of [from.id, ...(to ? [to.id] : [])]) {
    items.push(...(await stockReport(auth, { productId: product.id, locationId, limit: 1, offset: 0 })).items);
  }
  return items;
}
