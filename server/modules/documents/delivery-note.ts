import type { DocumentModel, LabelledValue } from './document.model';

export type DeliveryNoteInput = {
  pickingName: string;
  origin: string | null;
  scheduledDate: string;
  dateDone: string | null;
  carrier: string | null;
  trackingRef: string | null;
  warehouse: { name: string; addressLines: string[] };
  company: { name: string; addressLines: string[]; vatId: string | null; email: string | null; phone: string | null };
  customer: { name: string; addressLines: string[] };
  lines: { sku: string; product: string; quantity: number; quantityDone: number | null }[];
};

// No grouping separator: "1,200" reads as 1.2 in much of Europe, "1200" reads the same everywhere.
const quantityFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3, useGrouping: false });

/** A quantity with at most 3 decimals and no trailing zeros: 2, 1.5, 0.333. */
export function formatQuantity(quantity: number): string {
  return quantityFormat.format(quantity);
}

/** The day of an ISO timestamp (its UTC date); any other text is printed as given. */
function day(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : value;
}

function present(label: string, value: string | null): LabelledValue[] {
  return value ? [{ label, value }] : [];
}

export function deliveryNoteDocument(input: DeliveryNoteInput): DocumentModel {
  const warehouse = [input.warehouse.name, ...input.warehouse.addressLines].join(', ');
  return {
    title: 'Delivery note',
    number: input.pickingName,
    dates: [{ label: 'Scheduled date', value: day(input.scheduledDate) }, ...present('Delivery date', input.dateDone && day(input.dateDone))],
    seller: input.company,
    recipient: { heading: 'Deliver to', name: input.customer.name, addressLines: input.customer.addressLines },
    references: [
      ...present('Order', input.origin),
      { label: 'Shipped from', value: warehouse },
      ...present('Carrier', input.carrier),
      ...present('Tracking', input.trackingRef),
    ],
    table: {
      columns: [
        { header: 'SKU', align: 'left', weight: 2 },
        { header: 'Product', align: 'left', weight: 5 },
        { header: 'Quantity ordered', align: 'right', weight: 2 },
        { header: 'Quantity delivered', align: 'right', weight: 2 },
      ],
      // Before validation the delivered column stays blank, to be filled in by hand at packing.
      rows: input.lines.map((l) => [l.sku, l.product, formatQuantity(l.quantity), l.quantityDone == null ? '' : formatQuantity(l.quantityDone)]),
    },
    totals: [],
    notes: null,
    qrCode: input.pickingName,
  };
}
