import type { WhereOptions } from 'sequelize';
import { ForbiddenError } from '../../http/errors';
import type { Auth } from '../auth/access';
import type { SaleOrderModel } from './sale-order.model';

// The record rule of sale orders: a user with orderAccess `own` sees only the orders they created;
// everyone else with the role's permission sees them all.

export function ownOrdersOnly(auth: Pick<Auth, 'user'>): boolean {
  return auth.user.orderAccess === 'own';
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
