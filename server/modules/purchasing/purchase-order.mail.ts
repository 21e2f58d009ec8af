import type { PurchaseOrder } from '../../../contracts/schemas/purchasing';
import { withTransaction, type Tx } from '../../db/transaction';
import { InvalidStateError, nullIfNotFound } from '../../http/errors';
import { formatMoney } from '../../lib/money';
import type { Auth } from '../auth/access';
import { saveReceivedFiles, toAttachment } from '../chatter/attachments.service';
import { createMessage, sanitizeBody } from '../chatter/chatter.service';
import { follow } from '../chatter/followers.service';
import { formatQuantity } from '../documents';
import { formatAddress, queueMail } from '../mail/outbox.service';
import { replyAddress } from '../mail/reply-address';
import { renderTemplate } from '../mail/templates';
import { portalLinkFor } from './portal.tokens';
import { transitionPurchaseOrder } from './purchase-order.actions';
import { day, deliverToOf, purchaseOrderFile, relatedOf, sortedLines, taxLabel, type Related } from './purchase-order.document';
import type { PurchaseOrderModel } from './purchase-order.model';
import { loadPurchase, purchaseOrderDto } from './purchase-order.service';

// Sending an RFQ or a purchase order to its vendor: the template (rfq or purchase_order) rendered, the
// PDF attached, the email written to the outbox with the PO's signed reply address (the vendor's answer
// comes back to its chatter), and the email itself logged as the chatter message, in one transaction
// with the state change.

export type PurchaseTemplate = 'rfq' | 'purchase_order';

/** The placeholder values of the rfq and purchase_order templates, from what was read. */
function mailContextOf(o: PurchaseOrderModel, related: Related, portal?: { url: string; expiresAt: Date }): object {
  const money = (cents: number) => formatMoney(cents, o.currency);
  return {
    vendor: { name: related.vendor.name, email: related.vendor.email },
    order: {
      name: o.name,
      isRfq: o.state === 'draft' || o.state === 'sent',
      state: o.state,
      date: day(o.dateOrder),
      datePlanned: o.datePlanned ? day(o.datePlanned) : '',
      deliverTo: o.dropshipAddress ? ((to) => [to.name, ...to.addressLines].join(', '))(deliverToOf(o, related)) : related.warehouse,
      dropship: !!o.dropshipAddress,
      origin: o.origin ?? '',
      lines: sortedLines(o).map((l) => ({
        sku: l.product?.sku ?? '',
        description: l.description,
        quantity: formatQuantity(l.quantity),
        unitPrice: money(l.unitPrice),
        taxes: taxLabel(l.taxIds, related),
        amount: money(l.subtotal),
        total: money(l.total),
        datePlanned: day(l.datePlanned),
      })),
      untaxed: money(o.amountUntaxed),
      tax: money(o.amountTax),
      total: money(o.amountTotal),
      note: o.note ?? '',
    },
    portal: portal ? { url: portal.url, expires: day(portal.expiresAt) } : { url: '', expires: '' },
    company: { name: related.company.name },
  };
}

/** The placeholder values of the rfq and purchase_order templates for one order (the template registry's builder). */
export async function purchaseMailContext(t: Tx | null, id: number): Promise<object | null> {
  const o = await loadPurchase(t, id).catch(nullIfNotFound);
  if (!o) return null;
  return mailContextOf(o, await relatedOf(t, o));
}

/** The same values for an order already loaded (no second read). */
export async function purchaseMailContextOf(t: Tx, o: PurchaseOrderModel): Promise<object> {
  return mailContextOf(o, await relatedOf(t, o));
}

type Vendor = { id: number; name: string; email: string };

/**
 * An email to the order's vendor that is also the order's chatter message (logged as the user, not
 * notified to the vendor a second time), written to the outbox with the order's reply address so the
 * answer comes back to the chatter. `key` names the email once, from its message id.
 */
export async function mailVendor(
  t: Tx,
  auth: Auth,
  o: PurchaseOrderModel,
  vendor: Vendor,
  companyName: string,
  rendered: { subject: string; html: string; text: string },
  key: (messageId: number) => string,
  files: { name: string; data: Buffer }[] = [],
): Promise<void> {
  const message = await createMessage(
    t,
    {
      model: 'purchaseOrder',
      resId: o.id,
      type: 'comment',
      body: sanitizeBody(rendered.html),
      author: { userId: auth.user.id, name: auth.user.name },
      excludePartnerIds: [vendor.id],
    },
    files.length
      ? async (m) =>
          (
            await saveReceivedFiles(
              t,
              files.map((f) => ({ originalname: f.name, buffer: f.data, size: f.data.length })),
              { model: 'purchaseOrder', resId: o.id, messageId: m.id, inboundId: null },
            )
          ).map(toAttachment)
      : undefined,
  );
  await queueMail(
    t,
    {
      key: key(message.id),
      to: formatAddress(vendor.name, vendor.email),
      ...rendered,
      replyTo: replyAddress('purchaseOrder', o.id),
      model: 'purchaseOrder',
      resId: o.id,
      chatterMessageId: message.id,
      attachments: message.attachments.map((a) => ({ id: a.id, name: a.name, mimeType: a.mimeType, size: a.size })),
    },
    companyName,
  );
}

/** Emails `o` (locked in t, state already moved) to its vendor with its PDF, and logs it in its chatter. */
export async function emailToVendor(t: Tx, auth: Auth, o: PurchaseOrderModel, template: PurchaseTemplate): Promise<void> {
  const related = await relatedOf(t, o);
  const { vendor, company } = related;
  if (!vendor.email) throw new InvalidStateError(`Cannot email ${o.name}: its vendor ${vendor.name} has no email address`);
  const pdf = await purchaseOrderFile(o, related, 'pdf');
  // Every RFQ and PO a vendor receives carries its portal link.
  const rendered = await renderTemplate(t, template, mailContextOf(o, related, await portalLinkFor(t, o)));
  // The vendor follows the order, so its replies are filed here and later messages reach it.
  await follow(t, 'purchaseOrder', o.id, { partnerId: vendor.id });
  // The email itself is the chatter message; the vendor gets it once, from the template, not again as a notification.
  await mailVendor(
    t,
    auth,
    o,
    { id: vendor.id, name: vendor.name, email: vendor.email },
    company.name,
    rendered,
    (id) => `purchaseOrder:${o.id}:${template}:message:${id}`,
    [pdf],
  );
}

/**
 * Send: an RFQ goes draft → sent (a sent one may be sent again), a confirmed PO stays confirmed; the
 * email uses the rfq template until the order is confirmed, purchase_order after, unless one is asked
 * for. A vendor without an email address is a 422 and nothing changes.
 */
export function sendPurchaseOrder(auth: Auth, id: number, input: { version?: number; template?: PurchaseTemplate } = {}): Promise<PurchaseOrder> {
  return withTransaction(async (t) => {
    const o = await transitionPurchaseOrder(t, auth, id, 'send', {
      version: input.version,
      check: (order) => {
        if (!order.partner?.email) throw new InvalidStateError(`Cannot email ${order.name}: its vendor ${order.partner?.name ?? ''} has no email address`);
      },
    });
    await emailToVendor(t, auth, o, input.template ?? (o.state === 'purchase' ? 'purchase_order' : 'rfq'));
    return purchaseOrderDto(t, o);
  });
}
