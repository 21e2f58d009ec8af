import { Op, literal, type WhereOptions } from 'sequelize';
import type { Tx } from '../../db/transaction';
import { ForbiddenError } from '../../http/errors';
import type { Auth } from '../auth/access';
import { orderOwner, ownOrderIds, ownOrdersOnly } from '../sales/sale-order.access';
import { InvoiceModel } from './invoice.model';
import { displayName } from './invoice.mapper';

// The record rule of invoices: a user limited to their own orders sees the invoices of those orders
// only; everyone else with the role's permission sees them all.

/** The WHERE that limits a list (board, reports) to what the user may see. */
export function invoiceScope(auth: Pick<Auth, 'user'>): WhereOptions<InvoiceModel> {
  if (!ownOrdersOnly(auth)) return {};
  return { saleOrderId: { [Op.in]: ownOrderIds(auth.user.id) } };
}

export async function mayAccessInvoice(t: Tx | null, auth: Pick<Auth, 'user'>, inv: Pick<InvoiceModel, 'saleOrderId'>): Promise<boolean> {
  if (!ownOrdersOnly(auth)) return true;
  return !!inv.saleOrderId && (await orderOwner(t, inv.saleOrderId)) === auth.user.id;
}

export async function assertInvoiceAccess(t: Tx | null, auth: Auth, inv: InvoiceModel): Promise<void> {
  if (!(await mayAccessInvoice(t, auth, inv))) throw new ForbiddenError(`${displayName(inv)} belongs to another salesperson's order`);
}

/**
 * The user whose own orders include this invoice (its order's creator), or null. Its parameters are the
 * record registry's (`own.ownerOf` in lib/records).
 */
export async function invoiceOwner(t: Tx | null, id: number): Promise<number | null> {
  const inv = await InvoiceModel.findByPk(id, { attributes: ['id', 'saleOrderId'], transaction: t });
  return inv?.saleOrderId ? orderOwner(t, inv.saleOrderId) : null;
}

/** The ids of the invoices of this user's orders, as a subquery. */
export function ownInvoiceIds(userId: number): ReturnType<typeof literal> {
  return literal(`(SELECT id FROM ${InvoiceModel.tableName} WHERE saleOrderId IN ${ownOrderIds(userId).val as string})`);
}
