import { formatMoney } from '../../lib/money';
import { formatQuantity } from './delivery-note';
import type { DocumentModel, LabelledValue } from './document.model';

// The printed request for quotation and purchase order: the company, the vendor, the number and dates,
// where the goods go, the lines with their planned dates, the totals and the note.

export type PurchaseOrderDocumentInput = {
  /** rfq while draft or sent; purchase_order once confirmed. */
  kind: 'rfq' | 'purchase_order';
  cancelled: boolean;
  number: string;
  /** Days (YYYY-MM-DD). */
  dateOrder: string;
  datePlanned: string | null;
  origin: string | null;
  deliverTo: { name: string; addressLines: string[] };
  currency: string;
  company: { name: string; addressLines: string[]; vatId: string | null; email: string | null; phone: string | null };
  vendor: { name: string; addressLines: string[]; email: string | null };
  lines: { sku: string | null; description: string; quantity: number; unitPrice: number; taxes: string; datePlanned: string; subtotal: number }[];
  amountUntaxed: number;
  amountTax: number;
  amountTotal: number;
  note: string | null;
};

const TITLES: Record<PurchaseOrderDocumentInput['kind'], string> = { rfq: 'Request for quotation', purchase_order: 'Purchase order' };

export function purchaseOrderDocument(input: PurchaseOrderDocumentInput): DocumentModel {
  const money = (cents: number) => formatMoney(cents, input.currency);
  const opt = (label: string, value: string | null): LabelledValue[] => (value ? [{ label, value }] : []);
  const title = TITLES[input.kind];
  return {
    title: input.cancelled ? `Cancelled ${title.toLowerCase()}` : title,
    number: input.number,
    dates: [{ label: 'Order date', value: input.dateOrder }, ...opt('Expected arrival', input.datePlanned)],
    seller: input.company,
    recipient: {
      heading: 'Vendor',
      name: input.vendor.name,
      addressLines: [...input.vendor.addressLines, ...(input.vendor.email ? [input.vendor.email] : [])],
    },
    references: [{ label: 'Deliver to', value: [input.deliverTo.name, ...input.deliverTo.addressLines].join(', ') }, ...opt('Source', input.origin)],
    table: {
      columns: [
        { header: 'Description', align: 'left', weight: 6 },
        { header: 'Taxes', align: 'left', weight: 2 },
        { header: 'Planned date', align: 'left', weight: 2 },
        { header: 'Quantity', align: 'right', weight: 2 },
        { header: 'Unit price', align: 'right', weight: 2 },
        { header: 'Amount', align: 'right', weight: 2 },
      ],
      rows: input.lines.map((l) => [
        l.sku ? `[${l.sku}] ${l.description.replace(`[${l.sku}] `, '')}` : l.description,
        l.taxes,
        l.datePlanned,
        formatQuantity(l.quantity),
        money(l.unitPrice),
        money(l.subtotal),
      ]),
    },
    totals: [
      { label: 'Untaxed amount', value: money(input.amountUntaxed) },
      { label: 'Taxes', value: money(input.amountTax) },
      { label: 'Total', value: money(input.amountTotal) },
    ],
    notes: input.note,
    qrCode: input.number,
  };
}
