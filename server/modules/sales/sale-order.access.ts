import { literal, type WhereOptions } from 'sequelize';
import { ForbiddenError } from '../../http/errors';
import { limitedToOwnOrders, type Auth } from '../auth/access';
import type { Tx } from '../../db/transaction';
import { SaleOrderModel } from './sale-order.model';

// The record rule of sale orders: a user with orderAccess `own` sees only the orders they created;
// everyone else with the role's permission sees them all. What belongs to an order (pickings, invoices)
// follows its order: those domains build their rules on ownOrderIds and orderOwner.

export const ownOrdersOnly = limitedToOwnOrders;

/** The ids of the orders this user created, as a subquery (for `id IN (…)` in any domain's WHERE). */
export function ownOrderIds(userId: number): ReturnType<typeof literal> {
  return literal(`(SELECT id FROM ${SaleOrderModel.tableName} WHERE createdById = ${Number(userId)})`);
}

/** The user whose own orders include this one (its creator), or null. */
export async function orderOwner(t: Tx | null, id: number): Promise<number | null> {
  const o = await SaleOrderModel.findByPk(id, { attributes: ['id', 'createdById'], transaction: t });
  return o?.createdById ?? null;
}

/** The WHERE that limits a list (board, counts, export) to what the user may see. */
export function orderScope(auth: Pick<Auth, 'user'>): WhereOptions<SaleOrderModel> {
  return ownOrdersOnly(auth) ? { createdById: auth.user.id } : {};
}

export function mayAccessOrder(auth: Pick<Auth, 'user'>, o: Pick<SaleOrderModel, 'createdById'>): boolean {
  return !ownOrdersOnly(auth) || o.createdById === auth.user.id;
}

export function assertOrderAccess(auth: Pick<Auth, 'user'>, o: Pick<SaleOrderModel, 'createdById' | 'name'>): void {
  if (!mayAccessOrder(auth, o)) throw new ForbiddenError(`${o.name} is another salesperson's order: you may see your own orders only`);
}
