import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { cancelSaleOrder, confirmSaleOrder, sendSaleOrder, simpleSaleOrderAction } from '../../workflows/sale-order-state.workflow';
import { exportSaleOrders } from './sale-order-export.service';
import { updateSaleOrderWithDelivery } from '../../workflows/delivery.workflow';
import { invoiceSaleOrder } from '../../workflows/invoicing.workflow';
import { createSaleOrder } from './sale-order.create';
import * as orders from './sale-order.service';

export function saleOrderRoutes() {
  const api = new ApiRouter('/api/sale-orders');
  api.handle(routes.saleOrders.list, (a, { query }) => orders.listSaleOrders(a, query));
  api.handle(routes.saleOrders.counts, (a, { query }) => orders.countByState(a, query));
  api.handle(routes.saleOrders.export, (a, { body }) => exportSaleOrders(a, body));
  api.handle(routes.saleOrders.get, (a, { id }) => orders.getSaleOrder(a, id));
  api.handle(routes.saleOrders.create, (a, { body }) => createSaleOrder(a, body));
  api.handle(routes.saleOrders.update, (a, { id, body }) => updateSaleOrderWithDelivery(a, id, body));
  api.handle(routes.saleOrders.confirm, (a, { id, body }) => confirmSaleOrder(a, id, body?.version));
  api.handle(routes.saleOrders.cancel, (a, { id, body }) => cancelSaleOrder(a, id, body?.version));
  api.handle(routes.saleOrders.send, (a, { id, body }) => sendSaleOrder(a, id, body?.version));
  api.handle(routes.saleOrders.invoice, (a, { id }) => invoiceSaleOrder(a, id));
  for (const action of ['lock', 'unlock', 'draft'] as const) {
    api.handle(routes.saleOrders[action], (a, { id, body }) => simpleSaleOrderAction(a, id, action, body?.version));
  }
  return api.router;
}
