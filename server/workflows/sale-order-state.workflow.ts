import type { SaleOrder } from '../../contracts/schemas/sales';
import type { SaleOrderAction } from '../../contracts/states';
import { withTransaction } from '../db/transaction';
import { InvalidStateError } from '../http/errors';
import type { Auth } from '../modules/auth/access';
import { transitionSaleOrder } from '../modules/sales/sale-order.actions';
import { toSaleOrder } from '../modules/sales/sale-order.mapper';
import { emailOrderToCustomer } from '../modules/sales/sale-order.mail';
import { cancelOrderDeliveries, createOrderDelivery, dropshipLinesOf, mtoNeedsOf } from './delivery.workflow';
import { procureDropship, procureForOrder, releaseOrderProcurement } from './procurement.workflow';

// The state actions of a sale order. Confirmation and cancellation are where other domains join in
// (delivery notes, purchase orders, stock reservations), each inside this same transaction.

export function confirmSaleOrder(auth: Auth, id: number, version?: number): Promise<SaleOrder> {
  return withTransaction(async (t) => {
    const o = await transitionSaleOrder(auth, id, 'confirm', t, {
      version,
      check: (order) => {
        if (!order.lines?.length) throw new InvalidStateError(`Cannot confirm ${order.name}: it has no lines`);
        const unmatched = order.lines.filter((l) => l.productId === null);
        if (unmatched.length) {
          throw new InvalidStateError(
            `Cannot confirm ${order.name}: ${unmatched.map((l) => `"${l.description}"`).join(', ')} ${unmatched.length > 1 ? 'are' : 'is'} not matched to a product; match ${unmatched.length > 1 ? 'them' : 'it'} to a product (or remove ${unmatched.length > 1 ? 'them' : 'it'}) first`,
            unmatched.map((l) => ({ field: 'lines', message: `"${l.description}" is not matched to a product` })),
          );
        }
      },
    });
    await createOrderDelivery(t, auth, o);
    // Make-to-order lines are bought for the order: the preferred vendor's draft RFQ, in this transaction.
    await procureForOrder(t, auth, o, mtoNeedsOf(o));
    // Drop-ship lines go to their vendor's RFQ for this order, with the customer's address.
    await procureDropship(t, auth, o, dropshipLinesOf(o));
    // Orders from a shop get their confirmation from the shop; ours are confirmed to the customer by email.
    if (o.channelId === null) await emailOrderToCustomer(t, auth, o, { required: false });
    return toSaleOrder(o);
  });
}

export function cancelSaleOrder(auth: Auth, id: number, version?: number): Promise<SaleOrder> {
  return withTransaction(async (t) => {
    const o = await transitionSaleOrder(auth, id, 'cancel', t, {
      version,
      check: (order) => {
        const shipped = order.lines?.some((l) => l.qtyDelivered > 0);
        const invoiced = order.lines?.some((l) => l.qtyInvoiced > 0);
        if (shipped || invoiced) throw new InvalidStateError(`Cannot cancel ${order.name}: it is already ${shipped ? 'delivered' : 'invoiced'} in part`);
      },
    });
    await cancelOrderDeliveries(t, o.id);
    await releaseOrderProcurement(t, auth, o);
    return toSaleOrder(o);
  });
}

/** Sends the quotation to the customer by email (through the outbox) and marks it sent. */
export function sendSaleOrder(auth: Auth, id: number, version?: number): Promise<SaleOrder> {
  return withTransaction(async (t) => {
    const o = await transitionSaleOrder(auth, id, 'send', t, { version });
    await emailOrderToCustomer(t, auth, o, { required: true });
    return toSaleOrder(o);
  });
}

/** The actions that only change the order's own state. */
export function simpleSaleOrderAction(
  auth: Auth,
  id: number,
  action: Extract<SaleOrderAction, 'lock' | 'unlock' | 'draft'>,
  version?: number,
): Promise<SaleOrder> {
  return withTransaction(async (t) => toSaleOrder(await transitionSaleOrder(auth, id, action, t, { version })));
}
