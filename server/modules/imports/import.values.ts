import { decimalToCents } from '../channels/shopify';

// The values of a file's cells as people write them: amounts, dates, quantities, tax rates. Each
// parser takes the text of one cell; what is not a value of its kind is an error (or null).

/** "19.99", "19,99", "1 234,50", "€19.99" → cents; anything else is an error. */
export function parseMoney(text: string): number {
  let t = text.replace(/[\s€$£]/g, '');
  if (/^-?\d+,\d{1,2}$/.test(t)) t = t.replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+,\d{1,2}$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else t = t.replace(/,(?=\d{3}\b)/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) throw new Error(`"${text}" is not an amount`);
  return decimalToCents(t);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** ISO 8601, "2026-11-20 10:15:00 +0100" (Shopify), "2026-11-20 10:15:00" (UTC) or "2026-11-20"; a day that does not exist is an error. */
export function parseDate(text: string): string {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  if (!m) throw new Error(`"${text}" is not a date (YYYY-MM-DD, with a time if known)`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as number[];
  const leap = year! % 4 === 0 && (year! % 100 !== 0 || year! % 400 === 0);
  const days = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month! - 1];
  if (!days || day! < 1 || day! > days || hour! > 23 || minute! > 59 || second! > 59) throw new Error(`"${text}" is not a real date`);
  const zone = m[7] ? (m[7] === 'Z' ? 'Z' : m[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
  const pad = (n: number) => String(n).padStart(2, '0');
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${pad(hour!)}:${pad(minute!)}:${pad(second!)}${zone}`);
  if (Number.isNaN(d.getTime())) throw new Error(`"${text}" is not a real date`);
  return d.toISOString();
}

/** A quantity as people write it: "2", "1.5", "0,25" (at most 3 decimals, more than 0). */
export function parseQuantity(text: string): number | null {
  const t = text.trim();
  if (!/^\d+([.,]\d{1,3})?$/.test(t)) return null;
  const q = Number(t.replace(',', '.'));
  return q > 0 ? q : null;
}

/** The tax rates named in tax names such as "VAT 20%" or "DE MwSt. 19 %". */
export function ratesIn(text: string): number[] {
  return [...new Set([...text.matchAll(/(\d{1,2}(?:[.,]\d{1,4})?)\s*%/g)].map((m) => Number(m[1]!.replace(',', '.'))))];
}
