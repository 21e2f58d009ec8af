import type { Response } from 'express';
import type { Invoice } from '../../../contracts/schemas/invoices';
import { isVendorMoveType } from '../../../contracts/states';
import { withTransaction, type Tx } from '../../db/transaction';
import { ForbiddenError, InvalidStateError, nullIfNotFound } from '../../http/errors';
import { formatMoney } from '../../lib/money';
import { recordNames } from '../../lib/records';
import { requireAccess, type Auth } from '../auth/access';
import { activeUsers } from '../auth/users.service';
import { saveReceivedFiles, toAttachment } from '../chatter/attachments.service';
import { createMessage, sanitizeBody } from '../chatter/chatter.service';
import { activeFollowers } from '../chatter/follower.queries';
import { ensureCompany } from '../company/company.service';
import { invoiceDocument, renderDocx, renderPdf, type InvoiceDocumentInput } from '../documents';
import { formatAddress, outboxHasKey, queueMail } from '../mail/outbox.service';
import { replyAddress } from '../mail/reply-address';
import { renderTemplate } from '../mail/templates';
import { findPartner, partnersWithEmail } from '../partners/partner.service';
import { orderNamesAndOwners } from '../sales/sale-order.queries';
import type { InvoiceModel } from './invoice.model';
import { mayAccessInvoice } from './invoice.access';
import { loadInvoice } from './invoice.ledger';
import { displayName, invoiceDto, invoiceNames, loadInvoiceDetails, publishInvoice, type InvoiceNames } from './invoice.mapper';

// The invoice as a document (PDF, DOCX) and as an email: "Send" renders the template, attaches the PDF,
// emails the customer and a copy to each follower through the outbox, and logs it in the chatter.
// A request reads the invoice, its customer, the company and its order's name once (`Related`) and
// hands them down.

type Customer = Awaited<ReturnType<typeof findPartner>>;
type Company = Awaited<ReturnType<typeof ensureCompany>>;

/** What the document and the email show besides the invoice itself. */
type Related = { customer: Customer; company: Company; orderName: string | null; names: InvoiceNames };

async function relatedOf(t: Tx | null, inv: InvoiceModel): Promise<Related> {
  const [customer, company, orders, purchases] = await Promise.all([
    findPartner(t, inv.partnerId),
    ensureCompany(t),
    orderNamesAndOwners(t, [inv.saleOrderId]),
    recordNames(t, 'purchaseOrder', [inv.purchaseOrderId ?? null]),
  ]);
  const orderName = inv.saleOrderId ? (orders.get(inv.saleOrderId)?.name ?? null) : null;
  return { customer, company, orderName, names: invoiceNames(new Map([[customer.id, customer.name]]), orders, purchases) };
}

const lines = (...parts: (string | null | undefined)[]) => parts.map((p) => (p ?? '').trim()).filter(Boolean);

function addressOf(p: { street: string | null; zip: string | null; city: string | null; countryCode: string | null }): string[] {
  return lines(p.street, lines(p.zip, p.city).join(' '), p.countryCode);
}

