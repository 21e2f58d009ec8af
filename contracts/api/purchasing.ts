import { z } from 'zod';
import { listOf } from '../schemas/common';
import { createdInvoices } from '../schemas/invoices';
import {
  orderMore,
  orderMoreResult,
  pickingShortage,
  portalDocument,
  portalLink,
  portalShip,
  portalToken,
  purchaseOrder,
  purchaseOrderAction,
  purchaseOrderBill,
  purchaseOrderCancel,
  purchaseOrderCreate,
  purchaseOrderFilters,
  purchaseOrderIds,
  purchaseOrderList,
  purchaseOrderListQuery,
  purchaseOrderPatch,
  purchaseQuoteInput,
  purchaseOrderSend,
  purchaseStateCounts,
  reorderRule,
  reorderRuleCreate,
  reorderRuleListQuery,
  reorderRulePatch,
  replenishmentOrder,
  replenishmentQuery,
  replenishmentReport,
} from '../schemas/purchasing';
import { routeGroup } from './route';

const route = routeGroup('purchase orders');

export const purchaseOrders = {
  list: route({
    method: 'get',
    path: '/api/purchase-orders',
    summary: 'List RFQs and purchase orders (the purchase board)',
    query: purchaseOrderListQuery,
    response: purchaseOrderList,
    permission: 'purchase.read',
  }),
  counts: route({
    method: 'get',
    path: '/api/purchase-orders/counts',
    summary: 'Purchase orders per state under the board filters',
    query: purchaseOrderFilters,
    response: purchaseStateCounts,
    permission: 'purchase.read',
  }),
  get: route({ method: 'get', path: '/api/purchase-orders/:id', summary: 'Read a purchase order', response: purchaseOrder, permission: 'purchase.read' }),
  create: route({
    method: 'post',
    path: '/api/purchase-orders',
    summary: 'Create an RFQ (draft)',
    body: purchaseOrderCreate,
    response: purchaseOrder,
    status: 201,
    permission: 'purchase.write',
  }),
  update: route({
    method: 'patch',
    path: '/api/purchase-orders/:id',
    summary: 'Change a draft RFQ (lines: the full new list)',
    body: purchaseOrderPatch,
    response: purchaseOrder,
    permission: 'purchase.write',
  }),
  send: route({
    method: 'post',
    path: '/api/purchase-orders/:id/send',
    summary: 'Email the RFQ (or the purchase order) to the vendor with its PDF: draft → sent',
    body: purchaseOrderSend,
    response: purchaseOrder,
    permission: 'purchase.write',
  }),
  confirm: route({
    method: 'post',
    path: '/api/purchase-orders/:id/confirm',
    summary: 'Confirm: draft/sent → purchase; creates the receipt',
    body: purchaseOrderAction,
    response: purchaseOrder,
    permission: 'purchase.write',
  }),
  cancel: route({
    method: 'post',
    path: '/api/purchase-orders/:id/cancel',
    summary: 'Cancel (and its open receipts); refused with 422 while sale orders wait on it, unless forced',
    body: purchaseOrderCancel,
    response: purchaseOrder,
    permission: 'purchase.write',
  }),
  draft: route({
    method: 'post',
    path: '/api/purchase-orders/:id/draft',
    summary: 'Set a cancelled RFQ back to draft',
    body: purchaseOrderAction,
    response: purchaseOrder,
    permission: 'purchase.write',
  }),
  quote: route({
    method: 'post',
    path: '/api/purchase-orders/:id/quote',
    summary: "Record the vendor's answer to an RFQ (price and lead time per line, validity), as entered by staff from their email",
    body: purchaseQuoteInput,
    response: purchaseOrder,
    permission: 'purchase.write',
  }),
  bill: route({
    method: 'post',
    path: '/api/purchase-orders/:id/bill',
    summary: 'Draft a vendor bill for what may be billed now (ordered or received, by bill policy)',
    body: purchaseOrderBill,
    response: createdInvoices,
    status: 201,
    permission: 'bill.create',
  }),
  pdf: route({ method: 'get', path: '/api/purchase-orders/:id/pdf', summary: 'The RFQ or purchase order as PDF', file: true, permission: 'purchase.read' }),
  docx: route({ method: 'get', path: '/api/purchase-orders/:id/docx', summary: 'The RFQ or purchase order as DOCX', file: true, permission: 'purchase.read' }),
  portalLink: route({
    method: 'get',
    path: '/api/purchase-orders/:id/portal-link',
    summary: "The vendor portal link of the document (made when it has none): what the vendor's emails carry",
    response: portalLink,
    permission: 'purchase.write',
  }),
  revokePortalLinks: route({
    method: 'post',
    path: '/api/purchase-orders/:id/portal-link/revoke',
    summary: 'Withdraw every vendor portal link of the document (the next email carries a new one)',
    response: z.object({ revoked: z.number().int() }),
    permission: 'purchase.write',
  }),
  retryNotification: route({
    method: 'post',
    path: '/api/purchase-orders/:id/notifications/:notificationId/retry',
    summary: "Send a failed order notification to the vendor's endpoint again (same idempotency key)",
    params: z.object({ id: z.number().int(), notificationId: z.coerce.number().int().positive() }),
    response: purchaseOrder,
    permission: 'purchase.write',
  }),
};

