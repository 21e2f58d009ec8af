import { z } from 'zod';
import { DEMAND_KINDS, PURCHASE_ORDER_STATES, VENDOR_NOTIFICATION_STATUSES } from '../states';
import { afterCursorParam, listPageOf, listQuery, queryBool, stateCountsOf } from './common';
import { address, quantity } from './sales';

// Purchasing: RFQs and purchase orders, reorder rules, the replenishment report. Quantities have up to
// 3 decimals; money is integer cents; dates are ISO 8601 UTC.

const lineAmount = z.number().int().nonnegative().max(1_000_000_000_00);

export const purchaseLineInput = z
  .object({
    id: z.number().int().positive().optional().describe('an existing line to change; omit to add a line'),
    productId: z.number().int().positive(),
    description: z.string().trim().max(1000).optional(),
    quantity,
    unitPrice: lineAmount.optional().describe("default: the vendor's price for the quantity, or the product's cost"),
    taxIds: z.array(z.number().int().positive()).max(10).optional().describe("default: the product's purchase taxes"),
    datePlanned: z.string().datetime({ offset: true }).optional().describe("default: the order date plus the vendor's lead days"),
  })
  .strict();
export type PurchaseLineInput = z.input<typeof purchaseLineInput>;

export const purchaseOrderCreate = z
  .object({
    partnerId: z.number().int().positive().describe('the vendor'),
    warehouseId: z.number().int().positive().optional(),
    origin: z.string().trim().max(500).nullable().optional(),
    note: z.string().max(10_000).nullable().optional(),
    dateOrder: z.string().datetime({ offset: true }).optional(),
    lines: z.array(purchaseLineInput).max(500).default([]),
  })
  .strict();
export type PurchaseOrderCreate = z.input<typeof purchaseOrderCreate>;

// `lines`, when present, is the full new list: lines left out are removed. Draft RFQs only.
export const purchaseOrderPatch = z
  .object({
    version: z.number().int().nonnegative(),
    partnerId: z.number().int().positive().optional(),
    warehouseId: z.number().int().positive().optional(),
    origin: z.string().trim().max(500).nullable().optional(),
    note: z.string().max(10_000).nullable().optional(),
    dateOrder: z.string().datetime({ offset: true }).optional(),
    lines: z.array(purchaseLineInput).max(500).optional(),
  })
  .strict();
export type PurchaseOrderPatch = z.input<typeof purchaseOrderPatch>;

export const purchaseOrderLine = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  sku: z.string(),
  productName: z.string(),
  description: z.string(),
  quantity: z.number(),
  unitPrice: z.number().int(),
  taxIds: z.array(z.number().int()),
  subtotal: z.number().int(),
  amountTax: z.number().int(),
  total: z.number().int(),
  datePlanned: z.string(),
  qtyReceived: z.number(),
  qtyBilled: z.number(),
  /** What a bill may still cover: ordered or received (by the product's bill policy), minus what is billed. */
  qtyToBill: z.number(),
  /** The sale order lines this line was bought for (make-to-order). */
  saleLineIds: z.array(z.number().int()),
  /** The vendor's lead time quoted for this line (days); null until they answered. */
  leadDays: z.number().int().nullable(),
  /** The line of the call for tenders it answers, when the RFQ belongs to one. */
  tenderLineId: z.number().int().nullable(),
});
export type PurchaseOrderLine = z.infer<typeof purchaseOrderLine>;

