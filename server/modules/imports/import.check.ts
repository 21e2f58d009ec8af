import type { ExternalOrder } from '../../../contracts/schemas/channels';

// The common case of a file's order, checked without zod: toOrder builds its candidate from trimmed
// cells, so most orders are plainly valid and what zod would return is the candidate itself (with the
// shipping's default discount). Whatever this check is not sure of (a value out of range, a text to
// trim or cut, a missing field) it leaves to the schema, which gives the very error it always gave.

type Candidate = {
  externalId: string;
  reference: string;
  date: string;
  customer: { name: string | null; email: string | null; phone: string | null };
  shippingAddress: Record<string, string | null> | null;
  lines: { sku?: string | null; name: string; quantity: number; unitPrice: number; discount: number; discountAmount: number; taxRates?: number[] }[];
  shipping: { name: string; amount: number; taxRates?: number[] } | null;
  discountCodes: string[];
  orderDiscount: number;
  note: string | null;
  financialStatus: string | null;
  total: number | null;
  taxTotal: number | null;
};

const MAX_CENTS = 1_000_000_000_00;
const ADDRESS_LIMITS: [string, number][] = [
  ['name', 500],
  ['street', 500],
  ['street2', 500],
  ['city', 500],
  ['zip', 100],
  ['state', 200],
  ['countryCode', 100],
  ['phone', 100],
];
// What Date#toISOString writes (parseDate's output), which the schema's datetime takes.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A text the schema keeps as it is: trimmed already, within `max`, at least `min` long. */
const plain = (v: unknown, max: number, min = 0): boolean => typeof v === 'string' && v.length >= min && v.length <= max && v.trim() === v;
/** A text or null the schema keeps as it is (an empty text would become null). */
const plainOrNull = (v: unknown, max: number): boolean => v === null || (plain(v, max, 1) as boolean);
const cents = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_CENTS;
const centsOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
const rates = (v: number[] | undefined): boolean =>
  v === undefined || (v.length <= 10 && v.every((r) => typeof r === 'number' && Number.isFinite(r) && r >= 0 && r <= 100));
const quantity = (v: number): boolean =>
  Number.isFinite(v) && v > 0 && v <= 1_000_000 && Number.isInteger(Math.round(v * 1000)) && Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6;
const percent = (v: number): boolean => Number.isFinite(v) && v >= 0 && v <= 100 && Math.abs(Math.round(v * 100) - v * 100) < 1e-6;

/**
 * What externalOrder.parse(candidate) returns, when the candidate is plainly valid; null when the
 * schema should look at it (and report what is wrong, or trim and cut as it does).
 */
export function plainOrder(c: Candidate): ExternalOrder | null {
  if (!plain(c.externalId, 100, 1) || !plain(c.reference, 100) || !ISO_UTC.test(c.date)) return null;
  const { customer, shippingAddress: address, shipping } = c;
  if (!(customer.name === null || plain(customer.name, 500, 1)) || !plainOrNull(customer.email, 500) || !plainOrNull(customer.phone, 100)) return null;
  if (address !== null && !ADDRESS_LIMITS.every(([k, max]) => plainOrNull(address[k], max))) return null;
  if (c.lines.length < 1 || c.lines.length > 500) return null;
  for (const l of c.lines) {
    if (!(l.sku === null || l.sku === undefined || plain(l.sku, 64)) || !plain(l.name, 500, 1)) return null;
    if (!quantity(l.quantity) || !cents(l.unitPrice) || !percent(l.discount) || !cents(l.discountAmount) || !rates(l.taxRates)) return null;
  }
  if (shipping !== null && (!plain(shipping.name, 200) || !cents(shipping.amount) || !rates(shipping.taxRates))) return null;
  if (c.discountCodes.length > 20 || !c.discountCodes.every((d) => plain(d, 100, 1))) return null;
  if (!cents(c.orderDiscount) || !(c.note === null || (typeof c.note === 'string' && c.note.length <= 10_000))) return null;
  if (!(c.financialStatus === null || plain(c.financialStatus, 40)) || !centsOrNull(c.total) || !centsOrNull(c.taxTotal)) return null;
  return {
    ...c,
    shipping: shipping && { name: shipping.name, amount: shipping.amount, discountAmount: 0, ...(shipping.taxRates && { taxRates: shipping.taxRates }) },
  } as ExternalOrder;
}
