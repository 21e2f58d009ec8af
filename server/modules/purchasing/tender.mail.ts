import type { Tx } from '../../db/transaction';
import type { Auth } from '../auth/access';
import { ensureCompany } from '../company/company.service';
import { renderTemplate } from '../mail/templates';
import { transitionPurchaseOrder } from './purchase-order.actions';
import { mailVendor, purchaseMailContext, purchaseMailContextOf } from './purchase-order.mail';
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
  const o = await PurchaseOrderModel.findByPk(purchaseOrderId, { attributes: ['id', 'tenderId'], transaction: t });
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
  const tender = o.tenderId ? await TenderModel.findByPk(o.tenderId, { attributes: ['id', 'name'], transaction: t }) : null;
  const context = { ...(await purchaseMailContextOf(t, o)), tender: { name: tender?.name ?? '', cancelled: opts.tenderCancelled } };
  const rendered = await renderTemplate(t, 'rfq_declined', context);
  await mailVendor(
    t,
    auth,
    o,
    { id: vendor.id, name: vendor.name, email: vendor.email },
    (await ensureCompany(t)).name,
    rendered,
    () => `purchaseOrder:${o.id}:rfq_declined`,
  );
}
