import type { Tx } from '../../db/transaction';
import { InvalidStateError, nullIfNotFound } from '../../http/errors';
import { discountLabel, formatMoney } from '../../lib/money';
import type { Auth } from '../auth/access';
import { createMessage, sanitizeBody } from '../chatter/chatter.service';
import { ensureCompany, type CompanyRecord } from '../company/company.service';
import { formatAddress, queueMail } from '../mail/outbox.service';
import { replyAddress } from '../mail/reply-address';
import { renderTemplate } from '../mail/templates';
import { findPartner, type PartnerRecord } from '../partners/partner.service';
import type { SaleOrderModel } from './sale-order.model';
import { discountTotal } from './sale-order.lines';
import { loadOrder } from './sale-order.service';

// The order confirmation email: the quotation when it is sent, the confirmation when it is confirmed.

const quantity = (q: number) => (Number.isInteger(q) ? String(q) : q.toFixed(3).replace(/0+$/, ''));

function oneLine(a: SaleOrderModel['shippingAddress']): string {
  if (!a) return '';
  return [a.name, a.street, a.street2, [a.zip, a.city].filter(Boolean).join(' '), a.state, a.countryCode].filter(Boolean).join(', ');
}

/** The placeholder values of the order_confirmation template for one order. */
export async function orderMailContext(t: Tx | null, orderId: number): Promise<object | null> {
  const o = await loadOrder(t, orderId).catch(nullIfNotFound);
  if (!o) return null;
  const [customer, company] = await Promise.all([findPartner(t, o.partnerId), ensureCompany(t)]);
  return buildContext(o, customer, company);
}

function buildContext(o: SaleOrderModel, customer: PartnerRecord, company: CompanyRecord): object {
  const money = (cents: number) => formatMoney(cents, o.currency);
  return {
    customer: { name: customer.name, email: customer.email },
    order: {
      name: o.name,
      isQuotation: o.state === 'draft' || o.state === 'sent',
      state: o.state,
      date: o.dateOrder.toISOString().slice(0, 10),
      lines: [...(o.lines ?? [])]
        .sort((a, b) => a.sequence - b.sequence || a.id - b.id)
        .map((l) => ({
          description: l.description,
          quantity: quantity(l.quantity),
          unitPrice: money(l.unitPrice),
          discount: discountLabel(l.discount, l.discountAmount, o.currency),
          amount: money(l.subtotal + l.orderDiscount),
          total: money(l.total),
        })),
      discountCode: o.discountCode ?? '',
      orderDiscount: o.orderDiscount ? money(-o.orderDiscount) : '',
      discount: discountTotal(o.lines ?? []) ? money(discountTotal(o.lines ?? [])) : '',
      untaxed: money(o.amountUntaxed),
      tax: money(o.amountTax),
      total: money(o.amountTotal),
      shippingAddress: oneLine(o.shippingAddress),
    },
    company: { name: company.name },
  };
}

/**
 * Emails the order (quotation or confirmation) to its customer in t and logs it in the order's chatter
 * as a message. `required`: a customer without an email address is an error rather than a skip.
 */
export async function emailOrderToCustomer(t: Tx, auth: Auth, o: SaleOrderModel, opts: { required: boolean }): Promise<boolean> {
  const customer = o.partner?.email !== undefined ? o.partner : await findPartner(t, o.partnerId);
  if (!customer.email) {
    if (opts.required) throw new InvalidStateError(`Cannot email ${o.name}: its customer ${customer.name} has no email address`);
    return false;
  }
  const company = await ensureCompany(t);
  const rendered = await renderTemplate(t, 'order_confirmation', buildContext(o, customer, company));
  // The email itself is the chatter message; the customer gets it once, from the template, not again as a notification.
  const message = await createMessage(t, {
    model: 'saleOrder',
    resId: o.id,
    type: 'comment',
    body: sanitizeBody(rendered.html),
    author: { userId: auth.user.id, name: auth.user.name },
    excludePartnerIds: [customer.id],
  });
  await queueMail(
    t,
    {
      key: `saleOrder:${o.id}:${o.state}:message:${message.id}`,
      to: formatAddress(customer.name, customer.email),
      ...rendered,
      replyTo: replyAddress('saleOrder', o.id),
      model: 'saleOrder',
      resId: o.id,
      chatterMessageId: message.id,
      owner: o.createdById,
    },
    company.name,
  );
  return true;
}
