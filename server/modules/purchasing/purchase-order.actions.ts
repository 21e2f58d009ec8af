import { PURCHASE_ORDER_TRANSITIONS, canTransitionPurchase, type PurchaseOrderAction, type PurchaseOrderState } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { ConflictError, InvalidStateError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { assertPurchaseAccess } from './purchase-order.access';
import type { PurchaseOrderModel } from './purchase-order.model';
import { loadPurchase, publishPurchase, purchaseOrderDto, savePurchase } from './purchase-order.service';
import { snapshotPurchase, trackPurchase } from './purchase-order.tracking';

const TARGET: Record<PurchaseOrderAction, PurchaseOrderState> = { send: 'sent', confirm: 'purchase', cancel: 'cancel', draft: 'draft' };

/**
 * Moves a purchase order through one action of its state machine inside t: locks it, checks the
 * version (when given) and the state, runs `check` (the workflow's preconditions), saves, logs the
 * change in its chatter and publishes purchaseOrder.updated after commit. Sending a confirmed PO keeps
 * it confirmed. A draft leaves the vendor's open-RFQ slot once it is sent, confirmed or cancelled.
 */
export async function transitionPurchaseOrder(
  t: Tx,
  auth: Auth,
  id: number,
  action: PurchaseOrderAction,
  opts: { version?: number; check?: (o: PurchaseOrderModel) => void | Promise<void> } = {},
): Promise<PurchaseOrderModel> {
  requireAccess(auth, 'purchase.write');
  const o = await loadPurchase(t, id, true);
  assertPurchaseAccess(auth, o);
  if (opts.version !== undefined && opts.version !== o.version) throw new ConflictError(`${o.name} was changed by someone else`, await purchaseOrderDto(t, o));
  if (!canTransitionPurchase(action, o.state)) {
    throw new InvalidStateError(`Cannot ${action} ${o.name}: it is ${o.state} (needs ${PURCHASE_ORDER_TRANSITIONS[action].join(' or ')})`);
  }
  await opts.check?.(o);
  const before = { state: o.state, version: o.version };
  const tracked = snapshotPurchase(o);
  if (!(action === 'send' && o.state === 'purchase')) o.state = TARGET[action];
  if (o.state !== 'draft') o.draftKey = null;
  if (action === 'confirm') o.dateApproved = new Date();
  if (action === 'send') o.sentAt = new Date();
  await savePurchase(t, o, o.lines ?? []);
  await trackPurchase(t, tracked, o, auth.user.id);
  publishPurchase(t, o, auth, before);
  return o;
}

/** After receipts or bills changed its lines: a confirmed PO everything of which is received and billed is done. */
export async function settlePurchase(t: Tx, o: PurchaseOrderModel, authorId: number | null): Promise<void> {
  const lines = o.lines ?? [];
  const complete = lines.length > 0 && lines.every((l) => l.qtyReceived >= l.quantity && l.qtyBilled >= l.quantity);
  const before = { state: o.state, version: o.version };
  const tracked = snapshotPurchase(o);
  if (o.state === 'purchase' && complete) o.state = 'done';
  else if (o.state === 'done' && !complete) o.state = 'purchase';
  await savePurchase(t, o, lines);
  await trackPurchase(t, tracked, o, authorId);
  publishPurchase(t, o, null, before);
}