const portalRoute = routeGroup('vendor portal');

/** The vendor portal: no staff login; the link's token is the key to one document. */
export const portal = {
  view: portalRoute({
    method: 'get',
    path: '/api/portal/:token',
    summary: "A vendor's view of one RFQ or purchase order (the token is signed, expiring, revocable and scoped to it)",
    params: portalToken,
    response: portalDocument,
    auth: false,
    permission: null,
  }),
  pdf: portalRoute({
    method: 'get',
    path: '/api/portal/:token/pdf',
    summary: 'The document as PDF',
    params: portalToken,
    file: true,
    auth: false,
    permission: null,
  }),
  quote: portalRoute({
    method: 'post',
    path: '/api/portal/:token/quote',
    summary: 'The vendor answers the RFQ: a unit price and lead time per line, and until when the prices hold',
    params: portalToken,
    body: purchaseQuoteInput,
    response: portalDocument,
    auth: false,
    permission: null,
  }),
  accept: portalRoute({
    method: 'post',
    path: '/api/portal/:token/accept',
    summary: 'The vendor accepts the RFQ or purchase order',
    params: portalToken,
    response: portalDocument,
    auth: false,
    permission: null,
  }),
  ship: portalRoute({
    method: 'post',
    path: '/api/portal/:token/ship',
    summary: 'The vendor reports a shipment: carrier, tracking number, quantities (drop-ship: the picking is validated)',
    params: portalToken,
    body: portalShip,
    response: portalDocument,
    auth: false,
    permission: null,
  }),
};

const ruleRoute = routeGroup('reorder rules');

export const reorderRules = {
  list: ruleRoute({
    method: 'get',
    path: '/api/reorder-rules',
    summary: 'List reorder rules',
    query: reorderRuleListQuery,
    response: listOf(reorderRule),
    permission: 'purchase.read',
  }),
  create: ruleRoute({
    method: 'post',
    path: '/api/reorder-rules',
    summary: 'Create a reorder rule (min, max, multiple per product and warehouse)',
    body: reorderRuleCreate,
    response: reorderRule,
    status: 201,
    permission: 'purchase.write',
  }),
  update: ruleRoute({
    method: 'patch',
    path: '/api/reorder-rules/:id',
    summary: 'Change a reorder rule',
    body: reorderRulePatch,
    response: reorderRule,
    permission: 'purchase.write',
  }),
  remove: ruleRoute({ method: 'delete', path: '/api/reorder-rules/:id', summary: 'Delete a reorder rule', permission: 'purchase.write' }),
};

const replenishmentRoute = routeGroup('replenishment');

export const replenishment = {
  report: replenishmentRoute({
    method: 'get',
    path: '/api/replenishment',
    summary: 'Products below their minimum or with waiting demand: forecast, rule, suggested quantity, vendor',
    query: replenishmentQuery,
    response: replenishmentReport,
    permission: 'purchase.read',
  }),
  run: replenishmentRoute({
    method: 'post',
    path: '/api/replenishment/run',
    summary: 'Check every reorder rule now; fills the vendors’ draft RFQs',
    response: purchaseOrderIds,
    permission: 'purchase.write',
  }),
  order: replenishmentRoute({
    method: 'post',
    path: '/api/replenishment/order',
    summary: 'Order these quantities: fills each preferred vendor’s draft RFQ',
    body: replenishmentOrder,
    response: purchaseOrderIds,
    permission: 'purchase.write',
  }),
};

/** What a delivery waiting for stock lacks, and how much of it is on order already. */
export const pickingShortageRoute = route({
  method: 'get',
  path: '/api/pickings/:id/shortage',
  summary: "A delivery's shortage per product, what open purchases already bring of it, and what is left to order",
  response: pickingShortage,
  permission: 'purchase.read',
});

/** "Order N more" on a delivery waiting for stock. */
export const pickingOrderMore = route({
  method: 'post',
  path: '/api/pickings/:id/order-more',
  summary: "Order a delivery's shortage (or more) from the preferred vendor's draft RFQ",
  body: orderMore,
  response: orderMoreResult,
  status: 201,
  permission: 'purchase.write',
});
