import Handlebars from 'handlebars';
import sanitizeHtml from 'sanitize-html';
import type { MailTemplate, MailTemplateKey, MailTemplatePreview } from '../../../contracts/schemas/mail';
import { MAIL_TEMPLATE_KEYS } from '../../../contracts/schemas/mail';
import { iso } from '../../db/columns';
import { withTransaction, type Tx } from '../../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors';
import { requireAccess, type Auth } from '../auth/access';
import { assertRecordAccess } from '../../lib/records';
import type { RecordModel } from '../../../contracts/states';
import { MailTemplateModel } from './mail.model';

// Email templates: Handlebars text kept in the database, editable in settings. `{{x}}` escapes,
// `{{{x}}}` inserts HTML that is already safe (a sanitised message body).

type Placeholder = { name: string; description: string };
type Definition = { name: string; description: string; subject: string; body: string; placeholders: Placeholder[]; sample: object };

const COMPANY: Placeholder = { name: 'company.name', description: 'your company name' };

export const TEMPLATE_DEFINITIONS: Record<MailTemplateKey, Definition> = {
  order_confirmation: {
    name: 'Order confirmation',
    description: 'Sent to the customer when a quotation is sent and when the order is confirmed.',
    subject: '{{company.name}}: {{#if order.isQuotation}}quotation{{else}}order confirmation{{/if}} {{order.name}}',
    body: [
      '<p>Hello {{customer.name}},</p>',
      '{{#if order.isQuotation}}<p>Here is our quotation <strong>{{order.name}}</strong>.</p>',
      '{{else}}<p>Thank you for your order <strong>{{order.name}}</strong> of {{order.date}}: it is confirmed.</p>{{/if}}',
      '<table cellpadding="6" style="border-collapse:collapse">',
      '<tr><th align="left">Product</th><th align="right">Quantity</th><th align="right">Unit price</th><th align="right">Discount</th><th align="right">Amount</th></tr>',
      '{{#each order.lines}}<tr><td>{{description}}</td><td align="right">{{quantity}}</td><td align="right">{{unitPrice}}</td><td align="right">{{discount}}</td><td align="right">{{amount}}</td></tr>{{/each}}',
      '</table>',
      '{{#if order.orderDiscount}}<p>Discount{{#if order.discountCode}} {{order.discountCode}}{{/if}}: {{order.orderDiscount}}</p>{{else}}{{#if order.discountCode}}<p>Discount code: {{order.discountCode}}</p>{{/if}}{{/if}}',
      '{{#if order.discount}}<p>You save {{order.discount}} on this order.</p>{{/if}}',
      '<p>Untaxed {{order.untaxed}} · Taxes {{order.tax}} · <strong>Total {{order.total}}</strong></p>',
      '{{#if order.shippingAddress}}<p>Ships to: {{order.shippingAddress}}</p>{{/if}}',
      '<p>Reply to this email if anything needs changing.</p>',
      '<p>{{company.name}}</p>',
    ].join('\n'),
    placeholders: [
      { name: 'customer.name', description: "the customer's name" },
      { name: 'order.name', description: 'the order number, e.g. S00012' },
      { name: 'order.isQuotation', description: 'true while the order is not confirmed yet' },
      { name: 'order.date', description: 'the order date' },
      {
        name: 'order.lines',
        description:
          'each line: description, quantity, unitPrice, discount (e.g. "10%" or "−€5.00", empty without), amount (before taxes and the order discount), total',
      },
      { name: 'order.discountCode', description: 'the discount codes the customer used' },
      { name: 'order.orderDiscount', description: 'the fixed discount on the whole order, formatted as a negative amount (empty without)' },
      { name: 'order.discount', description: 'everything taken off the order before taxes, formatted (empty without)' },
      { name: 'order.untaxed', description: 'untaxed amount, formatted' },
      { name: 'order.tax', description: 'taxes, formatted' },
      { name: 'order.total', description: 'total, formatted' },
      { name: 'order.shippingAddress', description: 'the shipping address on one line' },
      COMPANY,
    ],
    sample: {
      customer: { name: 'Jane Doe' },
      order: {
        name: 'S00042',
        isQuotation: false,
        date: '2026-11-26',
        lines: [
          { description: 'Desk lamp', quantity: '2', unitPrice: '€19.99', discount: '-€2.00', amount: '€37.98', total: '€45.58' },
          { description: 'Shipping', quantity: '1', unitPrice: '€4.90', discount: '', amount: '€4.90', total: '€5.88' },
        ],
        discountCode: 'WELCOME5',
        orderDiscount: '-€5.00',
        discount: '€7.00',
        untaxed: '€44.88',
        tax: '€8.53',
        total: '€53.41',
        shippingAddress: 'Jane Doe, 1 Main Street, 75001 Paris, FR',
      },
      company: { name: 'CommerceCore Demo' },
    },
  },
  message_notification: {
    name: 'Message notification',
    description: "Sent to a record's followers for a new message: to the customer for messages, to users who chose email.",
    subject: '{{record.name}}: {{#if isCustomer}}a message from {{company.name}}{{else}}{{author.name}} wrote{{/if}}',
    body: [
      '<p>Hello {{recipient.name}},</p>',
      '<div>{{{message.body}}}</div>',
      '{{#if message.attachments.length}}<p>Attached: {{#each message.attachments}}{{name}}{{#unless @last}}, {{/unless}}{{/each}}</p>{{/if}}',
      '<p style="color:#666">{{author.name}}, {{company.name}} · about {{record.name}}. Reply to this email to answer.</p>',
    ].join('\n'),
    placeholders: [
      { name: 'recipient.name', description: 'who receives the email' },
      { name: 'isCustomer', description: 'true when the recipient is the customer (not a user)' },
      { name: 'author.name', description: 'who wrote the message' },
      { name: 'record.name', description: 'the record, e.g. S00012' },
      { name: 'message.body', description: 'the message, as safe HTML (use triple braces)' },
      { name: 'message.type', description: 'comment or note' },
      { name: 'message.attachments', description: 'each attachment: name' },
      COMPANY,
    ],
    sample: {
      recipient: { name: 'Jane Doe' },
      isCustomer: true,
      author: { name: 'Sam Sales' },
      record: { name: 'S00042' },
      message: { body: '<p>Your parcel leaves our warehouse tomorrow.</p>', type: 'comment', attachments: [{ name: 'invoice.pdf' }] },
      company: { name: 'CommerceCore Demo' },
    },
  },
  invoice_email: {
    name: 'Invoice',
    description: 'Sent to the customer with the invoice or credit note as a PDF attachment, on Send or by batch and automatic invoicing.',
    subject: '{{company.name}}: {{#if invoice.isCreditNote}}credit note{{else}}invoice{{/if}} {{invoice.name}}',
    body: [
      '<p>Hello {{customer.name}},</p>',
      '{{#if invoice.isCreditNote}}<p>Please find attached our credit note <strong>{{invoice.name}}</strong> of {{invoice.date}} for <strong>{{invoice.total}}</strong>.</p>',
      '{{else}}<p>Please find attached our invoice <strong>{{invoice.name}}</strong> of {{invoice.date}}{{#if invoice.origin}} for your order {{invoice.origin}}{{/if}}.</p>',
      '<p>Amount due: <strong>{{invoice.amountDue}}</strong>, by {{invoice.dueDate}}. Please use the reference <strong>{{invoice.paymentReference}}</strong> with your payment.</p>{{/if}}',
      '<p>Reply to this email with any question about it.</p>',
      '<p>{{company.name}}</p>',
    ].join('\n'),
    placeholders: [
      { name: 'customer.name', description: "the customer's name" },
      { name: 'invoice.name', description: 'the number, e.g. INV/2026/00012' },
      { name: 'invoice.isCreditNote', description: 'true for a credit note' },
      { name: 'invoice.date', description: 'the invoice date' },
      { name: 'invoice.dueDate', description: 'the due date' },
      { name: 'invoice.origin', description: 'the order it invoices, e.g. S00012' },
      { name: 'invoice.untaxed', description: 'untaxed amount, formatted' },
      { name: 'invoice.tax', description: 'taxes, formatted' },
      { name: 'invoice.total', description: 'total, formatted' },
      { name: 'invoice.amountDue', description: 'what is left to pay, formatted' },
      { name: 'invoice.paymentReference', description: 'the reference to pay with' },
      COMPANY,
    ],
    sample: {
      customer: { name: 'Jane Doe' },
      invoice: {
        name: 'INV/2026/00042',
        isCreditNote: false,
        date: '2026-11-26',
        dueDate: '2026-12-26',
        origin: 'S00042',
        untaxed: '€44.88',
        tax: '€8.53',
        total: '€53.41',
        amountDue: '€53.41',
        paymentReference: 'INV/2026/00042',
      },
      company: { name: 'CommerceCore Demo' },
    },
  },
};

