import { describe, expect, it } from 'vitest';
import {
  MAX_AMOUNT,
  allocate,
  computeLine,
  discountLabel,
  formatMoney,
  lineGross,
  lineSubtotal,
  prorate,
  taxAmount,
  withinBounds,
} from '../../server/lib/money';

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

describe('allocate', () => {
  it('spreads an amount in proportion to the weights, in cents that add up to it exactly', () => {
    expect(allocate(1000, [3000, 1000])).toEqual([750, 250]);
    // 10.00 over three equal lines: the cent left over goes to the first line.
    expect(allocate(1000, [2000, 2000, 2000])).toEqual([334, 333, 333]);
    // The largest remainders take the leftover cents.
    expect(allocate(100, [100, 200, 300])).toEqual([17, 33, 50]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    expect(allocate(500, [0, 0])).toEqual([0, 0]);
    // A weight of 0 (a shipping line) takes nothing.
    expect(allocate(999, [0, 4995, 4995])).toEqual([0, 500, 499]);
  });
  it('never gives a line more than its weight, and refuses more than all of them', () => {
    expect(allocate(6, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(() => allocate(7, [1, 2, 3])).toThrow(RangeError);
  });
  it('adds up exactly for any amount and weights', () => {
    for (let seed = 1; seed < 200; seed++) {
      const weights = Array.from({ length: 1 + (seed % 7) }, (_, i) => ((seed * 7919 + i * 104729) % 100_000) + (i % 3 === 0 ? 0 : 1));
      const sum = weights.reduce((s, w) => s + w, 0);
      const amount = (seed * 15_485_863) % (sum + 1);
      const shares = allocate(amount, weights);
      expect(shares.reduce((s, x) => s + x, 0)).toBe(amount);
      shares.forEach((x, i) => expect(x).toBeLessThanOrEqual(weights[i]!));
    }
  });
});

describe('prorate', () => {
  it('gives each part of a quantity its part of an amount; the parts add up to the amount', () => {
    // 5.00 off a line of 3: 1 then 1 then 1 → 1.67, 1.66, 1.67 (the last takes what is left).
    const parts = [prorate(500, 3, 0, 1), prorate(500, 3, 1, 1), prorate(500, 3, 2, 1)];
    expect(parts).toEqual([167, 166, 167]);
    expect(parts.reduce((s, x) => s + x, 0)).toBe(500);
    expect(prorate(500, 3, 0, 3)).toBe(500);
    expect(prorate(500, 3, 1, 2)).toBe(333);
    expect(prorate(0, 3, 0, 1)).toBe(0);
    // Fractional quantities.
    expect(prorate(1000, 2.5, 0, 0.5) + prorate(1000, 2.5, 0.5, 2)).toBe(1000);
  });
});

describe('computeLine with fixed discounts', () => {
  it('takes the fixed amounts off after the percentage, and computes each tax on what is left', () => {
    const rates = new Map([[1, 20]]);
    // 2 × 25.00 = 50.00, less 10% = 45.00, less 5.00 = 40.00, less its 3.33 share of the order discount = 36.67.
    expect(computeLine({ quantity: 2, unitPrice: 2500, discount: 10, discountAmount: 500, orderDiscount: 333, taxIds: [1] }, rates)).toEqual({
      subtotal: 3667,
      amountTax: 733,
      total: 4400,
      taxes: [{ taxId: 1, amount: 733 }],
    });
  });
});

describe('lineGross', () => {
  it('is the line less its percentage, before fixed amounts', () => {
    expect(lineGross({ quantity: 2, unitPrice: 2500, discount: 10 })).toBe(4500);
    expect(lineGross({ quantity: 0.5, unitPrice: 1999, discount: 0 })).toBe(1000); // 999.5 → 1000
  });
});

describe('withinBounds', () => {
  it('allows amounts up to 10 trillion in major units, either sign, and no more', () => {
    expect(MAX_AMOUNT).toBe(10 ** 15);
    expect(withinBounds(10 ** 15)).toBe(true);
    expect(withinBounds(-(10 ** 15))).toBe(true);
    expect(withinBounds(10 ** 15 + 1)).toBe(false);
    expect(withinBounds(-(10 ** 15) - 1)).toBe(false);
    // Every amount within bounds, and sums of thousands of them, stay exact as JavaScript numbers.
    expect(Number.isSafeInteger(MAX_AMOUNT * 9)).toBe(true);
  });
});

describe('formatMoney and discountLabel', () => {
  it('format cents in the currency', () => {
    expect(formatMoney(123456, 'EUR')).toBe('€1,234.56');
    expect(formatMoney(-500, 'USD')).toBe('-$5.00');
    expect(formatMoney(5, 'GBP')).toBe('£0.05');
  });
  it('show a line’s discounts: a percentage, a fixed amount, both, or nothing', () => {
    expect(discountLabel(10, 0, 'EUR')).toBe('10%');
    expect(discountLabel(12.5, 0, 'EUR')).toBe('12.5%');
    expect(discountLabel(0, 500, 'EUR')).toBe('-€5.00');
    expect(discountLabel(10, 500, 'EUR')).toBe('10% -€5.00');
    expect(discountLabel(0, 0, 'EUR')).toBe('');
  });
});
