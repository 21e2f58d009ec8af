import type { TrackingValue } from '$contracts/schemas/chatter';
import { SALE_ORDER_STATE_LABELS, type SaleOrderState } from '$contracts/states';
import { formatMoney, formatQuantity } from '$lib/format';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * What a person typed, as the safe HTML a message body is: everything escaped, paragraphs separated by
 * blank lines become `<p>`, single line breaks `<br>`. Empty when there is nothing but whitespace.
 */
export function textToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/^\s+|\s+$/g, ''))
    .filter((p) => p.length > 0);
  return paragraphs.map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`).join('');
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

/** "just now", "5 minutes ago", "yesterday"; past a week, null (show the date instead). */
export function relativeTime(iso: string, now: number): string | null {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return null;
  let value = Math.round((t - now) / 1000);
  if (Math.abs(value) < 45) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(value, unit);
    value = Math.round(value / size);
  }
  return null;
}

const FIELD_LABELS: Record<string, string> = {
  state: 'Status',
  customer: 'Customer',
  shippingAddress: 'Shipping address',
  line: 'Line',
  amountTotal: 'Total',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
};

// Tracked money values are integer minor units; a line field reads `unitPrice: <description>`.
const MONEY_FIELDS = new Set(['amountTotal', 'unitPrice']);

function baseField(field: string): { base: string; detail: string } {
  const i = field.indexOf(':');
  return i === -1 ? { base: field, detail: '' } : { base: field.slice(0, i).trim(), detail: field.slice(i + 1).trim() };
}

export function trackingLabel(field: string): string {
  const { base, detail } = baseField(field);
  const label = FIELD_LABELS[base] ?? base;
  return detail ? `${label} (${detail})` : label;
}

export function trackingValue(field: string, value: TrackingValue['oldValue'], currency: string | null | undefined): string {
  if (value === null || value === '') return '—';
  const { base } = baseField(field);
  if (typeof value === 'number') return MONEY_FIELDS.has(base) ? formatMoney(value, currency) : formatQuantity(value);
  if (base === 'state' && value in SALE_ORDER_STATE_LABELS) return SALE_ORDER_STATE_LABELS[value as SaleOrderState];
  return value;
}