/** Builds the placeholder values of a template for one record (registered by the domain that owns it). */
export type TemplateContextBuilder = (t: Tx | null, resId: number) => Promise<object | null>;
const contextBuilders = new Map<MailTemplateKey, { model: RecordModel; build: TemplateContextBuilder }>();

/** `model`: the records the template is about; a preview for one is shown only to who may read it. */
export function registerTemplateContext(key: MailTemplateKey, model: RecordModel, build: TemplateContextBuilder): void {
  contextBuilders.set(key, { model, build });
}

const hb = Handlebars.create();
// Compiled templates by source text: every email renders one, and the text rarely changes.
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function compile(field: 'subject' | 'body', source: string): Handlebars.TemplateDelegate {
  const cached = compiled.get(source);
  if (cached) return cached;
  try {
    hb.precompile(source, { strict: false });
  } catch (err) {
    throw ValidationError.field(field, `is not a valid template: ${(err as Error).message.split('\n')[0]}`);
  }
  const fn = hb.compile(source, { strict: false });
  if (compiled.size >= 100) compiled.delete(compiled.keys().next().value!);
  compiled.set(source, fn);
  return fn;
}

export type RenderedMail = { subject: string; html: string; text: string };

/** Plain text for the text/plain part: tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  const stripped = sanitizeHtml(html.replace(/<\/(p|div|tr|li|h\d)>|<br\s*\/?>/gi, '$&\n'), { allowedTags: [], allowedAttributes: {} });
  return stripped
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function renderSource(subject: string, body: string, context: object): RenderedMail {
  const html = compile('body', body)(context);
  // A subject is one line of plain text: escaping is for HTML only.
  const subjectText = htmlToText(compile('subject', subject)(context)).replace(/\s+/g, ' ');
  return { subject: subjectText, html, text: htmlToText(html) };
}

type TemplateText = { subject: string; body: string; version: number; updatedAt: Date | null };

/** The saved text of a template; until it is first saved, the built-in one (version 0). Never writes. */
async function templateText(t: Tx | null, key: MailTemplateKey): Promise<TemplateText> {
  const row = await MailTemplateModel.findOne({ where: { key }, transaction: t });
  if (row) return row;
  const d = TEMPLATE_DEFINITIONS[key];
  return { subject: d.subject, body: d.body, version: 0, updatedAt: null };
}

