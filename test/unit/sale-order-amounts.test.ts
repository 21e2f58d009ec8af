import { describe, expect, it } from 'vitest';
import { computeLine } from '../../server/lib/money';
import { deriveDeliveryStatus, deriveInvoiceStatus, qtyToInvoice } from '../../server/modules/sales/sale-order.mapper';
import { discountTotal, totals } from '../../server/modules/sales/sale-order.lines';
import type { SaleOrderLineModel } from '../../server/modules/sales/sale-order.model';

// A sale order's amounts and derived statuses (ARCHITECTURE "Money" and "States"): each line's taxes
// are computed and rounded on that line, the order adds the lines up; invoiceStatus and deliveryStatus
// come from the lines, never by hand.

const rates = new Map([
  [1, 20],
  [2, 5.5],
]);

describe('order totals', () => {
  it('add up the lines, each taxed and rounded on its own', () => {
    // Three lines of 0.25 taxed 5.5%: 0.01375 each, rounded per line to 0.01 (not 0.04125 → 0.04 for the order).
    const lines = [1, 2, 3].map(() => computeLine({ quantity: 1, unitPrice: 25, discount: 0, taxIds: [2] }, rates));
    expect(lines.map((l) => l.amountTax)).toEqual([1, 1, 1]);
    expect(totals(lines)).toEqual({ amountUntaxed: 75, amountTax: 3, amountTotal: 78 });
  });

  it('of a lamp (2 × 19.99 less 10%, VAT 20% and 5.5%) and a plain item (1 × 10.00)', () => {
    const lamp = computeLine({ quantity: 2, unitPrice: 1999, discount: 10, taxIds: [1, 2] }, rates);
    const plain = computeLine({ quantity: 1, unitPrice: 1000, discount: 0, taxIds: [] }, rates);
    // 39.98 less 10% = 35.982 → 35.98; 20% = 7.196 → 7.20; 5.5% = 1.9789 → 1.98.
    expect([lamp.subtotal, lamp.amountTax, lamp.total]).toEqual([3598, 918, 4516]);
    expect(totals([lamp, plain])).toEqual({ amountUntaxed: 4598, amountTax: 918, amountTotal: 5516 });
  });

  it('of no lines is zero', () => {
    expect(totals([])).toEqual({ amountUntaxed: 0, amountTax: 0, amountTotal: 0 });
  });
});

describe('discountTotal', () => {
  it('is everything taken off before taxes: percentages, fixed amounts and order discount shares', () => {
    const a = { quantity: 2, unitPrice: 2500, discount: 10, discountAmount: 500, orderDiscount: 333, taxIds: [1] };
    const b = { quantity: 3, unitPrice: 1000, discount: 0, taxIds: [] };
    const lines = [a, b].map((l) => ({ ...l, subtotal: computeLine(l, rates).subtotal }));
    // 50.00 → 45.00 (10%) → 40.00 (5.00 off) → 36.67 (3.33 share): 13.33 off; nothing off the second.
    expect(lines.map((l) => l.subtotal)).toEqual([3667, 3000]);
    expect(discountTotal(lines)).toBe(1333);
  });

  it('counts a fractional quantity at its exact gross', () => {
    // 1.5 × 9.99 = 14.985 → 14.99 gross; sold for 12.00.
    expect(discountTotal([{ quantity: 1.5, unitPrice: 999, subtotal: 1200 }])).toBe(299);
  });
});

// Lines as the mapper reads them (only these fields).
type LineFields = { quantity: number; qtyDelivered: number; qtyInvoiced: number; product?: { invoicePolicy?: 'order' | 'delivery'; type?: string } };
const line = (l: LineFields) => l as unknown as SaleOrderLineModel;

