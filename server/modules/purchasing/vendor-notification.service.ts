import { createHmac } from 'node:crypto';
import type { PurchaseOrder } from '../../../contracts/schemas/purchasing';
import { afterCommit, withTransaction, type Tx } from '../../db/transaction';
import { InvalidStateError, NotFoundError, nullIfNotFound } from '../../http/errors';
import { escapeHtml } from '../../lib/html';
import { logger } from '../../lib/logger';
import { outboundFetch } from '../../lib/outbound';
import { runtime } from '../../runtime';
import { requireAccess, type Auth } from '../auth/access';
import { createMessage } from '../chatter/chatter.service';
import { vendorEndpointOf } from '../partners/partner.service';
import { portalLinkFor } from './portal.tokens';
import { assertPurchaseAccess } from './purchase-order.access';
import { deliverToOf, relatedOf, sortedLines } from './purchase-order.document';
import type { PurchaseOrderModel } from './purchase-order.model';
import { loadPurchase, publishPurchase, purchaseOrderDto } from './purchase-order.service';
import { VendorNotificationModel } from './vendor.model';

// Signed JSON notifications to a vendor's order endpoint (a drop-ship partner's system, say): written
// in the transaction that confirmed (or cancelled) the purchase order, POSTed by the notify-vendor job
// after commit, retried with backoff until the endpoint answers 2xx. Each carries the same body, the
// same Idempotency-Key on every attempt, and a fresh timestamp and signature:
//   X-CommerceCore-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" under the vendor's secret>
// An attempt cut off before its answer (a worker killed mid-request) is sent again with the same key:
// the endpoint acts on a key once, so the order reaches the vendor exactly once.

export type VendorEvent = 'purchase_order.confirmed' | 'purchase_order.cancelled';

export const SIGNATURE_HEADER = 'X-CommerceCore-Signature';
export const TIMESTAMP_HEADER = 'X-CommerceCore-Timestamp';

export function notifyJobId(row: Pick<VendorNotificationModel, 'id' | 'sends'>): string {
  return `vendor-${row.id}-${row.sends}`;
}

async function enqueueNotify(row: Pick<VendorNotificationModel, 'id' | 'sends'>): Promise<void> {
  const { queues, config } = runtime();
  await queues.enqueue(
    'notify-vendor',
    { notificationId: row.id },
    { jobId: notifyJobId(row), attempts: config.mailSendAttempts, backoffMs: config.mailRetryDelayMs },
  );
}

/** The JSON the vendor receives: the order, what to deliver where, and the portal link to answer in. */
async function payloadOf(t: Tx, o: PurchaseOrderModel, event: VendorEvent, key: string): Promise<string> {
  const related = await relatedOf(t, o);
  const link = await portalLinkFor(t, o);
  const deliverTo = deliverToOf(o, related);
  return JSON.stringify({
    event,
    idempotencyKey: key,
    createdAt: new Date().toISOString(),
    buyer: { name: related.company.name, email: related.company.email ?? null },
    purchaseOrder: {
      id: o.id,
      name: o.name,
      state: o.state,
      currency: o.currency,
      dropship: !!o.dropshipAddress,
      deliverTo: o.dropshipAddress ? { ...o.dropshipAddress } : { name: deliverTo.name, addressLines: deliverTo.addressLines },
      origin: o.origin,
      datePlanned: o.datePlanned?.toISOString() ?? null,
      amountUntaxed: o.amountUntaxed,
      amountTax: o.amountTax,
      amountTotal: o.amountTotal,
      lines: sortedLines(o).map((l) => ({
        lineId: l.id,
        sku: l.product?.sku ?? '',
        description: l.description,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        datePlanned: l.datePlanned.toISOString(),
      })),
    },
    portalUrl: link.url,
  });
}

/**
 * Writes the notification of `event` for `o` (loaded with its lines, in t) when its vendor has an
 * active order endpoint; sent once t commits. A cancellation is told only to a vendor told of the order.
 */
export async function queueVendorNotification(t: Tx, o: PurchaseOrderModel, event: VendorEvent): Promise<void> {
  if (!(await vendorEndpointOf(t, o.partnerId))) return;
  if (event === 'purchase_order.cancelled') {
    const told = await VendorNotificationModel.count({ where: { purchaseOrderId: o.id, event: 'purchase_order.confirmed' }, transaction: t });
    if (!told) return;
  }
  // One key per document, event and version: a repeated cause writes nothing twice; a PO confirmed
  // again after a cancellation is a new notification.
  const key = `${o.name}:${event}:v${o.version}`;
  if (await VendorNotificationModel.count({ where: { key }, transaction: t })) return;
  const row = await VendorNotificationModel.create(
    { key, purchaseOrderId: o.id, partnerId: o.partnerId, event, payload: await payloadOf(t, o, event, key), status: 'queued' },
    { transaction: t },
  );
  afterCommit(t, () => enqueueNotify(row));
}

