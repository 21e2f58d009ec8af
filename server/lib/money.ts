// Money is integer minor units. Quantities carry up to 3 decimals, discounts and tax rates up to 4;
// products of them are computed exactly with BigInt and rounded half away from zero, once per line.

const QTY_SCALE = 1000n;
const PCT_SCALE = 1_000_000n; // a percentage with 4 decimals: 100% = 1_000_000

function scaled(value: number, scale: bigint): bigint {
  return BigInt(Math.round(value * Number(scale)));
}

function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const q = (a * 2n + b) / (2n * b);
  return neg ? -q : q;
}

/** quantity × unit price × (1 − discount%), rounded to the cent. */
export function lineSubtotal(quantity: number, unitPrice: number, discountPercent: number): number {
  const qty = scaled(quantity, QTY_SCALE);
  const keep = PCT_SCALE - scaled(discountPercent, PCT_SCALE / 100n);
  return Number(divRound(qty * BigInt(unitPrice) * keep, QTY_SCALE * PCT_SCALE));
}

/** A tax on a base amount, rounded to the cent. */
export function taxAmount(base: number, ratePercent: number): number {
  return Number(divRound(BigInt(base) * scaled(ratePercent, PCT_SCALE / 100n), PCT_SCALE));
}

export type LineAmounts = { subtotal: number; amountTax: number; total: number; taxes: { taxId: number; amount: number }[] };

export function computeLine(line: { quantity: number; unitPrice: number; discount: number; taxIds: number[] }, rates: Map<number, number>): LineAmounts {
  const subtotal = lineSubtotal(line.quantity, line.unitPrice, line.discount);
  const taxes = line.taxIds.map((taxId) => {
    const rate = rates.get(taxId);
    if (rate === undefined) throw new Error(`tax ${taxId} has no rate`);
    return { taxId, amount: taxAmount(subtotal, rate) };
  });
  const amountTax = taxes.reduce((s, t) => s + t.amount, 0);
  return { subtotal, amountTax, total: subtotal + amountTax, taxes };
}

export function formatMoney(cents: number, currency: string, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}
