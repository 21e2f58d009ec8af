import { z } from 'zod';
import { ACCOUNT_TYPES, INVOICE_GROUPINGS, INVOICE_STATES, MOVE_TYPES, PAYMENT_METHODS, PAYMENT_STATES } from '../states';
import { afterCursorParam, listOf, listPageOf, listQuery, queryBool } from './common';
import { discount, quantity } from './sales';

const day = z.string().date().describe('YYYY-MM-DD');
const cents = z.number().int();

export const invoiceLine = z.object({
  id: z.number().int(),
  saleLineId: z.number().int().nullable(),
  /** A vendor bill's line: the purchase order line it bills. */
  purchaseLineId: z.number().int().nullable(),
  reversedLineId: z.number().int().nullable(),
  productId: z.number().int().nullable(),
  sku: z.string().nullable(),
  description: z.string(),
  quantity: z.number(),
  unitPrice: cents,
  discount: z.number(),
  /** A fixed amount off the line (its share of its order line's). */
  discountAmount: cents,
  /** The line's share of the order discount. */
  orderDiscount: cents,
  taxIds: z.array(z.number().int()),
  taxes: z.array(z.object({ taxId: z.number().int(), name: z.string(), amount: cents })),
  subtotal: cents,
  amountTax: cents,
  total: cents,
});
export type InvoiceLine = z.infer<typeof invoiceLine>;

export const journalItem = z.object({
  id: z.number().int(),
  entryId: z.number().int(),
  accountId: z.number().int(),
  accountCode: z.string(),
  accountName: z.string(),
  accountType: z.enum(ACCOUNT_TYPES),
  partnerId: z.number().int().nullable(),
  taxId: z.number().int().nullable(),
  invoiceId: z.number().int().nullable(),
  label: z.string(),
  date: z.string(),
  debit: cents,
  credit: cents,
});
export type JournalItem = z.infer<typeof journalItem>;

export const payment = z.object({
  id: z.number().int(),
  invoiceId: z.number().int(),
  direction: z.enum(['inbound', 'outbound']),
  method: z.enum(PAYMENT_METHODS),
  amount: cents,
  amountApplied: cents,
  date: z.string(),
  memo: z.string().nullable(),
  createdAt: z.string(),
});
export type Payment = z.infer<typeof payment>;

export const invoiceSummary = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  displayName: z.string().describe('the number, or "Draft invoice" / "Draft credit note" / "Draft bill" / "Draft vendor credit note"'),
  moveType: z.enum(MOVE_TYPES),
  state: z.enum(INVOICE_STATES),
  paymentState: z.enum(PAYMENT_STATES),
  /** The customer, or the vendor of a bill. */
  partnerId: z.number().int(),
  partnerName: z.string(),
  saleOrderId: z.number().int().nullable(),
  saleOrderName: z.string().nullable(),
  /** A vendor bill or vendor credit note: the purchase order it bills. */
  purchaseOrderId: z.number().int().nullable(),
  purchaseOrderName: z.string().nullable(),
  reversedInvoiceId: z.number().int().nullable(),
  pickingId: z.number().int().nullable(),
  invoiceDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  currency: z.string(),
  amountUntaxed: cents,
  amountTax: cents,
  amountTotal: cents,
  amountResidual: cents,
  sentAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummary>;

export const invoice = invoiceSummary.extend({
  journalId: z.number().int(),
  /** The discount codes of the orders invoiced. */
  discountCode: z.string().nullable(),
  /** The order discounts' shares on this invoice's lines, shown as one "Discount" line on documents. */
  orderDiscount: cents,
  paymentReference: z.string().nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  lines: z.array(invoiceLine),
  taxTotals: z.array(z.object({ taxId: z.number().int(), name: z.string(), rate: z.number(), base: cents, amount: cents })),
  journalItems: z.array(journalItem),
  payments: z.array(payment),
  /** Credit notes of this invoice, and (on a credit note) what it offset. */
  creditNotes: z.array(z.object({ id: z.number().int(), displayName: z.string(), state: z.enum(INVOICE_STATES), amountTotal: cents })),
  /** The customer's credit from an overpayment, by payment. */
  customerCredit: cents,
});
export type Invoice = z.infer<typeof invoice>;

export const invoiceLineInput = z
  .object({
    id: z.number().int().positive().optional().describe('an existing line to change; omit to add a line'),
    productId: z.number().int().positive().nullable().optional(),
    description: z.string().trim().min(1).max(1000).optional(),
    quantity,
    unitPrice: z.number().int().min(-1_000_000_000_00).max(1_000_000_000_00).optional(),
    discount: discount.optional(),
    discountAmount: z.number().int().nonnegative().max(1_000_000_000_00).optional().describe('a fixed amount (cents) off the whole line'),
    taxIds: z.array(z.number().int().positive()).max(10).optional(),
  })
  .strict();

// `lines`, when present, is the full new list: lines left out are removed.
export const invoicePatch = z
  .object({
    version: z.number().int().nonnegative(),
    invoiceDate: day.nullable().optional(),
    dueDate: day.nullable().optional(),
    note: z.string().max(10_000).nullable().optional(),
    lines: z.array(invoiceLineInput).min(1).max(500).optional(),
  })
  .strict();
export type InvoicePatch = z.infer<typeof invoicePatch>;

/** A vendor bill drafted by hand (one without a purchase order: a service, a utility). */
export const billCreate = z
  .object({
    moveType: z.enum(['in_invoice']).default('in_invoice'),
    partnerId: z.number().int().positive(),
    invoiceDate: day.nullable().optional(),
    dueDate: day.nullable().optional(),
    note: z.string().max(10_000).nullable().optional(),
    lines: z
      .array(invoiceLineInput.omit({ id: true }))
      .min(1)
      .max(500),
  })
  .strict();
