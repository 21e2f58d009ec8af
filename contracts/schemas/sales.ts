import { z } from 'zod';
import { ATTENTION_CODES, DELIVERY_STATUSES, INVOICE_STATUSES, SALE_ORDER_STATES } from '../states';
import { afterCursorParam, listCursor, listPageOf, listQuery, queryBool } from './common';

const optText = (max: number) => z.string().trim().max(max).nullable().optional();

export const address = z.object({
  name: z.string().trim().max(200).nullable().optional(),
  street: optText(200),
  street2: optText(200),
  city: optText(100),
  zip: optText(20),
  state: optText(100),
  countryCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code')
    .nullable()
    .optional(),
  phone: optText(50),
});
export type Address = z.infer<typeof address>;

// Quantities have at most 3 decimals; discounts are percentages with at most 2 (or amounts, in cents).
export const quantity = z
  .number()
  .positive()
  .max(1_000_000)
  .refine((v) => Number.isInteger(Math.round(v * 1000)) && Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6, 'at most 3 decimals');
export const discount = z
  .number()
  .min(0)
  .max(100)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'at most 2 decimals');

const lineAmount = z.number().int().nonnegative().max(1_000_000_000_00);

export const lineInput = z
  .object({
    id: z.number().int().positive().optional().describe('an existing line to change; omit to add a line'),
    productId: z
      .number()
      .int()
      .positive()
      .nullable()
      .describe('null only to keep an existing unmatched line (from a shop) as it is, until it is matched to a product'),
    description: z.string().trim().max(1000).optional(),
    quantity,
    unitPrice: lineAmount.optional().describe('default: the product list price'),
    discount: discount.default(0).describe('a percentage off the line'),
    discountAmount: lineAmount.optional().describe("a fixed amount (cents) off the whole line, after its percentage; default: the line's own, or none"),
    taxIds: z.array(z.number().int().positive()).max(10).optional().describe("default: the product's taxes"),
    isShipping: z.boolean().optional().describe('a delivery charge: not part of the base the order discount is spread over'),
  })
  .strict();
export type LineInput = z.input<typeof lineInput>;

const discountCode = z
  .string()
  .trim()
  .max(200)
  .nullable()
  .optional()
  .transform((v) => (v === '' ? null : v))
  .describe('the discount or coupon codes the customer used, e.g. "SUMMER10" (several: "SUMMER10, FREESHIP")');
const orderDiscount = lineAmount.describe(
  'a fixed amount (cents) off the order before taxes, spread over its lines (shipping aside) in proportion to their amounts',
);

/** Why an order is flagged "needs attention": what a person has to look at, in words. */
export const attentionReason = z.object({
  code: z.enum(ATTENTION_CODES),
  message: z.string(),
});
export type AttentionReason = z.infer<typeof attentionReason>;

export const saleOrderCreate = z
  .object({
    partnerId: z.number().int().positive(),
    shippingAddress: address.nullable().optional(),
    warehouseId: z.number().int().positive().optional(),
    channelId: z.number().int().positive().max(2_147_483_647).nullable().optional(),
    externalId: z.string().trim().max(100).nullable().optional(),
    reference: z.string().trim().max(100).nullable().optional().describe("the shop's order number, e.g. #1002"),
    needsAttention: z.boolean().default(false),
    note: z.string().max(10_000).nullable().optional(),
    dateOrder: z.string().datetime({ offset: true }).optional(),
    discountCode,
    orderDiscount: orderDiscount.default(0),
    lines: z.array(lineInput).max(500).default([]),
  })
  .strict();
export type SaleOrderCreate = z.input<typeof saleOrderCreate>;

// `lines`, when present, is the full new list: lines left out are removed.
export const saleOrderPatch = z
  .object({
    version: z.number().int().nonnegative(),
    partnerId: z.number().int().positive().optional(),
    shippingAddress: address.nullable().optional(),
    warehouseId: z.number().int().positive().optional(),
    needsAttention: z.boolean().optional(),
    note: z.string().max(10_000).nullable().optional(),
    dateOrder: z.string().datetime({ offset: true }).optional(),
    discountCode,
    orderDiscount: orderDiscount.optional(),
    lines: z.array(lineInput).max(500).optional(),
  })
  .strict();
export type SaleOrderPatch = z.input<typeof saleOrderPatch>;