/** The headers of one attempt: a fresh timestamp, signed with the body. */
export function signedHeaders(secret: string, body: string, row: Pick<VendorNotificationModel, 'key' | 'event'>, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'CommerceCore',
    'Idempotency-Key': row.key,
    'X-CommerceCore-Event': row.event,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `sha256=${signature}`,
  };
}

type Outcome = Partial<Pick<VendorNotificationModel, 'status' | 'attempts' | 'lastError' | 'responseStatus' | 'sentAt' | 'sendingAt'>>;

/**
 * Records an attempt's outcome on the row (if it is still queued) and, in the same transaction, the
 * note for the buyer when it failed for good; the PO's watchers see the new status once committed.
 */
async function settle(row: VendorNotificationModel, outcome: Outcome, note?: string): Promise<void> {
  await withTransaction(async (t) => {
    const [changed] = await VendorNotificationModel.update(outcome, { where: { id: row.id, status: 'queued' }, transaction: t });
    const o = changed ? await loadPurchase(t, row.purchaseOrderId, false, { demands: false }).catch(nullIfNotFound) : null;
    if (!o) return;
    if (note) {
      await createMessage(t, { model: 'purchaseOrder', resId: o.id, type: 'note', body: note, author: { partnerId: null, name: 'CommerceCore', email: '' } });
    }
    publishPurchase(t, o, null, undefined, []);
  });
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * One attempt at a notification (the notify-vendor job). 2xx: sent. Otherwise the error is kept and
 * rethrown for the queue to retry after a backoff; the last attempt marks it failed and notes it on the PO.
 */
export async function deliverVendorNotification(id: number, attempt: { final: boolean }): Promise<{ status: 'queued' | 'sent' | 'failed' }> {
  const row = await VendorNotificationModel.findByPk(id);
  if (!row) return { status: 'failed' };
  if (row.status !== 'queued') return { status: row.status };
  const endpoint = await vendorEndpointOf(null, row.partnerId);
  if (!endpoint) {
    await settle(row, { status: 'failed', lastError: 'The vendor has no active order endpoint any more' });
    return { status: 'failed' };
  }
  await VendorNotificationModel.update({ sendingAt: new Date() }, { where: { id, status: 'queued' } });
  let error: string;
  let responseStatus: number | null = null;
  try {
    const res = await outboundFetch(
      endpoint.url,
      {
        method: 'POST',
        headers: signedHeaders(endpoint.secret, row.payload, row),
        body: row.payload,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'error',
      },
      { privateNetwork: runtime().config.channelPrivateNetwork },
    );
    responseStatus = res.status;
    const text = await res.text().catch(() => '');
    if (res.ok) {
      await settle(row, { status: 'sent', attempts: row.attempts + 1, lastError: null, responseStatus, sentAt: new Date(), sendingAt: null });
      return { status: 'sent' };
    }
    error = `The endpoint answered ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
  } catch (err) {
    error = err instanceof Error ? (err.name === 'TimeoutError' ? `No answer within ${REQUEST_TIMEOUT_MS / 1000} s` : err.message) : String(err);
  }
  logger.warn({ notificationId: id, final: attempt.final, err: error }, 'vendor notification not delivered');
  await settle(
    row,
    { status: attempt.final ? 'failed' : 'queued', attempts: row.attempts + 1, lastError: error.slice(0, 2000), responseStatus, sendingAt: null },
    attempt.final
      ? `<p>The order notification to the vendor's endpoint failed after ${row.attempts + 1} attempts: ${escapeHtml(error)}. Send it again from this purchase order once the vendor's system is back.</p>`
      : undefined,
  );
  throw new Error(error);
}

/** A failed notification goes back to the queue for a fresh round of attempts (same key: the vendor still acts on it once). */
export async function retryVendorNotification(auth: Auth, purchaseOrderId: number, notificationId: number): Promise<PurchaseOrder> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const o = await loadPurchase(t, purchaseOrderId, true);
    assertPurchaseAccess(auth, o);
    const row = await VendorNotificationModel.findOne({ where: { id: notificationId, purchaseOrderId }, transaction: t, lock: t.LOCK.UPDATE });
    if (!row) throw new NotFoundError('Vendor notification', notificationId);
    if (row.status !== 'failed') throw new InvalidStateError(`Only a failed notification can be sent again; this one is ${row.status}`);
    row.set({ status: 'queued', sends: row.sends + 1, lastError: null });
    await row.save({ transaction: t });
    afterCommit(t, () => enqueueNotify(row));
    publishPurchase(t, o, auth);
    return purchaseOrderDto(t, o);
  });
}

/** At start: queues every notification still waiting (written while no process could send it). Deterministic job ids: nothing twice. */
export async function enqueueWaitingVendorNotifications(): Promise<number> {
  const rows = await VendorNotificationModel.findAll({ where: { status: 'queued' }, attributes: ['id', 'sends'], order: [['id', 'ASC']], limit: 10_000 });
  for (const r of rows) await enqueueNotify(r);
  return rows.length;
}
