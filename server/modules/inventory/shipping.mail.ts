import type { Tx } from '../../db/transaction';
import { nullIfNotFound } from '../../http/errors';
import { trackingUrl } from '../../lib/tracking';
import type { Auth } from '../auth/access';
import { createMessage, sanitizeBody } from '../chatter/chatter.service';
import { ensureCompany } from '../company/company.service';
import { formatQuantity } from '../documents/delivery-note';
import { formatAddress, queueMail } from '../mail/outbox.service';
import { replyAddress } from '../mail/reply-address';
import { renderTemplate } from '../mail/templates';
import { findPartner, type PartnerRecord } from '../partners/partner.service';
import { loadPicking } from './picking.service';
import type { PickingModel } from './stock.model';

// The customer's shipping confirmation (template shipping_confirmation): what a vendor shipped to them
// (a drop-ship), with the carrier's tracking link; the email is logged in the order's chatter, and
// their reply comes back there.

const oneLine = (a: Record<string, unknown> | null) =>
  a
    ? [a.name, a.street, a.street2, [a.zip, a.city].filter(Boolean).join(' '), a.countryCode]
        .map((v) => (typeof v === 'string' ? v.trim() : ''))
        .filter(Boolean)
        .join(', ')
    : '';

/** The sale order's name in a picking's origin ("S00012", or a drop-ship's "P00003 (S00012)"). */
const orderNameOf = (p: PickingModel) => /\(([^)]+)\)$/.exec(p.origin ?? '')?.[1] ?? p.origin ?? '';

function contextOf(p: PickingModel, customer: PartnerRecord, companyName: string): object {
  return {
    customer: { name: customer.name },
    order: { name: orderNameOf(p) },
    shipping: {
      name: p.name,
      carrier: p.carrier ?? '',
      trackingRef: p.trackingRef ?? '',
      trackingUrl: trackingUrl(p.carrier, p.trackingRef) ?? '',
      lines: (p.moves ?? [])
        .filter((m) => m.state === 'done' && m.quantityDone > 0)
        .map((m) => ({ description: m.description, quantity: formatQuantity(m.quantityDone) })),
      address: oneLine(p.shippingAddress),
    },
    company: { name: companyName },
  };
}

/** The placeholder values of shipping_confirmation for one picking (the template registry's builder). */
export async function shippingMailContext(t: Tx | null, id: number): Promise<object | null> {
  const p = await loadPicking(t, id).catch(nullIfNotFound);
  if (!p?.partnerId) return null;
  const customer = await findPartner(t, p.partnerId).catch(nullIfNotFound);
  if (!customer) return null;
  return contextOf(p, customer, (await ensureCompany(t)).name);
}

/**
 * Emails the customer that their goods shipped (once per validation: the key names the picking and
 * what it shipped), logged in the order's chatter. A customer without an email address gets none.
 */
export async function emailShippingConfirmation(t: Tx, auth: Auth, p: PickingModel): Promise<boolean> {
  if (!p.partnerId || !p.saleOrderId) return false;
  const customer = await findPartner(t, p.partnerId);
  if (!customer.email) return false;
  const company = await ensureCompany(t);
  const rendered = await renderTemplate(t, 'shipping_confirmation', contextOf(p, customer, company.name));
  const message = await createMessage(t, {
    model: 'saleOrder',
    resId: p.saleOrderId,
    type: 'comment',
    body: sanitizeBody(rendered.html),
    author: { userId: auth.user.id, name: auth.user.name },
    excludePartnerIds: [customer.id],
  });
  await queueMail(
    t,
    {
      key: `picking:${p.id}:shipped:message:${message.id}`,
      to: formatAddress(customer.name, customer.email),
      ...rendered,
      replyTo: replyAddress('saleOrder', p.saleOrderId),
      model: 'saleOrder',
      resId: p.saleOrderId,
      chatterMessageId: message.id,
    },
    company.name,
  );
  return true;
}
