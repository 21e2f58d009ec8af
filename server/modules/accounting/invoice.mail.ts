import type { Response } from 'express';
import { Op } from 'sequelize';
import type { Invoice } from '../../../contracts/schemas/invoices';
import { withTransaction, type Tx } from '../../db/transaction';
import { ForbiddenError, InvalidStateError } from '../../http/errors';
import { formatMoney } from '../../lib/money';
import { requireAccess, type Auth } from '../auth/access';
import { UserModel } from '../auth/user.model';
import { saveReceivedFiles, toAttachment } from '../chatter/attachments.service';
import { createMessage, sanitizeBody } from '../chatter/chatter.service';
import { FollowerModel } from '../chatter/message.model';
import type { CompanyModel } from '../company/company.model';
import { ensureCompany } from '../company/company.service';
import { invoiceDocument, renderDocx, renderPdf, type InvoiceDocumentInput } from '../documents';
import { OutboxModel } from '../mail/mail.model';
import { formatAddress, queueMail } from '../mail/outbox.service';
import { replyAddress } from '../mail/reply-address';
import { renderTemplate } from '../mail/templates';
import { PartnerModel } from '../partners/partner.model';
import { findPartner } from '../partners/partner.service';
import { SaleOrderModel } from '../sales/sale-order.model';
import type { InvoiceModel } from './invoice.model';
import { displayName, loadInvoice, mayAccessInvoice, publishInvoice, toInvoice } from './invoice.service';

// The invoice as a document (PDF, DOCX) and as an email: "Send" renders the template, attaches the PDF,
// emails the customer and a copy to each follower through the outbox, and logs it in the chatter.

const lines = (...parts: (string | null | undefined)[]) => parts.map((p) => (p ?? '').trim()).filter(Boolean);

function addressOf(p: { street: string | null; zip: string | null; city: string | null; countryCode: string | null }): string[] {
  return lines(p.street, lines(p.zip, p.city).join(' '), p.countryCode);
}

function documentInput(inv: Invoice, company: CompanyModel, customer: PartnerModel, creditedName: string | null): InvoiceDocumentInput {
  const credit = inv.moveType === 'out_refund';
  const kind = inv.state === 'posted' ? (credit ? 'credit_note' : 'invoice') : credit ? 'draft_credit_note' : 'draft_invoice';
  return {
    kind,
    number: inv.displayName,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    origin: inv.saleOrderName,
    creditedInvoice: creditedName,
    paymentReference: inv.paymentReference,
    currency: inv.currency,
    company: { name: company.name, addressLines: addressOf(company), vatId: company.vatId, email: company.email, phone: company.phone },
    customer: { name: customer.name, addressLines: addressOf(customer) },
    lines: inv.lines.map((l) => ({
      sku: l.sku,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      discountAmount: l.discountAmount,
      orderDiscount: l.orderDiscount,
      taxes: l.taxes.map((x) => x.name).join(', '),
      subtotal: l.subtotal,
    })),
    discountCode: inv.discountCode,
    taxTotals: inv.taxTotals,
    amountUntaxed: inv.amountUntaxed,
    amountTotal: inv.amountTotal,
    amountResidual: inv.state === 'posted' ? inv.amountResidual : null,
    note: inv.note,
  };
}

