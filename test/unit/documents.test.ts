import JSZip from 'jszip';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { pdfPages } from '../support/pdf';
import {
  deliveryNoteDocument,
  invoiceDocument,
  renderDocx,
  renderPdf,
  type DeliveryNoteInput,
  type InvoiceDocumentInput,
} from '../../server/modules/documents';

function deliveryNote(overrides: Partial<DeliveryNoteInput> = {}): DeliveryNoteInput {
  return {
    pickingName: 'WH/OUT/00012',
    origin: 'S00012',
    scheduledDate: '2026-11-26T09:30:00.000Z',
    dateDone: null,
    carrier: 'DHL',
    trackingRef: '1Z999AA10123456784',
    warehouse: { name: 'Main warehouse', addressLines: ['12 Rue des Entrepôts', '69007 Lyon, FR'] },
    company: { name: 'CommerceCore Demo', addressLines: ['1 Main Street', '75001 Paris, FR'], vatId: 'FR12345678901', email: 'shop@example.com', phone: null },
    customer: { name: 'Zoë Müller', addressLines: ['Königstraße 5', '70173 Stuttgart, DE'] },
    lines: [
      { sku: 'LAMP-01', product: 'Desk lamp', quantity: 2, quantityDone: 2 },
      { sku: 'CRM-02', product: 'Crème brûlée set €', quantity: 1.5, quantityDone: null },
      { sku: 'CBL-03', product: 'USB cable', quantity: 0.3333, quantityDone: 0.25 },
    ],
    ...overrides,
  };
}

function manyLines(count: number): DeliveryNoteInput['lines'] {
  return Array.from({ length: count }, (_, i) => ({ sku: `SKU-${i + 1}`, product: `Product ${i + 1}`, quantity: i + 1, quantityDone: null }));
}

describe('deliveryNoteDocument', () => {
  it('maps the picking to the document model', () => {
    const doc = deliveryNoteDocument(deliveryNote());
    expect(doc.title).toBe('Delivery note');
    expect(doc.number).toBe('WH/OUT/00012');
    expect(doc.qrCode).toBe('WH/OUT/00012');
    expect(doc.dates).toEqual([{ label: 'Scheduled date', value: '2026-11-26' }]);
    expect(doc.recipient).toEqual({ heading: 'Deliver to', name: 'Zoë Müller', addressLines: ['Königstraße 5', '70173 Stuttgart, DE'] });
    expect(doc.seller.vatId).toBe('FR12345678901');
    expect(doc.table.columns.map((c) => [c.header, c.align])).toEqual([
      ['SKU', 'left'],
      ['Product', 'left'],
      ['Quantity ordered', 'right'],
      ['Quantity delivered', 'right'],
    ]);
    expect(doc.totals).toEqual([]);
  });

  it('prints quantities with up to 3 decimals and no trailing zeros, leaving undelivered ones blank', () => {
    const doc = deliveryNoteDocument(
      deliveryNote({
        lines: [
          { sku: 'A', product: 'a', quantity: 2, quantityDone: 2 },
          { sku: 'B', product: 'b', quantity: 1.5, quantityDone: null },
          { sku: 'C', product: 'c', quantity: 0.3333, quantityDone: 0.25 },
          { sku: 'D', product: 'd', quantity: 1200, quantityDone: 1.1 + 2.2 },
        ],
      }),
    );
    expect(doc.table.rows).toEqual([
      ['A', 'a', '2', '2'],
      ['B', 'b', '1.5', ''],
      ['C', 'c', '0.333', '0.25'],
      ['D', 'd', '1200', '3.3'],
    ]);
  });

  it('lists a reference line only for what is set', () => {
    const labels = (input: DeliveryNoteInput) => deliveryNoteDocument(input).references.map((r) => r.label);
    expect(labels(deliveryNote())).toEqual(['Order', 'Shipped from', 'Carrier', 'Tracking']);
    expect(labels(deliveryNote({ origin: null, carrier: null, trackingRef: null }))).toEqual(['Shipped from']);
    expect(deliveryNoteDocument(deliveryNote()).references).toContainEqual({ label: 'Tracking', value: '1Z999AA10123456784' });
  });

  it('adds the delivery date once the picking is done', () => {
    const doc = deliveryNoteDocument(deliveryNote({ dateDone: '2026-11-27T14:00:00.000Z' }));
    expect(doc.dates).toEqual([
      { label: 'Scheduled date', value: '2026-11-26' },
      { label: 'Delivery date', value: '2026-11-27' },
    ]);
  });
});

