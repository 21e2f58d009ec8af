import { describe, expect, it } from 'vitest';
import { purchaseOrderDocument, renderPdf, type PurchaseOrderDocumentInput } from '../../server/modules/documents';
import { pdfText } from '../support/pdf';

function input(overrides: Partial<PurchaseOrderDocumentInput> = {}): PurchaseOrderDocumentInput {
  return {
    kind: 'rfq',
    cancelled: false,
    number: 'P00012',
    dateOrder: '2026-12-01',
    datePlanned: '2026-12-04',
    origin: 'S00007, S00009',
    deliverTo: { name: 'Main warehouse', addressLines: ['1 Main Street', '75001 Paris', 'FR'] },
    currency: 'EUR',
    company: { name: 'CommerceCore Demo', addressLines: ['1 Main Street'], vatId: 'FR12345678901', email: 'buy@example.com', phone: null },
    vendor: { name: 'Vera Vendor', addressLines: ['5 Supply Lane', '1000 Brussels', 'BE'], email: 'vera@vendor.example.net' },
    lines: [
      { sku: 'LAMP-01', description: '[LAMP-01] Brass lamp', quantity: 3, unitPrice: 5000, taxes: 'VAT 15%', datePlanned: '2026-12-04', subtotal: 15000 },
      { sku: null, description: 'Freight', quantity: 1.5, unitPrice: 1000, taxes: '', datePlanned: '2026-12-06', subtotal: 1500 },
    ],
    amountUntaxed: 16500,
    amountTax: 2250,
    amountTotal: 18750,
    note: 'Deliver to the loading dock.',
    ...overrides,
  };
}

describe('purchaseOrderDocument', () => {
  it('is a request for quotation until confirmed, then a purchase order; a cancelled one says so', () => {
    expect(purchaseOrderDocument(input()).title).toBe('Request for quotation');
    expect(purchaseOrderDocument(input({ kind: 'purchase_order' })).title).toBe('Purchase order');
    expect(purchaseOrderDocument(input({ kind: 'purchase_order', cancelled: true })).title).toBe('Cancelled purchase order');
  });

  it('maps the vendor, dates, where the goods go, lines with their planned dates, and totals', () => {
    const doc = purchaseOrderDocument(input());
    expect(doc.number).toBe('P00012');
    expect(doc.qrCode).toBe('P00012');
    expect(doc.dates).toEqual([
      { label: 'Order date', value: '2026-12-01' },
      { label: 'Expected arrival', value: '2026-12-04' },
    ]);
    expect(doc.recipient).toEqual({
      heading: 'Vendor',
      name: 'Vera Vendor',
      addressLines: ['5 Supply Lane', '1000 Brussels', 'BE', 'vera@vendor.example.net'],
    });
    expect(doc.references).toEqual([
      { label: 'Deliver to', value: 'Main warehouse, 1 Main Street, 75001 Paris, FR' },
      { label: 'Source', value: 'S00007, S00009' },
    ]);
    expect(doc.table.columns.map((c) => c.header)).toEqual(['Description', 'Taxes', 'Planned date', 'Quantity', 'Unit price', 'Amount']);
    expect(doc.table.rows).toEqual([
      ['[LAMP-01] Brass lamp', 'VAT 15%', '2026-12-04', '3', '€50.00', '€150.00'],
      ['Freight', '', '2026-12-06', '1.5', '€10.00', '€15.00'],
    ]);
    expect(doc.totals).toEqual([
      { label: 'Untaxed amount', value: '€165.00' },
      { label: 'Taxes', value: '€22.50' },
      { label: 'Total', value: '€187.50' },
    ]);
    expect(doc.notes).toBe('Deliver to the loading dock.');
  });

  it('leaves out what is not set', () => {
    const doc = purchaseOrderDocument(input({ origin: null, datePlanned: null, vendor: { name: 'Vera Vendor', addressLines: [], email: null } }));
    expect(doc.dates.map((d) => d.label)).toEqual(['Order date']);
    expect(doc.references.map((r) => r.label)).toEqual(['Deliver to']);
    expect(doc.recipient.addressLines).toEqual([]);
  });

  it('renders as a PDF whose text can be read back', async () => {
    const text = await pdfText(await renderPdf(purchaseOrderDocument(input())));
    for (const expected of ['Request for quotation', 'P00012', 'Vera Vendor', '[LAMP-01] Brass lamp', '€187.50', 'Deliver to the loading dock.']) {
      expect(text).toContain(expected);
    }
  });
});
