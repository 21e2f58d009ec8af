import { discountLabel, formatMoney } from '../../lib/money';
import { formatQuantity } from './delivery-note';
import type { DocumentModel, LabelledValue } from './document.model';

// The printed invoice and credit note: seller and customer, number and dates, lines, taxes per rate,
// totals and the payment reference.

export type InvoiceDocumentInput = {
  kind: 'invoice' | 'credit_note' | 'draft_invoice' | 'draft_credit_note';
  number: string;
  invoiceDate: string | null;
  dueDate: string | null;
  origin: string | null;
  creditedInvoice: string | null;
  paymentReference: string | null;
  currency: string;
  company: { name: string; addressLines: string[]; vatId: string | null; email: string | null; phone: string | null };
  customer: { name: string; addressLines: string[]; vatId?: string | null };
  /** subtotal: after every discount; orderDiscount: its share of the order discount (shown as one total line). */
  lines: {
    sku: string | null;
    description: string;
    quantity: number;
    unitPrice: number;
    discount: number;
    discountAmount: number;
    orderDiscount: number;
    taxes: string;
    subtotal: number;
  }[];
  discountCode: string | null;
  taxTotals: { name: string; base: number; amount: number }[];
  amountUntaxed: number;
  amountTotal: number;
  amountResidual: number | null;
  note: string | null;
};

const TITLES: Record<InvoiceDocumentInput['kind'], string> = {
  invoice: 'Invoice',
  credit_note: 'Credit note',
  draft_invoice: 'Draft invoice',
  draft_credit_note: 'Draft credit note',
};

export function invoiceDocument(input: InvoiceDocumentInput): DocumentModel {
  const money = (cents: number) => formatMoney(cents, input.currency);
  const opt = (label: string, value: string | null | undefined): LabelledValue[] => (value ? [{ label, value }] : []);
  const hasDiscount = input.lines.some((l) => l.discount !== 0 || l.discountAmount !== 0);
  // A line's amount is before the order discount, which is one line of the totals.
  const orderDiscount = input.lines.reduce((s, l) => s + l.orderDiscount, 0);
  const totals: LabelledValue[] = [
    ...(orderDiscount
      ? [
          { label: 'Amount', value: money(input.amountUntaxed + orderDiscount) },
          { label: input.discountCode ? `Discount ${input.discountCode}` : 'Discount', value: money(-orderDiscount) },
        ]
      : []),
    { label: 'Untaxed amount', value: money(input.amountUntaxed) },
    ...input.taxTotals.map((t) => ({ label: `${t.name} on ${money(t.base)}`, value: money(t.amount) })),
    { label: 'Total', value: money(input.amountTotal) },
  ];
  if (input.amountResidual !== null && input.amountResidual !== input.amountTotal) totals.push({ label: 'Amount due', value: money(input.amountResidual) });
  return {
    title: TITLES[input.kind],
    number: input.number,
    dates: [
      ...opt('Invoice date', input.invoiceDate),
      ...opt(input.kind.includes('credit') ? 'Date' : 'Due date', input.kind.includes('credit') ? null : input.dueDate),
    ],
    seller: input.company,
    recipient: {
      heading: 'Bill to',
      name: input.customer.name,
      addressLines: [...input.customer.addressLines, ...(input.customer.vatId ? [`VAT ${input.customer.vatId}`] : [])],
    },
    references: [
      ...opt('Order', input.origin),
      ...opt('Credits invoice', input.creditedInvoice),
      ...opt('Payment reference', input.paymentReference),
      ...(orderDiscount ? [] : opt('Discount code', input.discountCode)),
    ],
    table: {
      columns: [
        { header: 'Description', align: 'left', weight: 6 },
        { header: 'Quantity', align: 'right', weight: 2 },
        { header: 'Unit price', align: 'right', weight: 2 },
        ...(hasDiscount ? [{ header: 'Discount', align: 'right' as const, weight: 2 }] : []),
        { header: 'Taxes', align: 'left', weight: 2 },
        { header: 'Amount', align: 'right', weight: 2 },
      ],
      rows: input.lines.map((l) => [
        l.sku ? `[${l.sku}] ${l.description.replace(`[${l.sku}] `, '')}` : l.description,
        formatQuantity(l.quantity),
        money(l.unitPrice),
        ...(hasDiscount ? [discountLabel(l.discount, l.discountAmount, input.currency)] : []),
        l.taxes,
        money(l.subtotal + l.orderDiscount),
      ]),
    },
    totals,
    notes: input.note,
    qrCode: input.paymentReference,
  };
}