describe('qtyToInvoice', () => {
  it('is nothing before the order is confirmed', () => {
    for (const state of ['draft', 'sent', 'cancel'] as const) expect(qtyToInvoice(line({ quantity: 5, qtyDelivered: 0, qtyInvoiced: 0 }), state)).toBe(0);
  });

  it('is what was ordered (invoice policy "order") or delivered ("delivery"), less what was invoiced', () => {
    expect(qtyToInvoice(line({ quantity: 5, qtyDelivered: 2, qtyInvoiced: 1 }), 'sale')).toBe(4);
    expect(qtyToInvoice(line({ quantity: 5, qtyDelivered: 2, qtyInvoiced: 1, product: { invoicePolicy: 'order' } }), 'done')).toBe(4);
    expect(qtyToInvoice(line({ quantity: 5, qtyDelivered: 2, qtyInvoiced: 1, product: { invoicePolicy: 'delivery' } }), 'sale')).toBe(1);
  });

  it('goes below zero when more was invoiced than is now due (a return), to three decimals', () => {
    expect(qtyToInvoice(line({ quantity: 3, qtyDelivered: 1, qtyInvoiced: 3, product: { invoicePolicy: 'delivery' } }), 'sale')).toBe(-2);
    expect(qtyToInvoice(line({ quantity: 0.3, qtyDelivered: 0, qtyInvoiced: 0.1 }), 'sale')).toBe(0.2);
  });
});

describe('deriveInvoiceStatus', () => {
  it('is "no" for a quotation or a cancelled order, whatever its lines', () => {
    const l = [line({ quantity: 2, qtyDelivered: 0, qtyInvoiced: 0 })];
    expect(deriveInvoiceStatus('draft', l)).toBe('no');
    expect(deriveInvoiceStatus('sent', l)).toBe('no');
    expect(deriveInvoiceStatus('cancel', l)).toBe('no');
  });

  it('is "to_invoice" while a line has something to invoice, "invoiced" once all is', () => {
    expect(deriveInvoiceStatus('sale', [line({ quantity: 2, qtyDelivered: 0, qtyInvoiced: 0 }), line({ quantity: 1, qtyDelivered: 0, qtyInvoiced: 1 })])).toBe(
      'to_invoice',
    );
    expect(deriveInvoiceStatus('done', [line({ quantity: 2, qtyDelivered: 0, qtyInvoiced: 2 }), line({ quantity: 1, qtyDelivered: 0, qtyInvoiced: 1 })])).toBe(
      'invoiced',
    );
  });

  it('a "delivery" line with nothing delivered yet has nothing to invoice: "no"', () => {
    expect(deriveInvoiceStatus('sale', [line({ quantity: 2, qtyDelivered: 0, qtyInvoiced: 0, product: { invoicePolicy: 'delivery' } })])).toBe('no');
  });

  it('a return after invoicing makes a credit note due: "to_invoice"', () => {
    expect(deriveInvoiceStatus('sale', [line({ quantity: 2, qtyDelivered: 1, qtyInvoiced: 2, product: { invoicePolicy: 'delivery' } })])).toBe('to_invoice');
  });

  it('a confirmed order without lines is "no"', () => {
    expect(deriveInvoiceStatus('sale', [])).toBe('no');
  });
});

describe('deriveDeliveryStatus', () => {
  it('is pending until something is delivered, partial until every deliverable line is, then full', () => {
    const a = (qtyDelivered: number) => line({ quantity: 2, qtyDelivered, qtyInvoiced: 0, product: { type: 'storable' } });
    const b = (qtyDelivered: number) => line({ quantity: 1, qtyDelivered, qtyInvoiced: 0, product: { type: 'consumable' } });
    expect(deriveDeliveryStatus([a(0), b(0)])).toBe('pending');
    expect(deriveDeliveryStatus([a(1), b(0)])).toBe('partial');
    expect(deriveDeliveryStatus([a(2), b(0)])).toBe('partial');
    expect(deriveDeliveryStatus([a(2), b(1)])).toBe('full');
  });

  it('leaves services out: an order of services only stays pending', () => {
    const service = line({ quantity: 1, qtyDelivered: 0, qtyInvoiced: 0, product: { type: 'service' } });
    expect(deriveDeliveryStatus([service])).toBe('pending');
    expect(deriveDeliveryStatus([service, line({ quantity: 1, qtyDelivered: 1, qtyInvoiced: 0, product: { type: 'storable' } })])).toBe('full');
    expect(deriveDeliveryStatus([])).toBe('pending');
  });
});
