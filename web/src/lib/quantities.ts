import { formatQuantity, parseDecimal } from './format';

/** What may be taken of one product (credited, returned), and the quantity typed for it. */
export type QuantityRow = { productId: number; max: number; text: string };

/**
 * Quantities typed per product, each checked from 0 up to what may be taken: the errors by product,
 * and the products with a quantity above 0.
 */
export function checkQuantities(rows: QuantityRow[]): { errors: Record<number, string>; lines: { productId: number; quantity: number }[] } {
  const errors: Record<number, string> = {};
  const lines: { productId: number; quantity: number }[] = [];
  for (const r of rows) {
    const q = parseDecimal(r.text);
    if (q === null || q < 0) errors[r.productId] = 'Enter a quantity of 0 or more.';
    else if (q > r.max) errors[r.productId] = `At most ${formatQuantity(r.max)}.`;
    else if (q > 0) lines.push({ productId: r.productId, quantity: q });
  }
  return { errors, lines };
}
