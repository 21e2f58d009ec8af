import { Op, literal, type WhereOptions } from 'sequelize';
import { ForbiddenError } from '../../http/errors';
import type { Tx } from '../../db/transaction';
import type { Auth } from '../auth/access';
import { orderOwner, ownOrderIds, ownOrdersOnly } from '../sales/sale-order.access';
import { PickingModel } from './stock.model';

// The record rule of pickings: a picking belongs to its sale order. A user limited to their own orders
// sees the deliveries, returns and drop-ships of those orders only (not receipts or moves of no order).

export function pickingScope(auth: Pick<Auth, 'user'>): WhereOptions<PickingModel> {
  return ownOrdersOnly(auth) ? { saleOrderId: { [Op.in]: ownOrderIds(auth.user.id) } } : {};
}

export async function mayAccessPicking(auth: Pick<Auth, 'user'>, p: Pick<PickingModel, 'saleOrderId'>): Promise<boolean> {
  if (!ownOrdersOnly(auth)) return true;
  return !!p.saleOrderId && (await orderOwner(null, p.saleOrderId)) === auth.user.id;
}

export async function assertPickingAccess(auth: Pick<Auth, 'user'>, p: Pick<PickingModel, 'saleOrderId' | 'name'>): Promise<void> {
  if (!(await mayAccessPicking(auth, p))) throw new ForbiddenError(`${p.name} belongs to another salesperson's order: you may see your own orders only`);
}

/** The user whose own orders include this picking (its order's creator), or null. */
export async function pickingOwner(t: Tx | null, id: number): Promise<number | null> {
  const p = await PickingModel.findByPk(id, { attributes: ['id', 'saleOrderId'], transaction: t });
  return p?.saleOrderId ? orderOwner(t, p.saleOrderId) : null;
}

/** The ids of the pickings of this user's orders, as a subquery. */
export function ownPickingIds(userId: number): ReturnType<typeof literal> {
  return literal(`(SELECT id FROM ${PickingModel.tableName} WHERE saleOrderId IN ${ownOrderIds(userId).val as string})`);
}