describe('renderDocx', () => {
  it('writes the note and its QR code into a Word document', async () => {
    const input = deliveryNote();
    const zip = await JSZip.loadAsync(await renderDocx(deliveryNoteDocument(input)));
    const xml = await zip.file('word/document.xml')!.async('string');
    for (const text of [input.pickingName, input.trackingRef!, input.customer.name, ...input.lines.flatMap((l) => [l.sku, l.product])]) {
      expect(xml).toContain(text);
    }
    const media = zip.file(/^word\/media\//);
    expect(media).toHaveLength(1);
    const png = await media[0]!.async('nodebuffer');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });
});

describe('renderPdf', () => {
  it('writes the note as a PDF whose text can be read back', async () => {
    const input = deliveryNote();
    const pdf = await renderPdf(deliveryNoteDocument(input));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pdfPages(pdf);
    expect(pages).toHaveLength(1);
    for (const text of [input.pickingName, input.customer.name, ...input.lines.map((l) => l.product), 'Page 1 of 1']) {
      expect(pages[0]).toContain(text);
    }
  });

  it('draws characters the standard fonts lack as "?"', async () => {
    const pdf = await renderPdf(deliveryNoteDocument(deliveryNote({ customer: { name: 'Łukasz 中村 😀', addressLines: [] } })));
    expect((await pdfPages(pdf))[0]).toContain('?ukasz ?? ?');
  });

  it('continues a long table on the next pages under the column headers again', async () => {
    const pages = await pdfPages(await renderPdf(deliveryNoteDocument(deliveryNote({ lines: manyLines(120) }))));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[1]).toMatch(/SKU\s+Product\s+Quantity\s+ordered\s+Quantity\s+delivered/);
    expect(pages.at(-1)).toContain('Product 120');
    expect(pages[1]).toContain(`Page 2 of ${pages.length}`);
  });
});