/** Renders the saved template with the given placeholder values. */
export async function renderTemplate(t: Tx, key: MailTemplateKey, context: object): Promise<RenderedMail> {
  const text = await templateText(t, key);
  return renderSource(text.subject, text.body, context);
}

function toTemplate(key: MailTemplateKey, text: TemplateText): MailTemplate {
  const d = TEMPLATE_DEFINITIONS[key];
  return {
    key,
    name: d.name,
    description: d.description,
    subject: text.subject,
    body: text.body,
    placeholders: d.placeholders,
    version: text.version,
    updatedAt: text.updatedAt ? iso(text.updatedAt) : null,
  };
}

export async function listTemplates(auth: Auth): Promise<{ items: MailTemplate[]; total: number }> {
  requireAccess(auth, 'mail.read');
  const rows = [];
  for (const key of MAIL_TEMPLATE_KEYS) rows.push(toTemplate(key, await templateText(null, key)));
  return { items: rows, total: rows.length };
}

export async function getTemplate(auth: Auth, key: MailTemplateKey): Promise<MailTemplate> {
  requireAccess(auth, 'mail.read');
  return toTemplate(key, await templateText(null, key));
}

export async function updateTemplate(auth: Auth, key: MailTemplateKey, input: { subject: string; body: string; version: number }): Promise<MailTemplate> {
  requireAccess(auth, 'mail.template');
  // Both parts must compile before anything is saved.
  renderSource(input.subject, input.body, TEMPLATE_DEFINITIONS[key].sample);
  return withTransaction(async (t) => {
    const row = await MailTemplateModel.findOne({ where: { key }, transaction: t, lock: t.LOCK.UPDATE });
    const current = row ?? (await templateText(t, key));
    if (current.version !== input.version) throw new ConflictError('This template was changed by someone else', toTemplate(key, current));
    // The first save writes the row (a concurrent first save loses on the unique key: 409).
    const saved = row
      ? await row.update({ subject: input.subject, body: input.body }, { transaction: t })
      : await MailTemplateModel.create({ key, subject: input.subject, body: input.body, version: 1 }, { transaction: t });
    return toTemplate(key, saved);
  });
}

/** Renders the given (unsaved) text, or the saved template, for a record or for sample values. */
export async function previewTemplate(
  auth: Auth,
  key: MailTemplateKey,
  input: { subject?: string; body?: string; resId?: number },
): Promise<MailTemplatePreview> {
  requireAccess(auth, 'mail.read');
  const row = await templateText(null, key);
  let context: object = TEMPLATE_DEFINITIONS[key].sample;
  if (input.resId !== undefined) {
    const builder = contextBuilders.get(key);
    if (builder) await assertRecordAccess(auth, builder.model, input.resId);
    const built = builder ? await builder.build(null, input.resId) : null;
    if (!built) throw new NotFoundError('Record for the preview', input.resId);
    context = built;
  }
  const r = renderSource(input.subject ?? row.subject, input.body ?? row.body, context);
  return { subject: r.subject, html: r.html };
}
