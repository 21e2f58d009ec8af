import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { billPurchaseOrder } from '../../workflows/vendor-bill.workflow';
import { cancelPurchaseOrder, confirmPurchaseOrder, draftPurchaseOrder } from '../../workflows/purchase.workflow';
import { createPurchaseOrder, updatePurchaseOrder } from './purchase-order.create';
import { sendPurchaseOrderFile } from './purchase-order.document';
import { sendPurchaseOrder } from './purchase-order.mail';
import { quotePurchaseOrder } from './purchase-order.quote';
import * as purchases from './purchase-order.service';
import { getPortalLink, revokePortalLinks } from './portal.tokens';
import { retryVendorNotification } from './vendor-notification.service';

export function purchaseOrderRoutes() {
  const api = new ApiRouter('/api/purchase-orders');
  api.handle(routes.purchaseOrders.list, (a, { query }) => purchases.listPurchaseOrders(a, query));
  api.handle(routes.purchaseOrders.counts, (a, { query }) => purchases.countPurchasesByState(a, query));
  api.handle(routes.purchaseOrders.get, (a, { id }) => purchases.getPurchaseOrder(a, id));
  api.handle(routes.purchaseOrders.create, (a, { body }) => createPurchaseOrder(a, body));
  api.handle(routes.purchaseOrders.update, (a, { id, body }) => updatePurchaseOrder(a, id, body));
  api.handle(routes.purchaseOrders.send, (a, { id, body }) => sendPurchaseOrder(a, id, body));
  api.handle(routes.purchaseOrders.pdf, (a, { id, req, res }) => sendPurchaseOrderFile(a, id, 'pdf', res, req.query.inline === '1'));
  api.handle(routes.purchaseOrders.docx, (a, { id, res }) => sendPurchaseOrderFile(a, id, 'docx', res));
  api.handle(routes.purchaseOrders.quote, (a, { id, body }) => quotePurchaseOrder(a, id, body));
  api.handle(routes.purchaseOrders.bill, (a, { id, body }) => billPurchaseOrder(a, id, body));
  api.handle(routes.purchaseOrders.confirm, (a, { id, body }) => confirmPurchaseOrder(a, id, body?.version));
  api.handle(routes.purchaseOrders.cancel, (a, { id, body }) => cancelPurchaseOrder(a, id, { version: body?.version, force: body?.force }));
  api.handle(routes.purchaseOrders.draft, (a, { id, body }) => draftPurchaseOrder(a, id, body?.version));
  api.handle(routes.purchaseOrders.portalLink, (a, { id }) => getPortalLink(a, id));
  api.handle(routes.purchaseOrders.revokePortalLinks, (a, { id }) => revokePortalLinks(a, id));
  api.handle(routes.purchaseOrders.retryNotification, (a, { id, params }) => retryVendorNotification(a, id, params.notificationId));
  return api.router;
}