export const purchaseOrderSummary = z.object({
  id: z.number().int(),
  name: z.string().describe('P00001'),
  partnerId: z.number().int(),
  partnerName: z.string(),
  warehouseId: z.number().int(),
  state: z.enum(PURCHASE_ORDER_STATES),
  origin: z.string().nullable().describe('what caused it: sale orders (S00012, S00014) or a reorder rule'),
  dateOrder: z.string(),
  datePlanned: z.string().nullable().describe('the earliest planned arrival of its lines'),
  /** Confirmed, not everything received, and the planned date is before today. */
  late: z.boolean(),
  /** Everything ordered has been received. */
  received: z.boolean(),
  amountUntaxed: z.number().int(),
  amountTax: z.number().int(),
  amountTotal: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type PurchaseOrderSummary = z.infer<typeof purchaseOrderSummary>;

export const vendorNotification = z.object({
  id: z.number().int(),
  event: z.string().describe('purchase_order.confirmed, purchase_order.cancelled'),
  key: z.string().describe('the Idempotency-Key it is sent with'),
  status: z.enum(VENDOR_NOTIFICATION_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  responseStatus: z.number().int().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type VendorNotification = z.infer<typeof vendorNotification>;

export const purchaseOrder = purchaseOrderSummary.extend({
  note: z.string().nullable(),
  vendorAcceptedAt: z.string().nullable().describe('when the vendor accepted it in the portal'),
  /** The signed JSON notifications to the vendor's order endpoint, oldest first. */
  vendorNotifications: z.array(vendorNotification),
  dropshipAddress: address.nullable(),
  tenderId: z.number().int().nullable(),
  /** When the vendor's quote (prices, lead times) was recorded; null until then. */
  quotedAt: z.string().nullable(),
  /** Until when the vendor's quote holds (their answer's validity). */
  validUntil: z.string().nullable(),
  /** Who recorded the quote: the vendor (portal) or the staff member who entered it. */
  quotedBy: z.object({ kind: z.enum(['user', 'vendor']), name: z.string() }).nullable(),
  sentAt: z.string().nullable(),
  dateApproved: z.string().nullable(),
  createdById: z.number().int().nullable(),
  /** The sale orders it serves (make-to-order lines, shortages of their deliveries). */
  saleOrderIds: z.array(z.number().int()),
  saleOrders: z.array(z.object({ id: z.number().int(), name: z.string() })),
  pickingIds: z.array(z.number().int()),
  invoiceIds: z.array(z.number().int()),
  lines: z.array(purchaseOrderLine),
});
export type PurchaseOrder = z.infer<typeof purchaseOrder>;

const stateList = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',') : undefined))
  .pipe(z.array(z.enum(PURCHASE_ORDER_STATES)).optional());

export const purchaseOrderFilters = z.object({
  q: z.string().max(200).optional(),
  state: stateList,
  partnerId: z.coerce.number().int().positive().optional(),
  saleOrderId: z.coerce.number().int().positive().optional().describe('POs serving this sale order'),
  late: queryBool.optional(),
  origin: z.string().trim().max(100).optional(),
  sort: z
    .enum(['name', '-name', 'dateOrder', '-dateOrder', 'datePlanned', '-datePlanned', 'amountTotal', '-amountTotal', 'createdAt', '-createdAt'])
    .default('-createdAt'),
});
export type PurchaseOrderFilters = z.infer<typeof purchaseOrderFilters>;
export const purchaseOrderListQuery = listQuery.omit({ sort: true, q: true }).merge(purchaseOrderFilters).extend({ after: afterCursorParam });
export type PurchaseOrderListQuery = z.infer<typeof purchaseOrderListQuery>;

export const purchaseOrderList = listPageOf(purchaseOrderSummary);
export type PurchaseOrderList = z.infer<typeof purchaseOrderList>;

export const purchaseOrderAction = z.object({ version: z.number().int().nonnegative().optional() }).strict().optional();
export const purchaseOrderCancel = z
  .object({
    version: z.number().int().nonnegative().optional(),
    force: z.boolean().default(false).describe('cancel even though sale orders wait on it (a note is logged on each)'),
  })
  .strict()
  .optional();
export const purchaseOrderSend = z
  .object({
    version: z.number().int().nonnegative().optional(),
    template: z.enum(['rfq', 'purchase_order']).optional().describe('default: rfq for an RFQ, purchase_order once confirmed'),
  })
  .strict()
  .optional();
export const purchaseOrderBill = z
  .object({
    override: z.boolean().default(false).describe('bill what was ordered even where the bill policy is "received" (the bill says so in its note)'),
  })
  .strict()
  .optional();

/** A vendor's answer to an RFQ: a price and a lead time per line, and how long it holds. */
export const purchaseQuoteInput = z
  .object({
    lines: z
      .array(
        z
          .object({
            lineId: z.number().int().positive().describe('a line of this RFQ'),
            unitPrice: lineAmount.describe('the quoted unit price, integer minor units'),
            leadDays: z.number().int().nonnegative().max(3650).describe('days from now to delivery'),
          })
          .strict(),
      )
      .min(1)
      .max(500),
    validUntil: z
      .union([z.string().date(), z.string().datetime({ offset: true })])
      .optional()
      .describe('ISO date (YYYY-MM-DD, or a date-time) until which the prices hold'),
  })
  .strict();
export type PurchaseQuoteInput = z.output<typeof purchaseQuoteInput>;

export const purchaseLineDemand = z.object({
  kind: z.enum(DEMAND_KINDS),
  saleOrderId: z.number().int().nullable(),
  saleLineId: z.number().int().nullable(),
  reorderRuleId: z.number().int().nullable(),
  quantity: z.number(),
});
export type PurchaseLineDemand = z.infer<typeof purchaseLineDemand>;

// Reorder rules: keep between min and max of a product in a warehouse, ordering in multiples.
const ruleQty = z.number().nonnegative().max(1_000_000_000).multipleOf(0.001);
const ruleFields = z.object({
  productId: z.number().int().positive(),
  warehouseId: z.number().int().positive().optional(),
  min: ruleQty,
  max: ruleQty,
  multiple: z.number().positive().max(1_000_000).multipleOf(0.001).default(1),
  active: z.boolean().default(true),
});
export const reorderRuleCreate = ruleFields.strict().refine((r) => r.max >= r.min, { message: 'must be at least min', path: ['max'] });
export const reorderRulePatch = ruleFields
  .omit({ productId: true, warehouseId: true })
  .partial()
  .extend({ version: z.number().int().nonnegative() })
  .strict()
  .refine((r) => r.max === undefined || r.min === undefined || r.max >= r.min, { message: 'must be at least min', path: ['max'] });
export const reorderRule = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  warehouseId: z.number().int(),
  min: z.number(),
  max: z.number(),
  multiple: z.number(),
  active: z.boolean(),
  lastRunAt: z.string().nullable(),
  version: z.number().int(),
});
export type ReorderRule = z.infer<typeof reorderRule>;
export const reorderRuleListQuery = listQuery.extend({
  productId: z.coerce.number().int().positive().optional(),
  warehouseId: z.coerce.number().int().positive().optional(),
});

