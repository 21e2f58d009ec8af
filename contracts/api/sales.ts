import { createdInvoices } from '../schemas/invoices';
import { jobCreated } from '../schemas/jobs';
import {
  saleOrder,
  saleOrderActionInput,
  saleOrderCreate,
  saleOrderExportInput,
  saleOrderFilters,
  saleOrderList,
  saleOrderListQuery,
  saleOrderPatch,
  stateCounts,
} from '../schemas/sales';
import { routeGroup } from './route';

const route = routeGroup('sale orders');

/** A state action: the body carries the version the user saw (a stale one gets 409). */
const action = <const P extends `/api/sale-orders/:id/${string}`, const S extends string>(path: P, summary: S) =>
  route({ method: 'post', path, summary, body: saleOrderActionInput, response: saleOrder, permission: 'saleOrder.write' });

export const saleOrders = {
  list: route({
    method: 'get',
    path: '/api/sale-orders',
    summary: 'List sale orders (the board)',
    query: saleOrderListQuery,
    response: saleOrderList,
    permission: 'saleOrder.read',
  }),
  counts: route({
    method: 'get',
    path: '/api/sale-orders/counts',
    summary: 'Orders per state under the board filters',
    query: saleOrderFilters,
    response: stateCounts,
    permission: 'saleOrder.read',
  }),
  export: route({
    method: 'post',
    path: '/api/sale-orders/export',
    summary: 'Export the orders matching the filters to CSV (a job)',
    body: saleOrderExportInput,
    response: jobCreated,
    status: 202,
    permission: 'saleOrder.export',
  }),
  get: route({ method: 'get', path: '/api/sale-orders/:id', summary: 'Read a sale order', response: saleOrder, permission: 'saleOrder.read' }),
  create: route({
    method: 'post',
    path: '/api/sale-orders',
    summary: 'Create a quotation',
    body: saleOrderCreate,
    response: saleOrder,
    status: 201,
    permission: 'saleOrder.write',
  }),
  update: route({
    method: 'patch',
    path: '/api/sale-orders/:id',
    summary: 'Correct a sale order (lines: the full new list)',
    body: saleOrderPatch,
    response: saleOrder,
    permission: 'saleOrder.write',
  }),
  confirm: action('/api/sale-orders/:id/confirm', 'Confirm: draft/sent → sale'),
  cancel: action('/api/sale-orders/:id/cancel', 'Cancel: draft/sent/sale → cancel'),
  send: action('/api/sale-orders/:id/send', 'Email the quotation to the customer: draft/sent → sent'),
  invoice: route({
    method: 'post',
    path: '/api/sale-orders/:id/invoice',
    summary: 'Draft an invoice for what is invoiceable now (and a credit note for what was returned after invoicing)',
    response: createdInvoices,
    status: 201,
    permission: 'invoice.create',
  }),
  lock: action('/api/sale-orders/:id/lock', 'Lock: sale → done'),
  unlock: action('/api/sale-orders/:id/unlock', 'Unlock: done → sale'),
  draft: action('/api/sale-orders/:id/draft', 'Set back to quotation: cancel → draft'),
};
