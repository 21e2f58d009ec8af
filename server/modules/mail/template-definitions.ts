import type { MailTemplateKey } from '../../../contracts/schemas/mail';

// The built-in text of each email template: what is sent until an admin saves their own, the
// placeholders the settings page lists, and the sample values its preview shows without a record.

export type Placeholder = { name: string; description: string };
export type Definition = { name: string; description: string; subject: string; body: string; placeholders: Placeholder[]; sample: object };

const COMPANY: Placeholder = { name: 'company.name', description: 'your company name' };

// The RFQ and the purchase order share their placeholders and their table of lines.
const PURCHASE_LINES = [
  '<table cellpadding="6" style="border-collapse:collapse">',
  '<tr><th align="left">Product</th><th align="right">Quantity</th><th align="right">Unit price</th><th align="right">Amount</th><th align="left">Wanted by</th></tr>',
  '{{#each order.lines}}<tr><td>{{description}}</td><td align="right">{{quantity}}</td><td align="right">{{unitPrice}}</td><td align="right">{{amount}}</td><td>{{datePlanned}}</td></tr>{{/each}}',
  '</table>',
].join('\n');

const PURCHASE_PLACEHOLDERS: Placeholder[] = [
  { name: 'vendor.name', description: "the vendor's name" },
  { name: 'order.name', description: 'the purchase order number, e.g. P00012' },
  { name: 'order.isRfq', description: 'true while it is a request for quotation (not confirmed yet)' },
  { name: 'order.date', description: 'the order date' },
  { name: 'order.datePlanned', description: 'the earliest planned arrival' },
  { name: 'order.deliverTo', description: "the warehouse the goods go to, or (drop-ship) the customer's name and address" },
  { name: 'order.dropship', description: 'true when the vendor ships straight to the customer' },
  { name: 'order.origin', description: 'what it was ordered for, e.g. S00012' },
  {
    name: 'order.lines',
    description: 'each line: sku, description, quantity, unitPrice, taxes (their names), amount (before taxes), total, datePlanned',
  },
  { name: 'order.untaxed', description: 'untaxed amount, formatted' },
  { name: 'order.tax', description: 'taxes, formatted' },
  { name: 'order.total', description: 'total, formatted' },
  { name: 'order.note', description: "the order's note" },
  COMPANY,
];

const PURCHASE_SAMPLE = {
  vendor: { name: 'Vera Vendor' },
  order: {
    name: 'P00042',
    isRfq: true,
    state: 'draft',
    date: '2026-11-26',
    datePlanned: '2026-11-29',
    deliverTo: 'Main warehouse',
    dropship: false,
    origin: 'S00042',
    lines: [
      {
        sku: 'LAMP-01',
        description: '[LAMP-01] Desk lamp',
        quantity: '10',
        unitPrice: '€9.50',
        taxes: 'VAT 20%',
        amount: '€95.00',
        total: '€114.00',
        datePlanned: '2026-11-29',
      },
    ],
    untaxed: '€95.00',
    tax: '€19.00',
    total: '€114.00',
    note: '',
  },
  company: { name: 'CommerceCore Demo' },
};

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
  rfq: {
    name: 'Request for quotation',
    description: 'Sent to the vendor with the RFQ as a PDF attachment when a buyer sends a draft purchase order.',
    subject: '{{company.name}}: request for quotation {{order.name}}',
    body: [
      '<p>Dear {{vendor.name}},</p>',
      '<p>Please find attached our request for quotation <strong>{{order.name}}</strong>. We would like to order:</p>',
      PURCHASE_LINES,
      '<p>Please reply to this email with your prices and delivery dates.</p>',
      '<p>{{company.name}}</p>',
    ].join('\n'),
    placeholders: PURCHASE_PLACEHOLDERS,
    sample: PURCHASE_SAMPLE,
  },
  purchase_order: {
    name: 'Purchase order',
    description: 'Sent to the vendor with the purchase order as a PDF attachment when a buyer sends a confirmed purchase order.',
    subject: '{{company.name}}: purchase order {{order.name}}',
    body: [
      '<p>Dear {{vendor.name}},</p>',
      '<p>Please find attached our purchase order <strong>{{order.name}}</strong> of {{order.date}}, to be delivered to {{order.deliverTo}}:</p>',
      PURCHASE_LINES,
      '<p>Untaxed {{order.untaxed}} · Taxes {{order.tax}} · <strong>Total {{order.total}}</strong></p>',
      '{{#if order.note}}<p>{{order.note}}</p>{{/if}}',
      '<p>Please reply to this email to confirm the delivery dates.</p>',
      '<p>{{company.name}}</p>',
    ].join('\n'),
    placeholders: PURCHASE_PLACEHOLDERS,
    sample: { ...PURCHASE_SAMPLE, order: { ...PURCHASE_SAMPLE.order, isRfq: false, state: 'purchase' } },
  },
};