export const saleOrderLine = z.object({
  id: z.number().int(),
  /** null: a shop's line whose product was not found here (an unmatched line); the order cannot be confirmed until it is matched. */
  productId: z.number().int().nullable(),
  /** The product's SKU; on an unmatched line, the SKU the shop gave. */
  sku: z.string().nullable(),
  description: z.string(),
  quantity: z.number(),
  unitPrice: z.number().int(),
  discount: z.number(),
  discountAmount: z.number().int(),
  /** This line's share of the order discount (computed). */
  orderDiscount: z.number().int(),
  isShipping: z.boolean(),
  taxIds: z.array(z.number().int()),
  subtotal: z.number().int(),
  amountTax: z.number().int(),
  total: z.number().int(),
  qtyDelivered: z.number(),
  qtyInvoiced: z.number(),
  qtyToInvoice: z.number(),
});
export type SaleOrderLine = z.infer<typeof saleOrderLine>;

export const saleOrderSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  partnerId: z.number().int(),
  partnerName: z.string(),
  state: z.enum(SALE_ORDER_STATES),
  invoiceStatus: z.enum(INVOICE_STATUSES),
  deliveryStatus: z.enum(DELIVERY_STATUSES),
  needsAttention: z.boolean(),
  attentionReasons: z.array(attentionReason),
  discountCode: z.string().nullable(),
  channelId: z.number().int().nullable(),
  externalId: z.string().nullable(),
  /** The shop's own order number ("#1002"). */
  reference: z.string().nullable(),
  dateOrder: z.string(),
  amountUntaxed: z.number().int(),
  amountTax: z.number().int(),
  amountTotal: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type SaleOrderSummary = z.infer<typeof saleOrderSummary>;

export const saleOrder = saleOrderSummary.extend({
  orderDiscount: z.number().int(),
  /** Everything taken off the order before taxes: percentages, line amounts and the order discount. */
  amountDiscount: z.number().int(),
  shippingAddress: address.nullable(),
  warehouseId: z.number().int().nullable(),
  note: z.string().nullable(),
  createdById: z.number().int().nullable(),
  lines: z.array(saleOrderLine),
});
export type SaleOrder = z.infer<typeof saleOrder>;

export const saleOrderFilters = z.object({
  q: z.string().max(200).optional(),
  state: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',') : undefined))
    .pipe(z.array(z.enum(SALE_ORDER_STATES)).optional()),
  partnerId: z.coerce.number().int().positive().optional(),
  invoiceStatus: z.enum(INVOICE_STATUSES).optional(),
  deliveryStatus: z.enum(DELIVERY_STATUSES).optional(),
  needsAttention: queryBool.optional(),
  channelId: z.coerce.number().int().positive().optional(),
  dateFrom: z.string().date().optional(),
  dateTo: z.string().date().optional(),
  sort: z
    .enum(['name', '-name', 'dateOrder', '-dateOrder', 'amountTotal', '-amountTotal', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'state', '-state'])
    .default('-createdAt'),
});
export type SaleOrderFilters = z.infer<typeof saleOrderFilters>;
export const saleOrderListQuery = listQuery.omit({ sort: true, q: true }).merge(saleOrderFilters).extend({ after: afterCursorParam });
export type SaleOrderListQuery = z.infer<typeof saleOrderListQuery>;

export const saleOrderList = listPageOf(saleOrderSummary);
export type SaleOrderList = z.infer<typeof saleOrderList>;

export type SaleOrderSortKey = 'name' | 'dateOrder' | 'amountTotal' | 'createdAt' | 'updatedAt' | 'state';

/** The keyset cursor of an order in a sort: the sort field's value and the id (the tie-breaker). */
export function orderCursor(sort: SaleOrderFilters['sort'], o: Pick<SaleOrderSummary, SaleOrderSortKey | 'id'>): string {
  return listCursor<SaleOrderSortKey>(sort, o);
}

// A JSON body: the state list is an array and the flag a boolean (its query-string forms are accepted too).
export const saleOrderExportInput = saleOrderFilters.partial().extend({
  state: z.array(z.enum(SALE_ORDER_STATES)).optional(),
  needsAttention: z.union([z.boolean(), queryBool]).optional(),
});
export type SaleOrderExportInput = z.infer<typeof saleOrderExportInput>;

export const stateCounts = z
  .object({ draft: z.number().int(), sent: z.number().int(), sale: z.number().int(), done: z.number().int(), cancel: z.number().int() })
  .extend({
    /** The states counted up to the limit that have more (their count is the limit: "10,000+"); absent when every count is exact. */
    estimated: z.array(z.enum(SALE_ORDER_STATES)).optional(),
  });
export type StateCounts = z.infer<typeof stateCounts>;

/** The body of a state action (confirm, cancel, send, lock, unlock, back to quotation). */
export const saleOrderActionInput = z
  .object({ version: z.number().int().nonnegative().optional().describe('when given, a stale version gets 409') })
  .optional();