export const replenishmentItem = z.object({
  productId: z.number().int(),
  sku: z.string(),
  productName: z.string(),
  warehouseId: z.number().int(),
  onHand: z.number(),
  incoming: z.number(),
  outgoing: z.number(),
  /** on hand + incoming (receipts and RFQ lines) − outgoing (reserved and waiting). */
  forecast: z.number(),
  ruleId: z.number().int().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  multiple: z.number().nullable(),
  /** What ordering now would bring back to the rule's max (or cover the waiting demand), in the rule's multiple. */
  suggested: z.number(),
  vendorId: z.number().int().nullable(),
  vendorName: z.string().nullable(),
  leadDays: z.number().int().nullable(),
  plannedArrival: z.string().nullable(),
});
export type ReplenishmentItem = z.infer<typeof replenishmentItem>;
export const replenishmentReport = z.object({
  items: z.array(replenishmentItem),
  /** Products to replenish that have no vendor: nothing can be ordered for them. */
  withoutVendor: z.array(z.object({ productId: z.number().int(), sku: z.string(), productName: z.string() })),
});
export type ReplenishmentReport = z.infer<typeof replenishmentReport>;
export const replenishmentQuery = z.object({ warehouseId: z.coerce.number().int().positive().optional() });

export const replenishmentOrder = z
  .object({
    items: z
      .array(
        z
          .object({
            productId: z.number().int().positive(),
            warehouseId: z.number().int().positive().optional(),
            quantity,
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();
export const purchaseOrderIds = z.object({ purchaseOrderIds: z.array(z.number().int()) });
export const orderMore = z
  .object({ quantity: quantity.optional().describe("default: the delivery's shortage; more keeps the shelf stocked") })
  .strict()
  .optional();
export const orderMoreResult = z.object({
  purchaseOrderId: z.number().int().describe('the RFQ filled (the first, when the short products have several vendors)'),
  quantity: z.number().describe('ordered in all'),
  purchaseOrderIds: z.array(z.number().int()).describe('every RFQ filled'),
});
/** A delivery's shortage and what of it open purchases already bring: what "Order N more" would order now. */
export const pickingShortage = z.object({
  /** Per product short (storable, make-to-stock); none unless the delivery waits for stock for a sale order. */
  products: z.array(
    z.object({
      productId: z.number().int(),
      short: z.number().describe('demand not reserved'),
      onOrder: z.number().describe('of that, on open purchases for the order not received yet'),
      toOrder: z.number().describe('short − onOrder'),
    }),
  ),
  short: z.number(),
  onOrder: z.number(),
  toOrder: z.number().describe('what "Order N more" orders now; 0: nothing (more) to order'),
  orders: z.array(z.string()).describe('the purchase orders bringing what is on order'),
});
export type PickingShortage = z.infer<typeof pickingShortage>;

export const purchaseStateCounts = stateCountsOf(PURCHASE_ORDER_STATES);
export type PurchaseStateCounts = z.infer<typeof purchaseStateCounts>;

// The vendor portal: what a vendor sees of one RFQ or purchase order through its link, and does there.

export const portalLine = z.object({
  lineId: z.number().int(),
  sku: z.string(),
  description: z.string(),
  quantity: z.number(),
  unitPrice: z.number().int(),
  subtotal: z.number().int(),
  datePlanned: z.string(),
  /** Received into our warehouse, or shipped to the customer (drop-ship). */
  qtyDone: z.number(),
  /** Still to ship: on the open receipt or drop-ship picking. */
  qtyOpen: z.number(),
  /** The vendor's quoted lead time (days), once it answered. */
  leadDays: z.number().int().nullable(),
});
export const portalShipment = z.object({
  name: z.string(),
  /** dropship: straight to the customer; incoming: to our warehouse. */
  type: z.string(),
  state: z.string(),
  carrier: z.string().nullable(),
  trackingRef: z.string().nullable(),
  dateDone: z.string().nullable(),
});
export const portalDocument = z.object({
  name: z.string(),
  kind: z.enum(['rfq', 'purchase_order']),
  state: z.enum(PURCHASE_ORDER_STATES),
  currency: z.string(),
  dateOrder: z.string(),
  datePlanned: z.string().nullable(),
  vendor: z.object({ name: z.string() }),
  buyer: z.object({ name: z.string(), email: z.string().nullable() }),
  dropship: z.boolean(),
  deliverTo: z.object({ name: z.string(), addressLines: z.array(z.string()) }),
  note: z.string().nullable(),
  lines: z.array(portalLine),
  amountUntaxed: z.number().int(),
  amountTax: z.number().int(),
  amountTotal: z.number().int(),
  acceptedAt: z.string().nullable(),
  /** When the vendor's prices were last quoted, and until when they hold. */
  quotedAt: z.string().nullable(),
  validUntil: z.string().nullable(),
  /** A call for tenders' RFQ: answers are taken until this deadline (null: no deadline). */
  deadline: z.string().nullable(),
  shipments: z.array(portalShipment),
  /** What the vendor may do now. */
  can: z.object({ quote: z.boolean(), accept: z.boolean(), ship: z.boolean() }),
  linkExpiresAt: z.string(),
});
export type PortalDocument = z.infer<typeof portalDocument>;

const shortText = (max: number) => z.string().trim().min(1).max(max);
export const portalShip = z
  .object({
    carrier: shortText(100),
    trackingRef: shortText(100),
    /** Shipped quantities per line; absent: everything still open. */
    lines: z
      .array(z.object({ lineId: z.number().int().positive(), quantity }).strict())
      .min(1)
      .max(500)
      .optional(),
  })
  .strict();
export type PortalShip = z.infer<typeof portalShip>;
export const portalToken = z.object({ token: z.string().min(1).max(400) });
export const portalLink = z.object({ url: z.string(), expiresAt: z.string() });
