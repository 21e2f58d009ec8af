import type { VendorNotification } from '../../../contracts/schemas/purchasing';
import { iso } from '../../db/columns';
import type { Tx } from '../../db/transaction';
import { VendorNotificationModel } from './vendor.model';

export function toVendorNotification(n: VendorNotificationModel): VendorNotification {
  return {
    id: n.id,
    event: n.event,
    key: n.key,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError ?? null,
    responseStatus: n.responseStatus ?? null,
    createdAt: iso(n.createdAt),
    sentAt: n.sentAt ? iso(n.sentAt) : null,
  };
}

/** The order notifications of a purchase order, oldest first (shown on the PO). */
export async function vendorNotificationsOf(t: Tx | null, purchaseOrderId: number): Promise<VendorNotification[]> {
  const rows = await VendorNotificationModel.findAll({
    where: { purchaseOrderId },
    attributes: { exclude: ['payload'] },
    order: [['id', 'ASC']],
    transaction: t,
  });
  return rows.map(toVendorNotification);
}
