import { literal, type WhereOptions } from 'sequelize';
import { ForbiddenError } from '../../http/errors';
import type { Auth } from '../auth/access';
import { ownOrdersOnly } from '../sales/sale-order.access';
import type { PurchaseOrderModel } from './purchase-order.model';

// The record rule of purchase orders: they belong to no salesperson's order (one PO serves the orders
// of many), so a user limited to their own orders sees none (REST, documents, chatter, rooms alike);
// everyone else with purchase.read sees them all.

export function purchaseScope(auth: Pick<Auth, 'user'>): WhereOptions<PurchaseOrderModel> {
  return ownOrdersOnly(auth) ? { id: -1 } : {};
}

export function assertPurchaseAccess(auth: Pick<Auth, 'user'>, o: Pick<PurchaseOrderModel, 'name'>): void {
  if (ownOrdersOnly(auth)) throw new ForbiddenError(`${o.name} is a purchase order: you may see your own sale orders only`);
}

/** Nobody's own: own-orders users never see a purchase order. */
export const purchaseOwner = (): Promise<number | null> => Promise.resolve(null);

/** No purchase order belongs to a user's own orders (an empty subquery). */
export const ownPurchaseIds = (): ReturnType<typeof literal> => literal('(SELECT id FROM purchase_orders WHERE 1 = 0)');
