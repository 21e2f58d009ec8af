import { describe, expect, it } from 'vitest';
import { computeLine, lineSubtotal, taxAmount } from '../../server/lib/money';

describe('lineSubtotal', () => {
  it('multiplies quantity by unit price, rounding once at the end', () => {
    expect(lineSubtotal(3, 1999, 0)).toBe(5997);
    expect(lineSubtotal(1.5, 999, 0)).toBe(1499); // 1498.5 → 1499 (half away from zero)
    expect(lineSubtotal(0.333, 100, 0)).toBe(33); // 33.3
  });
  it('applies the discount before rounding', () => {
    expect(lineSubtotal(3, 1999, 15)).toBe(5097); // 5097.45
    expect(lineSubtotal(1, 1005, 50)).toBe(503); // 502.5 → 503
    expect(lineSubtotal(7, 333, 12.5)).toBe(2040); // 2039.625
    expect(lineSubtotal(2, 5000, 100)).toBe(0);
  });
  it('is exact for amounts where floats are not', () => {
    // 0.1 + 0.2 style errors: 3 × 0.35 € = 1.05 €, not 1.0499999
    expect(lineSubtotal(3, 35, 0)).toBe(105);
    expect(lineSubtotal(1000000, 99999999, 0)).toBe(99999999000000);
  });
});

describe('taxAmount', () => {
  it('rounds each tax half away from zero', () => {
    expect(taxAmount(5097, 20)).toBe(1019); // 1019.4
    expect(taxAmount(5097, 5.5)).toBe(280); // 280.335
    expect(taxAmount(1150, 5.5)).toBe(63); // 63.25
    expect(taxAmount(50, 5)).toBe(3); // 2.5 → 3
    expect(taxAmount(-50, 5)).toBe(-3); // credit notes round the same way
    expect(taxAmount(12345, 7.6543)).toBe(945); // 944.923…
  });
});

describe('computeLine', () => {
  it('computes two taxes on one discounted line', () => {
    const rates = new Map([
      [1, 20],
      [2, 5.5],
    ]);
    expect(computeLine({ quantity: 3, unitPrice: 1999, discount: 15, taxIds: [1, 2] }, rates)).toEqual({
      subtotal: 5097,
      amountTax: 1299,
      total: 6396,
      taxes: [
        { taxId: 1, amount: 1019 },
        { taxId: 2, amount: 280 },
      ],
    });
  });
  it('refuses a tax without a rate', () => {
    expect(() => computeLine({ quantity: 1, unitPrice: 100, discount: 0, taxIds: [9] }, new Map())).toThrow(/tax 9/);
  });
});
