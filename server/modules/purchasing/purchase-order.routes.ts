import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { cancelPurchaseOrder, confirmPurchaseOrder, draftPurchaseOrder } from '../../workflows/purchase.workflow';
import { createPurchaseOrder, updatePurchaseOrder } from './purchase-order.create';
import * as purchases from './purchase-order.service';

export function purchaseOrderRoutes() {
  const api = new ApiRouter('/api/purchase-orders');
  api.handle(routes.purchaseOrders.list, (a, { query }) => purchases.listPurchaseOrders(a, query));
  api.handle(routes.purchaseOrders.counts, (a, { query }) => purchases.countPurchasesByState(a, query));
  api.handle(routes.purchaseOrders.get, (a, { id }) => purchases.getPurchaseOrder(a, id));
  api.handle(routes.purchaseOrders.create, (a, { body }) => createPurchaseOrder(a, body));
  api.handle(routes.purchaseOrders.update, (a, { id, body }) => updatePurchaseOrder(a, id, body));
  api.handle(routes.purchaseOrders.confirm, (a, { id, body }) => confirmPurchaseOrder(a, id, body?.version));
  api.handle(routes.purchaseOrders.cancel, (a, { id, body }) => cancelPurchaseOrder(a, id, { version: body?.version, force: body?.force }));
  api.handle(routes.purchaseOrders.draft, (a, { id, body }) => draftPurchaseOrder(a, id, body?.version));
  return api.router;
}
