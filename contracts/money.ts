// Shared by the server and the console (a line's amounts as you type are the server's rule, not a copy).
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

/**
 * The largest amount a line or a document may come to: 10 trillion in major units. Columns are BIGINT
 * and amounts are JavaScript numbers, exact below 2^53 (about 9 × 10^15): this bound keeps every line,
 * document and the sums of many documents (balances, reports) exact.
 */
export const MAX_AMOUNT = 1_000_000_000_000_000;

/** Whether an amount in minor units is within what lines and documents may come to. */
export const withinBounds = (cents: number) => Math.abs(cents) <= MAX_AMOUNT;

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

/** What a line's amounts are made of: its price, its discounts (a percentage, then fixed amounts), its taxes. */
export type LinePricing = { quantity: number; unitPrice: number; discount: number; discountAmount?: number; orderDiscount?: number; taxIds: number[] };

/** The line before fixed amounts: quantity × unit price less its percentage. */
export function lineGross(line: Pick<LinePricing, 'quantity' | 'unitPrice' | 'discount'>): number {
  return lineSubtotal(line.quantity, line.unitPrice, line.discount);
}

/**
 * A line's untaxed amount and taxes: quantity × unit price less its percentage, less the fixed amounts
 * taken off it (its own, and its share of the order discount); each tax on what is left, rounded once.
 */
export function computeLine(line: LinePricing, rates: Map<number, number>): LineAmounts {
  const subtotal = lineGross(line) - (line.discountAmount ?? 0) - (line.orderDiscount ?? 0);
  const taxes = line.taxIds.map((taxId) => {
    const rate = rates.get(taxId);
    if (rate === undefined) throw new Error(`tax ${taxId} has no rate`);
    return { taxId, amount: taxAmount(subtotal, rate) };
  });
  const amountTax = taxes.reduce((s, t) => s + t.amount, 0);
  return { subtotal, amountTax, total: subtotal + amountTax, taxes };
}

/**
 * Spreads an amount over weights in proportion to them, in whole cents that add up to it exactly:
 * each share rounded down, the cents left over going to the largest remainders (the first line first
 * on a tie). Weights must be non-negative and the amount at most their sum.
 */
export function allocate(amount: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (amount === 0 || sum === 0) return weights.map(() => 0);
  if (amount > sum) throw new RangeError(`cannot spread ${amount} over ${sum}`);
  const total = BigInt(sum);
  const exact = weights.map((w) => BigInt(amount) * BigInt(w));
  const shares = exact.map((e) => e / total);
  let left = amount - shares.reduce((s, x) => s + Number(x), 0);
  const order = exact.map((e, i) => ({ i, rest: e % total })).sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]! += 1n;
    left--;
  }
  return shares.map(Number);
}

/** The part of `amount` that the first `done + now` of `of` units carry, less what the first `done` carried: prorated pieces that add up exactly. */
export function prorate(amount: number, of: number, done: number, now: number): number {
  if (of <= 0 || amount === 0) return 0;
  const upTo = (q: number) => Number(divRound(BigInt(amount) * scaled(Math.min(q, of), QTY_SCALE), scaled(of, QTY_SCALE)));
  return upTo(done + now) - upTo(done);
}

/**
 * How the order discount is spread: over the lines in proportion to what each comes to after its own
 * discounts, delivery charges taking none.
 */
export function orderDiscountWeights(
  lines: (Pick<LinePricing, 'quantity' | 'unitPrice' | 'discount' | 'discountAmount'> & { isShipping?: boolean })[],
): number[] {
  return lines.map((l) => (l.isShipping ? 0 : lineGross(l) - (l.discountAmount ?? 0)));
}

const digitsOf = new Map<string, number>();

/** How many minor-unit digits a currency has (2 for EUR, 0 for JPY); 2 for none or an unknown code. */
export function currencyDigits(currency: string | null | undefined): number {
  if (!currency) return 2;
  let digits = digitsOf.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsOf.set(currency, digits);
  }
  return digits;
}

const percentFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, useGrouping: false });

/** A line's discounts as documents and emails show them: "10%", "-€5.00", "10% -€5.00", or '' without. */
export function discountLabel(percent: number, amount: number, currency: string): string {
  return [percent ? `${percentFormat.format(percent)}%` : '', amount ? formatMoney(-amount, currency) : ''].filter(Boolean).join(' ');
}

// Making an Intl.NumberFormat costs far more than using one: one per locale and currency.
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(cents: number, currency: string, locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let f = moneyFormats.get(key);
  if (!f) moneyFormats.set(key, (f = new Intl.NumberFormat(locale, { style: 'currency', currency })));
  return f.format(cents / 100);
}
