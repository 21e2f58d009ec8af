// Money is integer minor units everywhere; these turn it into text and back.
import { currencyDigits } from '$contracts/money';

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      // An unknown code still shows the amount, with the code beside it.
      f = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, f);
  }
  return f;
}

// One rule for a currency's digits, the server's (contracts/money).
export { currencyDigits };

export function formatMoney(minor: number, currency: string | null | undefined): string {
  const digits = currencyDigits(currency);
  const major = minor / 10 ** digits;
  if (!currency) return major.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const f = moneyFormat(currency);
  const text = f.format(major);
  return f.resolvedOptions().style === 'currency' ? text : `${text} ${currency}`;
}

/** Minor units as the plain text an input field shows: 1250 → "12.50". */
export function moneyInput(minor: number, currency: string | null | undefined): string {
  return (minor / 10 ** currencyDigits(currency)).toFixed(currencyDigits(currency));
}

/** "12.5", "12,50", "1 234.5" → minor units; null when it is not an amount. */
export function parseMoney(text: string, currency: string | null | undefined): number | null {
  const cleaned = text.trim().replace(/[\s\u00a0']/g, '');
  if (!cleaned) return null;
  // One separator is the decimal point; with both, the last one is.
  const lastSep = Math.max(cleaned.lastIndexOf('.'), cleaned.lastIndexOf(','));
  const normalised = lastSep === -1 ? cleaned : cleaned.slice(0, lastSep).replace(/[.,]/g, '') + '.' + cleaned.slice(lastSep + 1).replace(/[.,]/g, '');
  if (!/^\d+(\.\d*)?$/.test(normalised)) return null;
  const digits = currencyDigits(currency);
  const [whole = '0', frac = ''] = normalised.split('.');
  if (frac.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}

/** A decimal typed by a person ("2,5" or "2.5") as a number; null when it is not one. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$|^-?\.\d+$/.test(t)) return null;
  return Number(t);
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

export function formatQuantity(q: number): string {
  return q.toLocaleString(undefined, { maximumFractionDigits: 3 });
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB'];

/** A file size: 512 → "512 B", 1_500_000 → "1.4 MB". */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString(undefined, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${SIZE_UNITS[unit]}`;
}
