import { SALE_ORDER_ACTION_TARGETS, SALE_ORDER_TRANSITIONS, canTransition, type SaleOrderAction } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { assertOrderAccess } from './sale-order.access';
import { toSaleOrder } from './sale-order.mapper';
import type { SaleOrderModel } from './sale-order.model';
import { loadOrder, publishOrder, saveWithLines } from './sale-order.service';
import { snapshotSaleOrder, trackSaleOrder } from './sale-order.tracking';

/**
 * Moves an order through one action of its state machine inside t: locks the row, checks the
 * expected version (when given) and the state, runs `check` (the workflow's own preconditions),
 * saves and publishes order.updated after commit.
 */
export async function transitionSaleOrder(
  auth: Auth,
  id: number,
  action: SaleOrderAction,
  t: Tx,
  opts: { version?: number; check?: (o: SaleOrderModel) => void | Promise<void> } = {},
): Promise<SaleOrderModel> {
  requireAccess(auth, 'saleOrder.write');
  const o = await loadOrder(t, id, true);
  assertOrderAccess(auth, o);
  if (opts.version !== undefined && opts.version !== o.version) {
    throw new ConflictError(`${o.name} was changed by someone else`, toSaleOrder(o));
  }
  if (!canTransition(action, o.state)) {
    const allowed = SALE_ORDER_TRANSITIONS[action].join(' or ');
    throw new InvalidStateError(`Cannot ${action} ${o.name}: it is ${o.state} (needs ${allowed})`);
  }
  await opts.check?.(o);
  const before = { state: o.state, version: o.version };
  const tracked = snapshotSaleOrder(o);
  o.state = SALE_ORDER_ACTION_TARGETS[action];
  await saveWithLines(o, o.lines ?? [], t);
  await trackSaleOrder(t, tracked, o, auth.user.id);
  publishOrder(t, o, auth, before);
  return o;
}
