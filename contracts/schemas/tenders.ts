import { z } from 'zod';
import { TENDER_STATES } from '../states';
import { listQuery } from './common';
import { quantity } from './sales';

// Calls for tenders: lines (products, quantities), a deadline and vendors; one RFQ per vendor, their
// answers compared per line, the chosen lines confirmed as purchase orders. Money in integer cents.

const deadline = z.string().datetime({ offset: true }).describe('ISO 8601: when the vendors should have answered');

export const tenderLineInput = z.object({ productId: z.number().int().positive(), quantity }).strict();

export const tenderCreate = z
  .object({
    deadline,
    warehouseId: z.number().int().positive().optional(),
    origin: z.string().trim().max(500).nullable().optional().describe('what it was started from (Replenishment, WH/OUT/00003)'),
    note: z.string().max(10_000).nullable().optional(),
    lines: z.array(tenderLineInput).min(1).max(200),
    vendorIds: z.array(z.number().int().positive()).min(1).max(50).optional().describe("the vendors asked; default: every vendor of the lines' products"),
  })
  .strict();
export type TenderCreate = z.input<typeof tenderCreate>;

export const tenderPatch = z
  .object({
    version: z.number().int().nonnegative(),
    deadline: deadline.optional(),
    note: z.string().max(10_000).nullable().optional(),
  })
  .strict();

export const tenderAction = z.object({ version: z.number().int().nonnegative().optional() }).strict().optional();

export const tenderChoose = z.union([
  z
    .object({
      version: z.number().int().nonnegative().optional(),
      lines: z
        .array(z.object({ lineId: z.number().int().positive(), purchaseOrderId: z.number().int().positive() }).strict())
        .min(1)
        .max(200)
        .describe('per tender line, the RFQ (vendor) it is bought from; lines left out are not bought'),
    })
    .strict(),
  z
    .object({
      version: z.number().int().nonnegative().optional(),
      purchaseOrderId: z.number().int().positive().describe('every line from this RFQ (vendor)'),
    })
    .strict(),
]);
export type TenderChoose = z.input<typeof tenderChoose>;

export const tenderLine = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  sku: z.string(),
  productName: z.string(),
  quantity: z.number(),
});
export type TenderLine = z.infer<typeof tenderLine>;

export const tenderRfq = z.object({
  id: z.number().int(),
  name: z.string(),
  partnerId: z.number().int(),
  partnerName: z.string(),
  state: z.string(),
  quotedAt: z.string().nullable(),
  amountUntaxed: z.number().int(),
});

export const tenderSummary = z.object({
  id: z.number().int(),
  name: z.string().describe('T00001'),
  state: z.enum(TENDER_STATES),
  warehouseId: z.number().int(),
  deadline: z.string(),
  /** The deadline is past and the tender is still open. */
  deadlinePassed: z.boolean(),
  origin: z.string().nullable(),
  vendorIds: z.array(z.number().int()),
  purchaseOrderIds: z.array(z.number().int()),
  /** How many vendors answered, of how many asked (cancelled RFQs aside). */
  answered: z.number().int(),
  asked: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type TenderSummary = z.infer<typeof tenderSummary>;

export const tender = tenderSummary.extend({
  note: z.string().nullable(),
  createdById: z.number().int().nullable(),
  chosenAt: z.string().nullable(),
  lines: z.array(tenderLine),
  purchaseOrders: z.array(tenderRfq),
});
export type Tender = z.infer<typeof tender>;

export const tenderOffer = z.object({
  purchaseOrderId: z.number().int(),
  partnerId: z.number().int(),
  purchaseLineId: z.number().int().nullable(),
  /** The vendor answered for this line. */
  quoted: z.boolean(),
  unitPrice: z.number().int().nullable(),
  subtotal: z.number().int().nullable(),
  leadDays: z.number().int().nullable(),
  bestPrice: z.boolean(),
  fastest: z.boolean(),
  /** The line is bought from this vendor (after the choice). */
  chosen: z.boolean(),
});
export type TenderOffer = z.infer<typeof tenderOffer>;

export const tenderComparison = z.object({
  tenderId: z.number().int(),
  state: z.enum(TENDER_STATES),
  deadline: z.string(),
  deadlinePassed: z.boolean(),
  currency: z.string(),
  vendors: z.array(
    z.object({
      purchaseOrderId: z.number().int(),
      purchaseOrderName: z.string(),
      partnerId: z.number().int(),
      partnerName: z.string(),
      state: z.string(),
      answered: z.boolean(),
      quotedAt: z.string().nullable(),
      validUntil: z.string().nullable(),
      /** The untaxed total of the lines it quoted. */
      total: z.number().int().nullable(),
      /** Its longest quoted lead time. */
      leadDays: z.number().int().nullable(),
      quotedLines: z.number().int(),
    }),
  ),
  lines: z.array(
    tenderLine.extend({
      offers: z.array(tenderOffer),
      bestPricePurchaseOrderId: z.number().int().nullable(),
      fastestPurchaseOrderId: z.number().int().nullable(),
    }),
  ),
});
export type TenderComparison = z.infer<typeof tenderComparison>;

export const tenderListQuery = listQuery.omit({ sort: true }).extend({
  state: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',') : undefined))
    .pipe(z.array(z.enum(TENDER_STATES)).optional()),
  sort: z.enum(['name', '-name', 'deadline', '-deadline', 'createdAt', '-createdAt']).default('-createdAt'),
});
export type TenderListQuery = z.infer<typeof tenderListQuery>;

/** Starting a tender from a delivery waiting for stock: its shortage (not yet on order) as lines. */
export const pickingTender = z
  .object({
    deadline,
    vendorIds: z.array(z.number().int().positive()).min(1).max(50).optional(),
  })
  .strict();
