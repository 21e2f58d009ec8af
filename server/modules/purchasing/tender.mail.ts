import type { Tx } from '../../db/transaction';
import { nullIfNotFound } from '../../http/errors';
import type { Auth } from '../auth/access';
import { createMessage, sanitizeBody } from '../chatter/chatter.service';
import { ensureCompany } from '../company/company.service';
import { formatAddress, queueMail } from '../mail/outbox.service';
import { replyAddress } from '../mail/reply-address';
import { renderTemplate } from '../mail/templates';
import { transitionPurchaseOrder } from './purchase-order.actions';
import { purchaseMailContext } from './purchase-order.mail';
import { forgetSaleDemands } from './purchase-order.demands';
import { PurchaseOrderModel } from './purchase-order.model';
import { TenderModel } from './tender.model';

// The RFQs of a call for tenders that are not chosen: cancelled, and the vendors who were asked get a
// polite email (template rfq_declined) through the outbox, logged in the RFQ's chatter, in the
// transaction of the choice (or of the tender's cancellation).

/** The placeholder values of rfq_declined for one RFQ: the RFQ's own, and its tender (the template registry's builder). */
export async function declinedMailContext(t: Tx | null, purchaseOrderId: number, cancelled = false): Promise<object | null> {
  const base = await purchaseMailContext(t, purchaseOrderId);
  if (!base) return null;
  const o = await PurchaseOrderModel.findByPk(purchaseOrderId, { attributes: ['id', 'tenderId'], transaction: t }).catch(nullIfNotFound);
  const tender = o?.tenderId ? await TenderModel.findByPk(o.tenderId, { attributes: ['id', 'name'], transaction: t }) : null;
  return { ...base, tender: { name: tender?.name ?? '', cancelled } };
}

/**
 * Cancels one RFQ of a tender in t (its demands let go: what it was to buy is bought elsewhere, or not
 * at all) and, when it was sent to the vendor, emails them that it is declined. A vendor without an
 * email address gets no email (they were never sent the RFQ either).
 */
export async function declineTenderRfq(t: Tx, auth: Auth, purchaseOrderId: number, opts: { tenderCancelled: boolean }): Promise<void> {
  const o = await transitionPurchaseOrder(t, auth, purchaseOrderId, 'cancel');
  await forgetSaleDemands(
    t,
    (o.lines ?? []).flatMap((l) => l.demands ?? []),
  );
  const vendor = o.partner;
  if (!o.sentAt || !vendor?.email) return;
  const context = await declinedMailContext(t, o.id, opts.tenderCancelled);
  const rendered = await renderTemplate(t, 'rfq_declined', context ?? {});
  const message = await createMessage(t, {
    model: 'purchaseOrder',
    resId: o.id,
    type: 'comment',
    body: sanitizeBody(rendered.html),
    author: { userId: auth.user.id, name: auth.user.name },
    excludePartnerIds: [vendor.id],
  });
  await queueMail(
    t,
    {
      key: `purchaseOrder:${o.id}:rfq_declined`,
      to: formatAddress(vendor.name, vendor.email),
      ...rendered,
      replyTo: replyAddress('purchaseOrder', o.id),
      model: 'purchaseOrder',
      resId: o.id,
      chatterMessageId: message.id,
    },
    (await ensureCompany(t)).name,
  );
}