export async function invoiceFile(inv: InvoiceModel, format: 'pdf' | 'docx', t?: Tx): Promise<{ name: string; data: Buffer; contentType: string }> {
  const [full, company, customer, credited] = await Promise.all([
    toInvoice(inv, t),
    ensureCompany(t ?? null),
    findPartner(inv.partnerId, t),
    inv.reversedInvoiceId ? loadInvoice(inv.reversedInvoiceId, t) : null,
  ]);
  const doc = invoiceDocument(documentInput(full, company, customer, credited ? displayName(credited) : null));
  const data = format === 'pdf' ? await renderPdf(doc) : await renderDocx(doc);
  const base = displayName(inv).replace(/[^A-Za-z0-9._-]+/g, '-');
  return {
    name: `${base}.${format}`,
    data,
    contentType: format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
}

/** The invoice as a download (`inline` for the console's PDF preview). */
export async function sendInvoiceFile(auth: Auth, id: number, format: 'pdf' | 'docx', res: Response, inline = false): Promise<void> {
  requireAccess(auth, 'invoice.read');
  const inv = await loadInvoice(id);
  if (!(await mayAccessInvoice(auth, inv))) throw new ForbiddenError('You may not read this invoice');
  const file = await invoiceFile(inv, format);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `${inline && format === 'pdf' ? 'inline' : 'attachment'}; filename="${file.name}"`);
  res.setHeader('Content-Length', String(file.data.length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(file.data);
}

/** The placeholder values of the invoice_email template. */
export async function invoiceMailContext(id: number, t?: Tx): Promise<object | null> {
  const inv = await loadInvoice(id, t).catch(() => null);
  if (!inv) return null;
  const [customer, company, order] = await Promise.all([
    findPartner(inv.partnerId, t),
    ensureCompany(t ?? null),
    inv.saleOrderId ? SaleOrderModel.findByPk(inv.saleOrderId, { attributes: ['name'], transaction: t }) : null,
  ]);
  const money = (c: number) => formatMoney(c, inv.currency);
  return {
    customer: { name: customer.name, email: customer.email },
    invoice: {
      name: displayName(inv),
      isCreditNote: inv.moveType === 'out_refund',
      date: inv.invoiceDate ?? '',
      dueDate: inv.dueDate ?? '',
      origin: order?.name ?? '',
      untaxed: money(inv.amountUntaxed),
      tax: money(inv.amountTax),
      total: money(inv.amountTotal),
      amountDue: money(inv.state === 'posted' ? inv.amountResidual : inv.amountTotal),
      paymentReference: inv.paymentReference ?? '',
    },
    company: { name: company.name },
  };
}

type SendOptions = {
  copyFollowers: boolean;
  subject?: string;
  /** A fixed key (batches, automation): sending again with it sends nothing more. */
  key?: string;
};

/**
 * Emails a posted invoice in t: to the customer, and a copy to each follower (users and partners, the
 * sender and muted followers aside), each with the PDF; the email is the chatter message. Returns false
 * when `opts.key` was already sent.
 */
export async function sendInvoiceIn(t: Tx, auth: Auth | null, id: number, opts: SendOptions): Promise<boolean> {
  if (auth) requireAccess(auth, 'invoice.write');
  if (opts.key && (await OutboxModel.count({ where: { key: opts.key }, transaction: t }))) return false;
  const inv = await loadInvoice(id, t, true);
  if (auth && !(await mayAccessInvoice(auth, inv))) throw new ForbiddenError('You may not send this invoice');
  if (inv.state !== 'posted') throw new InvalidStateError(`Cannot send ${displayName(inv)}: post it first`);
  const customer = await findPartner(inv.partnerId, t);
  if (!customer.email) throw new InvalidStateError(`Cannot email ${displayName(inv)}: its customer ${customer.name} has no email address`);
  const [company, context, pdf] = await Promise.all([ensureCompany(t), invoiceMailContext(inv.id, t), invoiceFile(inv, 'pdf', t)]);
  const rendered = await renderTemplate(t, 'invoice_email', context!);
  if (opts.subject) rendered.subject = opts.subject;

  const author = auth ? { userId: auth.user.id, name: auth.user.name } : null;
  const message = await createMessage(
    t,
    {
      model: 'invoice',
      resId: inv.id,
      type: 'comment',
      body: sanitizeBody(rendered.html),
      author: author ?? { partnerId: null, name: company.name, email: '' },
      mail: false,
    },
    async (m) =>
      (
        await saveReceivedFiles(t, [{ originalname: pdf.name, buffer: pdf.data, size: pdf.data.length }], {
          model: 'invoice',
          resId: inv.id,
          messageId: m.id,
          inboundId: null,
        })
      ).map(toAttachment),
  );
  const attachments = message.attachments.map((a) => ({ id: a.id, name: a.name, mimeType: a.mimeType, size: a.size }));
  const key = opts.key ?? `invoice:${inv.id}:message:${message.id}`;
  const common = {
    ...rendered,
    replyTo: replyAddress('invoice', inv.id),
    model: 'invoice' as const,
    resId: inv.id,
    chatterMessageId: message.id,
    attachments,
  };
  await queueMail(t, { key, to: formatAddress(customer.name, customer.email), ...common }, company.name);

  if (opts.copyFollowers) {
    const followers = await FollowerModel.findAll({ where: { model: 'invoice', resId: inv.id, muted: false }, transaction: t });
    const partnerIds = followers.map((f) => f.partnerId).filter((p): p is number => p !== null && p !== customer.id);
    const userIds = followers.map((f) => f.userId).filter((u): u is number => u !== null && u !== auth?.user.id);
    const [partners, users] = await Promise.all([
      partnerIds.length ? PartnerModel.findAll({ where: { id: partnerIds, email: { [Op.ne]: null } }, transaction: t }) : [],
      userIds.length ? UserModel.findAll({ where: { id: userIds, active: true }, transaction: t }) : [],
    ]);
    const copy = { ...common, subject: `Copy: ${rendered.subject}` };
    for (const p of partners) await queueMail(t, { key: `${key}:copy:partner:${p.id}`, to: formatAddress(p.name, p.email!), ...copy }, company.name);
    for (const u of users) await queueMail(t, { key: `${key}:copy:user:${u.id}`, to: formatAddress(u.name, u.email), ...copy }, company.name);
  }
  inv.sentAt = new Date();
  await inv.save({ transaction: t });
  publishInvoice(t, inv);
  return true;
}

export async function sendInvoice(auth: Auth, id: number, opts: SendOptions): Promise<Invoice> {
  await withTransaction((t) => sendInvoiceIn(t, auth, id, opts));
  return toInvoice(await loadInvoice(id));
}
