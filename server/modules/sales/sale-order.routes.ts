import { z } from 'zod';
import { listOf } from '../../../contracts/schemas/common';
import { jobCreated } from '../../../contracts/schemas/jobs';
import {
  saleOrder,
  saleOrderCreate,
  saleOrderExportInput,
  saleOrderFilters,
  saleOrderListQuery,
  saleOrderPatch,
  saleOrderSummary,
  stateCounts,
} from '../../../contracts/schemas/sales';
import { ApiRouter } from '../../http/api-router';
import { cancelSaleOrder, confirmSaleOrder, sendSaleOrder, simpleSaleOrderAction } from '../../workflows/sale-order-state.workflow';
import { exportSaleOrders } from './sale-order-export.service';
import { updateSaleOrderWithDelivery } from '../../workflows/delivery.workflow';
import { invoiceSaleOrder } from '../../workflows/invoicing.workflow';
import { createSaleOrder } from './sale-order.create';
import * as orders from './sale-order.service';

const actionBody = z.object({ version: z.number().int().nonnegative().optional().describe('when given, a stale version gets 409') }).optional();

export function saleOrderRoutes() {
  const api = new ApiRouter('/api/sale-orders', 'sale orders');
  api.get('/', { summary: 'List sale orders (the board)', query: saleOrderListQuery, response: listOf(saleOrderSummary) }, (a, { query }) =>
    orders.listSaleOrders(a, query),
  );
  api.get('/counts', { summary: 'Orders per state under the board filters', query: saleOrderFilters, response: stateCounts }, (a, { query }) =>
    orders.countByState(a, query),
  );
  api.post(
    '/export',
    { summary: 'Export the orders matching the filters to CSV (a job)', body: saleOrderExportInput, response: jobCreated, status: 202 },
    (a, { body }) => exportSaleOrders(a, body),
  );
  api.get('/:id', { summary: 'Read a sale order', response: saleOrder }, (a, { id }) => orders.getSaleOrder(a, id));
  api.post('/', { summary: 'Create a quotation', body: saleOrderCreate, response: saleOrder, status: 201 }, (a, { body }) => createSaleOrder(a, body));
  api.patch('/:id', { summary: 'Correct a sale order (lines: the full new list)', body: saleOrderPatch, response: saleOrder }, (a, { id, body }) =>
    updateSaleOrderWithDelivery(a, id, body),
  );
  api.post('/:id/confirm', { summary: 'Confirm: draft/sent → sale', body: actionBody, response: saleOrder }, (a, { id, body }) =>
    confirmSaleOrder(a, id, body?.version),
  );
  api.post('/:id/cancel', { summary: 'Cancel: draft/sent/sale → cancel', body: actionBody, response: saleOrder }, (a, { id, body }) =>
    cancelSaleOrder(a, id, body?.version),
  );
  api.post('/:id/send', { summary: 'Email the quotation to the customer: draft/sent → sent', body: actionBody, response: saleOrder }, (a, { id, body }) =>
    sendSaleOrder(a, id, body?.version),
  );
  api.post(
    '/:id/invoice',
    {
      summary: 'Draft an invoice for what is invoiceable now (and a credit note for what was returned after invoicing)',
      response: z.object({ invoiceIds: z.array(z.number().int()) }),
      status: 201,
    },
    (a, { id }) => invoiceSaleOrder(a, id),
  );
  const simple = {
    lock: 'Lock: sale → done',
    unlock: 'Unlock: done → sale',
    draft: 'Set back to quotation: cancel → draft',
  } as const;
  for (const [action, summary] of Object.entries(simple) as [keyof typeof simple, string][]) {
    api.post(`/:id/${action}`, { summary, body: actionBody, response: saleOrder }, (a, { id, body }) => simpleSaleOrderAction(a, id, action, body?.version));
  }
  return api.router;
}