export type BillCreate = z.input<typeof billCreate>;

export const invoiceAction = z.object({ version: z.number().int().nonnegative().optional() }).strict();

export const paymentCreate = z
  .object({
    amount: z.number().int().positive().max(1_000_000_000_00),
    date: day.optional().describe('default: today'),
    method: z.enum(PAYMENT_METHODS).default('bank'),
    memo: z.string().trim().max(200).nullable().optional(),
    customerCredit: z.boolean().default(false).describe('true: what exceeds the amount due is kept as the customer’s credit'),
  })
  .strict();
export type PaymentCreate = z.input<typeof paymentCreate>;

export const creditNoteCreate = z
  .object({
    lines: z
      .array(z.object({ productId: z.number().int().positive(), quantity: quantity.refine((q) => q > 0, 'must be above 0') }).strict())
      .min(1)
      .max(500)
      .optional()
      .describe('absent: the whole invoice'),
    reason: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
export type CreditNoteCreate = z.input<typeof creditNoteCreate>;

export const returnCreditNote = z.object({ reason: z.string().trim().max(500).nullable().optional() }).strict();

export const invoiceSend = z
  .object({
    copyFollowers: z.boolean().default(true),
    subject: z.string().trim().min(1).max(500).optional().describe('default: from the template'),
  })
  .strict();

export const invoiceBatch = z
  .object({
    saleOrderIds: z.array(z.number().int().positive()).min(1).max(5000),
    group: z.enum(INVOICE_GROUPINGS).default('order'),
    post: z.boolean().default(false),
    send: z.boolean().default(false),
  })
  .strict()
  .refine((b) => !b.send || b.post, { message: 'only posted invoices can be sent: set post as well', path: ['send'] });
export type InvoiceBatch = z.output<typeof invoiceBatch>;

export const invoiceListQuery = listQuery.omit({ sort: true }).extend({
  moveType: z.enum(MOVE_TYPES).optional(),
  state: z.enum(INVOICE_STATES).optional(),
  paymentState: z.enum(PAYMENT_STATES).optional(),
  partnerId: z.coerce.number().int().positive().optional(),
  saleOrderId: z.coerce.number().int().positive().optional(),
  purchaseOrderId: z.coerce.number().int().positive().optional(),
  dateFrom: day.optional(),
  dateTo: day.optional(),
  overdue: queryBool.optional(),
  sort: z
    .enum(['invoiceDate', '-invoiceDate', 'dueDate', '-dueDate', 'amountTotal', '-amountTotal', 'name', '-name', 'createdAt', '-createdAt'])
    .default('-createdAt'),
  after: afterCursorParam,
});

export const invoiceList = listPageOf(invoiceSummary);
export type InvoiceList = z.infer<typeof invoiceList>;

export const journalItemQuery = listQuery.omit({ sort: true, q: true }).extend({
  accountId: z.coerce.number().int().positive().optional(),
  partnerId: z.coerce.number().int().positive().optional(),
  invoiceId: z.coerce.number().int().positive().optional(),
  dateFrom: day.optional(),
  dateTo: day.optional(),
});

export const accountTotals = z.object({
  accountId: z.number().int(),
  accountCode: z.string(),
  accountName: z.string(),
  accountType: z.enum(ACCOUNT_TYPES),
  debit: cents,
  credit: cents,
  balance: cents,
});
export type AccountTotals = z.infer<typeof accountTotals>;

export const receivableRow = z.object({
  partnerId: z.number().int(),
  partnerName: z.string(),
  /** Receivable debit − credit from the journal: what the customer owes (negative: what we owe them). */
  balance: cents,
  /** Open amounts of posted invoices by how late they are (days past the due date). */
  notDue: cents,
  days1to30: cents,
  days31to60: cents,
  days61to90: cents,
  daysOver90: cents,
  /** Open credit notes and overpayments kept as credit. */
  credit: cents,
});
export type ReceivableRow = z.infer<typeof receivableRow>;

export const receivablesQuery = z.object({ asOf: day.optional(), partnerId: z.coerce.number().int().positive().optional() });

export const batchResult = z.object({
  created: z.number().int(),
  posted: z.number().int(),
  sent: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  invoiceIds: z.array(z.number().int()),
  results: z.array(
    z.object({
      saleOrderId: z.number().int(),
      name: z.string().nullable(),
      status: z.enum(['invoiced', 'skipped', 'failed']),
      invoiceId: z.number().int().nullable(),
      message: z.string().nullable(),
    }),
  ),
});
export type BatchResult = z.infer<typeof batchResult>;

/** What drafting invoices or credit notes from an order or a return made. */
export const createdInvoices = z.object({ invoiceIds: z.array(z.number().int()) });
export type CreatedInvoices = z.infer<typeof createdInvoices>;

/** The customers' balances and aged receivables on a day, with their totals. */
export const receivablesReport = z.object({
  asOf: z.string(),
  items: z.array(receivableRow),
  totals: receivableRow.omit({ partnerId: true, partnerName: true }),
});
export type ReceivablesReport = z.infer<typeof receivablesReport>;

/** A page of journal items, with the debit and credit totals of every item the filters match. */
export const journalItemsReport = listOf(journalItem).extend({ totals: z.array(accountTotals), debit: z.number().int(), credit: z.number().int() });
export type JournalItemsReport = z.infer<typeof journalItemsReport>;