describe('invoiceDocument', () => {
  const input = (overrides: Partial<InvoiceDocumentInput> = {}): InvoiceDocumentInput => ({
    kind: 'invoice',
    number: 'INV/2026/00042',
    invoiceDate: '2026-11-26',
    dueDate: '2026-12-26',
    origin: 'S00042',
    creditedInvoice: null,
    paymentReference: 'INV/2026/00042',
    currency: 'EUR',
    company: { name: 'CommerceCore Demo', addressLines: ['1 Main Street', '75001 Paris, FR'], vatId: 'FR12345678901', email: null, phone: null },
    customer: { name: 'Zoë Müller', addressLines: ['Königstraße 5', '70173 Stuttgart, DE'] },
    lines: [
      {
        sku: 'LAMP-01',
        description: '[LAMP-01] Desk lamp',
        quantity: 3,
        unitPrice: 1999,
        discount: 0,
        discountAmount: 0,
        orderDiscount: 0,
        taxes: 'VAT 20%, Eco-fee 0.5%',
        subtotal: 5997,
      },
      {
        sku: null,
        description: 'Gift wrapping',
        quantity: 1,
        unitPrice: 350,
        discount: 10,
        discountAmount: 0,
        orderDiscount: 0,
        taxes: 'VAT 20%',
        subtotal: 315,
      },
    ],
    discountCode: null,
    taxTotals: [
      { name: 'VAT 20% (standard rate, France metropolitan)', base: 6312, amount: 1262 },
      { name: 'Eco-fee 0.5%', base: 5997, amount: 30 },
    ],
    amountUntaxed: 6312,
    amountTotal: 7604,
    amountResidual: 3604,
    note: null,
    ...overrides,
  });

  it('lays out lines, taxes per rate, totals, the amount due and the payment reference', () => {
    const doc = invoiceDocument(input());
    expect(doc.title).toBe('Invoice');
    expect(doc.recipient.heading).toBe('Bill to');
    expect(doc.references).toEqual([
      { label: 'Order', value: 'S00042' },
      { label: 'Payment reference', value: 'INV/2026/00042' },
    ]);
    expect(doc.table.rows).toEqual([
      ['[LAMP-01] Desk lamp', '3', '€19.99', '', 'VAT 20%, Eco-fee 0.5%', '€59.97'],
      ['Gift wrapping', '1', '€3.50', '10%', 'VAT 20%', '€3.15'],
    ]);
    expect(doc.totals.map((t) => `${t.label}: ${t.value}`)).toEqual([
      'Untaxed amount: €63.12',
      'VAT 20% (standard rate, France metropolitan) on €63.12: €12.62',
      'Eco-fee 0.5% on €59.97: €0.30',
      'Total: €76.04',
      'Amount due: €36.04',
    ]);
    expect(invoiceDocument(input({ kind: 'credit_note', creditedInvoice: 'INV/2026/00001' })).references[1]).toEqual({
      label: 'Credits invoice',
      value: 'INV/2026/00001',
    });
  });

  it("shows a line's fixed discount in its row, and the order discount with its code as a line of the totals", () => {
    // Negative amounts as Intl writes them (the standard PDF fonts have no U+2212 minus).
    // 2 × 25.00 less 5.00 = 45.00 before the order discount; 10.00 off the order: 4.00 of it on the
    // mug (its share), 6.00 on the lamp; the amounts shown add up to the untaxed amount once it is taken off.
    const doc = invoiceDocument(
      input({
        lines: [
          {
            sku: 'MUG',
            description: 'Mug',
            quantity: 2,
            unitPrice: 2500,
            discount: 0,
            discountAmount: 500,
            orderDiscount: 400,
            taxes: 'VAT 20%',
            subtotal: 4100,
          },
          {
            sku: 'LAMP',
            description: 'Lamp',
            quantity: 1,
            unitPrice: 6750,
            discount: 0,
            discountAmount: 0,
            orderDiscount: 600,
            taxes: 'VAT 20%',
            subtotal: 6150,
          },
        ],
        discountCode: 'SAVE10',
        taxTotals: [{ name: 'VAT 20%', base: 10250, amount: 2050 }],
        amountUntaxed: 10250,
        amountTotal: 12300,
        amountResidual: 12300,
      }),
    );
    expect(doc.table.columns.map((c) => c.header)).toContain('Discount');
    expect(doc.table.rows).toEqual([
      ['[MUG] Mug', '2', '€25.00', '-€5.00', 'VAT 20%', '€45.00'],
      ['[LAMP] Lamp', '1', '€67.50', '', 'VAT 20%', '€67.50'],
    ]);
    expect(doc.totals.map((t) => `${t.label}: ${t.value}`)).toEqual([
      'Amount: €112.50',
      'Discount SAVE10: -€10.00',
      'Untaxed amount: €102.50',
      'VAT 20% on €102.50: €20.50',
      'Total: €123.00',
    ]);
    // A code whose discount the shop spread over the lines itself is shown among the references.
    const spread = invoiceDocument(input({ discountCode: 'WELCOME' }));
    expect(spread.references).toContainEqual({ label: 'Discount code', value: 'WELCOME' });
  });

  it('in the PDF a long tax label wraps without running into the next total', async () => {
    const pdf = await renderPdf(invoiceDocument(input()));
    const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
    const items = (await (await document.getPage(1)).getTextContent()).items.filter((i) => 'str' in i) as {
      str: string;
      transform: number[];
      height: number;
    }[];
    await document.destroy();
    const y = (text: string) => items.find((i) => i.str.includes(text))!.transform[5]!;
    const lowest = Math.min(...items.filter((i) => /France|metropolitan|€63\.12|€12\.62/.test(i.str)).map((i) => i.transform[5]!));
    // PDF y grows upwards: the next row's text sits below every line of the wrapped label.
    expect(y('Eco-fee 0.5% on')).toBeLessThan(lowest - 5);
    expect(y('Total')).toBeLessThan(y('Eco-fee 0.5% on') - 5);
  });
});
