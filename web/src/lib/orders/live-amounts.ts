// A draft order's amounts as it is typed, by the server's own rule (contracts/money): the figures the
// server will save, shown before the save; the server's figures replace them once it answers.
import { allocate, computeLine, orderDiscountWeights, type LineAmounts } from '$contracts/money';
import type { Tax } from '$contracts/schemas/catalog';
import { parseDecimal, parseMoney } from '$lib/format';
import { isLineEdited, type LineDraft } from './draft';

export type LiveTotals = { untaxed: number; tax: number; total: number };
export type LiveAmounts = { lines: (LineAmounts | null)[]; totals: LiveTotals | null };

type Priced = { quantity: number; unitPrice: number; discount: number; discountAmount: number; isShipping: boolean; taxIds: number[] };

function priced(l: LineDraft, currency: string | null): Priced | null {
  const quantity = parseDecimal(l.quantity);
  const unitPrice = parseMoney(l.unitPrice, currency);
  const discount = l.discount.trim() === '' ? 0 : parseDecimal(l.discount);
  const discountAmount = l.discountAmount.trim() === '' ? 0 : parseMoney(l.discountAmount, currency);
  if (quantity === null || unitPrice === null || discount === null || discountAmount === null) return null;
  if (quantity < 0 || discount < 0 || discount > 100) return null;
  return { quantity, unitPrice, discount, discountAmount, isShipping: l.isShipping, taxIds: l.taxIds };
}

/**
 * Each line's amounts (null where a figure is not a number yet) and the order's totals (null until
 * every line reads). `keepShares`: a confirmed order's lines keep the order-discount share they were
 * sold with and new lines take none, as the server does.
 */
export function liveAmounts(lines: LineDraft[], orderDiscountText: string, taxes: Tax[], currency: string | null, keepShares: boolean): LiveAmounts {
  const rates = new Map(taxes.map((t) => [t.id, t.rate]));
  const parsed = lines.map((l) => priced(l, currency));
  const orderDiscount = orderDiscountText.trim() === '' ? 0 : parseMoney(orderDiscountText, currency);
  const complete = parsed.every((p) => p !== null) && orderDiscount !== null;
  let shares: number[];
  if (keepShares) shares = lines.map((l) => (l.id !== undefined ? (l.saved?.orderDiscount ?? 0) : 0));
  else if (complete && orderDiscount > 0) {
    const weights = orderDiscountWeights(parsed as Priced[]);
    const base = weights.reduce((s, w) => s + w, 0);
    // More off than the lines come to: the server refuses it; the lines show without it.
    shares = orderDiscount <= base ? allocate(orderDiscount, weights) : lines.map(() => 0);
  } else shares = lines.map(() => 0);

  const amounts = lines.map((l, i): LineAmounts | null => {
    const p = parsed[i];
    if (!p) return null;
    // A line the server priced and nobody touched keeps the server's figures (a tax rate changed
    // since stays as it was sold), unless its share of the order discount moves.
    if (l.saved && !isLineEdited(l) && l.saved.orderDiscount === shares[i]) return { ...l.saved, taxes: [] };
    if (p.taxIds.some((id) => !rates.has(id))) return null;
    return computeLine({ ...p, orderDiscount: shares[i] ?? 0 }, rates);
  });
  if (!complete || amounts.some((a) => a === null)) return { lines: amounts, totals: null };
  const sum = (f: (a: LineAmounts) => number) => amounts.reduce((s, a) => s + f(a!), 0);
  return { lines: amounts, totals: { untaxed: sum((a) => a.subtotal), tax: sum((a) => a.amountTax), total: sum((a) => a.total) } };
}
