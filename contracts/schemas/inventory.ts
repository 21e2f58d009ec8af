import { z } from 'zod';
import { MOVE_STATES, PICKING_STATES, PICKING_TYPES } from '../states';
import { afterCursorParam, listPageOf } from './common';

// Stock: quants (on hand per product and location), moves, pickings, adjustments, the stock report.
// Quantities are decimals (up to 3 places), like order line quantities.

const qty = z.number().nonnegative().multipleOf(0.001).max(1_000_000_000);

export const stockMove = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  productName: z.string(),
  sku: z.string(),
  description: z.string(),
  /** The demand. */
  quantity: z.number(),
  /** Reserved now (outgoing: taken from stock for this move). */
  quantityReserved: z.number(),
  /** Done (once the picking is validated), or entered for a partial validation. */
  quantityDone: z.number(),
  fromLocationId: z.number().int(),
  toLocationId: z.number().int(),
  state: z.enum(MOVE_STATES),
  saleLineId: z.number().int().nullable(),
});
export type StockMove = z.infer<typeof stockMove>;

export const pickingSummary = z.object({
  id: z.number().int(),
  name: z.string().describe('WH/OUT/00001, WH/IN/…, WH/RET/…'),
  type: z.enum(PICKING_TYPES),
  state: z.enum(PICKING_STATES),
  origin: z.string().nullable().describe('what it comes from, e.g. S00012 (a backorder keeps it)'),
  saleOrderId: z.number().int().nullable(),
  purchaseOrderId: z.number().int().nullable(),
  partnerId: z.number().int().nullable(),
  partnerName: z.string().nullable(),
  warehouseId: z.number().int(),
  fromLocationId: z.number().int(),
  toLocationId: z.number().int(),
  carrier: z.string().nullable(),
  trackingRef: z.string().nullable(),
  backorderOfId: z.number().int().nullable(),
  returnOfId: z.number().int().nullable(),
  scheduledDate: z.string(),
  dateDone: z.string().nullable(),
  /** Not done, and scheduled for a day before today. */
  late: z.boolean(),
  version: z.number().int(),
});
export type PickingSummary = z.infer<typeof pickingSummary>;

export const picking = pickingSummary.extend({
  moves: z.array(stockMove),
  returnReason: z.string().nullable(),
  /** The shipping address the goods go to (outgoing), from the order. */
  shippingAddress: z.record(z.string(), z.unknown()).nullable(),
});
export type Picking = z.infer<typeof picking>;

/** Open transfers by when they are due: `late` (scheduled before today), `today`. */
export const PICKING_DUE = ['late', 'today'] as const;
export type PickingDue = (typeof PICKING_DUE)[number];

export const pickingListQuery = z.object({
  type: z
    .union([z.enum(PICKING_TYPES), z.array(z.enum(PICKING_TYPES))])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  state: z
    .union([z.enum(PICKING_STATES), z.array(z.enum(PICKING_STATES))])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  saleOrderId: z.coerce.number().int().positive().optional(),
  purchaseOrderId: z.coerce.number().int().positive().optional().describe("a purchase order's receipts, their backorders and returns"),
  due: z.enum(PICKING_DUE).optional().describe('open transfers scheduled before today (late) or today (UTC days, as the late flag counts them)'),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  after: afterCursorParam,
});

/** The transfers lists' page: soonest scheduled first (then id), counted up to the limit, with the next page's cursor. */
export const pickingList = listPageOf(pickingSummary);
export type PickingList = z.infer<typeof pickingList>;

export const pickingPatch = z
  .object({
    version: z.number().int().nonnegative(),
    carrier: z.string().trim().max(100).nullable().optional(),
    trackingRef: z.string().trim().max(100).nullable().optional(),
    scheduledDate: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

export const pickingValidate = z
  .object({
    version: z.number().int().nonnegative().optional(),
    /** Done quantities per move; omitted: everything reserved (or, inbound, everything) is done. */
    moves: z.array(z.object({ id: z.number().int().positive(), quantityDone: qty })).optional(),
    /** For a partial validation: true (default) creates a backorder for the rest, false cancels the rest. */
    backorder: z.boolean().default(true),
    carrier: z.string().trim().max(100).nullable().optional(),
    trackingRef: z.string().trim().max(100).nullable().optional(),
  })
  .default({});

export const pickingReturn = z.object({
  lines: z
    .array(z.object({ productId: z.number().int().positive(), quantity: qty.positive() }))
    .min(1)
    .max(500),
  reason: z.string().trim().max(500).optional(),
});

export const stockAdjustment = z.object({
  productId: z.number().int().positive(),
  /** Default: the main warehouse's Stock. */
  locationId: z.number().int().positive().optional(),
  /** The counted quantity now on hand. */
  quantity: qty,
});

export const stockReportQuery = z.object({
  productId: z.coerce.number().int().positive().optional(),
  locationId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export const stockReportItem = z.object({
  productId: z.number().int(),
  productName: z.string(),
  sku: z.string(),
  locationId: z.number().int(),
  locationName: z.string(),
  onHand: z.number(),
  reserved: z.number(),
  incoming: z.number(),
  outgoing: z.number(),
  forecast: z.number(),
});
export type StockReportItem = z.infer<typeof stockReportItem>;
export const stockReport = z.object({ items: z.array(stockReportItem), total: z.number().int() });

export const pendingShipments = z.object({ inbound: z.array(pickingSummary), outbound: z.array(pickingSummary) });
export type PendingShipments = z.infer<typeof pendingShipments>;

/** Moves on-hand stock now: between internal locations (e.g. Returns back to Stock), or out to scrap. */
export const stockTransfer = z
  .object({
    productId: z.number().int().positive(),
    fromLocationId: z.number().int().positive(),
    /** An internal location, or omitted with scrap: true. */
    toLocationId: z.number().int().positive().optional(),
    scrap: z.boolean().default(false),
    quantity: qty.positive(),
    reason: z.string().trim().max(300).optional(),
  })
  .refine((v) => v.scrap !== (v.toLocationId !== undefined), { message: 'give toLocationId, or scrap: true', path: ['toLocationId'] });

/** A validated picking and the backorder made for the rest, if any. */
export const pickingValidated = z.object({ picking, backorder: picking.nullable() });

/** What importing a CSV of counted quantities did: the rows applied and the rows refused. */
export const stockImportResult = z.object({ applied: z.number(), errors: z.array(z.object({ row: z.number(), message: z.string() })) });
export type StockImportResult = z.infer<typeof stockImportResult>;