function documentInput(inv: Invoice, company: Company, customer: Customer): InvoiceDocumentInput {
  const credit = inv.moveType === 'out_refund' || inv.moveType === 'in_refund';
  const kind = inv.state === 'posted' ? (credit ? 'credit_note' : 'invoice') : credit ? 'draft_credit_note' : 'draft_invoice';
  // A credit note's creditNotes list the invoice it credits.
  const credited = inv.reversedInvoiceId ? (inv.creditNotes.find((c) => c.id === inv.reversedInvoiceId)?.displayName ?? null) : null;
  return {
    kind,
    number: inv.displayName,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    origin: inv.saleOrderName ?? inv.purchaseOrderName,
    creditedInvoice: credited,
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

/** The invoice as a file, from the full invoice and what was read with it. */
async function invoiceFile(full: Invoice, related: Related, format: 'pdf' | 'docx'): Promise<{ name: string; data: Buffer; contentType: string }> {
  const doc = invoiceDocument(documentInput(full, related.company, related.customer));
  const data = format === 'pdf' ? await renderPdf(doc) : await renderDocx(doc);
  const base = full.displayName.replace(/[^A-Za-z0-9._-]+/g, '-');
  return {
    name: `${base}.${format}`,
    data,
    contentType: format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
}

/** The invoice as a download (`inline` for the console's PDF preview). */
export async function sendInvoiceFile(auth: Auth, id: number, format: 'pdf' | 'docx', res: Response, inline = false): Promise<void> {
  requireAccess(auth, 'invoice.read');
  const inv = await loadInvoice(null, id);
  if (!(await mayAccessInvoice(null, auth, inv))) throw new ForbiddenError('You may not read this invoice');
  const related = await relatedOf(null, inv);
  const full = invoiceDto(inv, await loadInvoiceDetails(null, inv, related.names));
  const file = await invoiceFile(full, related, format);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `${inline && format === 'pdf' ? 'inline' : 'attachment'}; filename="${file.name}"`);
  res.setHeader('Content-Length', String(file.data.length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(file.data);
}

/** The placeholder values of the invoice_email template, from what was read. */
function mailContextOf(inv: InvoiceModel, related: Related): object {
  const { customer, company } = related;
  const money = (c: number) => formatMoney(c, inv.currency);
  return {
    customer: { name: customer.name, email: customer.email },
    invoice: {
      name: displayName(inv),
      isCreditNote: inv.moveType === 'out_refund',
      date: inv.invoiceDate ?? '',
      dueDate: inv.dueDate ?? '',
      origin: related.orderName ?? '',
      untaxed: money(inv.amountUntaxed),
      tax: money(inv.amountTax),
      total: money(inv.amountTotal),
      amountDue: money(inv.state === 'posted' ? inv.amountResidual : inv.amountTotal),
      paymentReference: inv.paymentReference ?? '',
    },
    company: { name: company.name },
  };
}

/** The placeholder values of the invoice_email template for one invoice (the template registry's builder: its parameters are the registry's). */
export async function invoiceMailContext(t: Tx | null, id: number): Promise<object | null> {
  const inv = await loadInvoice(t, id).catch(nullIfNotFound);
  if (!inv) return null;
  return mailContextOf(inv, await relatedOf(t, inv));
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
  if (opts.key && (await outboxHasKey(t, opts.key))) return false;
  await emailInvoice(t, auth, await loadInvoice(t, id, true), opts);
  return true;
}

/** Emails `inv` (loaded with its lock in t); returns the invoice as the API shows it once t commits. */
async function emailInvoice(t: Tx, auth: Auth | null, inv: InvoiceModel, opts: SendOptions): Promise<Invoice> {
  if (auth && !(await mayAccessInvoice(t, auth, inv))) throw new ForbiddenError('You may not send this invoice');
  if (inv.state !== 'posted') throw new InvalidStateError(`Cannot send ${displayName(inv)}: post it first`);
  // A vendor bill is the vendor's document: nothing goes back to them from here.
  if (isVendorMoveType(inv.moveType)) throw new InvalidStateError(`${displayName(inv)} is a vendor's document: it is not sent`);
  const related = await relatedOf(t, inv);
  const { customer, company } = related;
  if (!customer.email) throw new InvalidStateError(`Cannot email ${displayName(inv)}: its customer ${customer.name} has no email address`);
  const details = await loadInvoiceDetails(t, inv, related.names);
  const pdf = await invoiceFile(invoiceDto(inv, details), related, 'pdf');
  const rendered = await renderTemplate(t, 'invoice_email', mailContextOf(inv, related));
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
    const followers = await activeFollowers(t, 'invoice', inv.id);
    const partnerIds = followers.map((f) => f.partnerId).filter((p): p is number => p !== null && p !== customer.id);
    const userIds = followers.map((f) => f.userId).filter((u): u is number => u !== null && u !== auth?.user.id);
    const [partners, users] = await Promise.all([partnersWithEmail(t, partnerIds), activeUsers(t, userIds)]);
    const copy = { ...common, subject: `Copy: ${rendered.subject}` };
    for (const p of partners) await queueMail(t, { key: `${key}:copy:partner:${p.id}`, to: formatAddress(p.name, p.email!), ...copy }, company.name);
    for (const u of users) await queueMail(t, { key: `${key}:copy:user:${u.id}`, to: formatAddress(u.name, u.email), ...copy }, company.name);
  }
  inv.sentAt = new Date();
  await inv.save({ transaction: t });
  publishInvoice(t, inv, related.names);
  // Sending changes the invoice's sentAt and version only: its details stay as read.
  return invoiceDto(inv, details);
}

export async function sendInvoice(auth: Auth, id: number, opts: Omit<SendOptions, 'key'>): Promise<Invoice> {
  return withTransaction(async (t) => {
    requireAccess(auth, 'invoice.write');
    return emailInvoice(t, auth, await loadInvoice(t, id, true), opts);
  });
}
