import type { TrackingValue } from '$contracts/schemas/chatter';
import { PAYMENT_STATE_LABELS, PICKING_STATE_LABELS, SALE_ORDER_STATE_LABELS, type RecordModel } from '$contracts/states';
import { formatMoney, formatQuantity } from '$lib/format';
import { INVOICE_STATE_LABELS } from '$lib/labels';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A person picked in the composer's @-autocomplete: `@<name>` in the text stands for them. */
export type Mention = { id: number; name: string };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One line as HTML: escaped, with each `@<name>` of a picked mention as the span the server reads
 * (`<span data-mention="<userId>">@Name</span>`). Text that merely looks like a mention stays text.
 */
function lineToHtml(line: string, mentions: readonly Mention[]): string {
  if (mentions.length === 0) return escapeHtml(line);
  const byToken = new Map(mentions.map((m) => [`@${m.name}`, m.id]));
  // Longest first, so `@Ann Smith` wins over `@Ann`; a token ends where a word does.
  const tokens = [...byToken.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_@])(?:${tokens.join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
  let html = '';
  let from = 0;
  for (const match of line.matchAll(pattern)) {
    html += escapeHtml(line.slice(from, match.index)) + `<span data-mention="${byToken.get(match[0])}">${escapeHtml(match[0])}</span>`;
    from = match.index + match[0].length;
  }
  return html + escapeHtml(line.slice(from));
}

/**
 * What a person typed, as the safe HTML a message body is: everything escaped, paragraphs separated by
 * blank lines become `<p>`, single line breaks `<br>`, picked @mentions their spans. Empty when there
 * is nothing but whitespace.
 */
export function textToHtml(text: string, mentions: readonly Mention[] = []): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/^\s+|\s+$/g, ''))
    .filter((p) => p.length > 0);
  return paragraphs
    .map(
      (p) =>
        `<p>${p
          .split('\n')
          .map((line) => lineToHtml(line, mentions))
          .join('<br>')}</p>`,
    )
    .join('');
}

/** The `@query` being typed just before the caret (at the start or after a space), if any. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)@([^\s@]{0,40})$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1]!.length - 1, query: match[1]! };
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
  product: 'Product',
  discountCode: 'Discount code',
  orderDiscount: 'Order discount',
  carrier: 'Carrier',
  trackingRef: 'Tracking reference',
  scheduledDate: 'Scheduled',
  paymentState: 'Payment',
  name: 'Number',
};

// The state names of the records whose state is tracked.
const STATE_LABELS: Partial<Record<RecordModel, Record<string, string>>> = {
  saleOrder: SALE_ORDER_STATE_LABELS,
  picking: PICKING_STATE_LABELS,
  invoice: INVOICE_STATE_LABELS,
};

// Tracked money values are integer minor units; a line field reads `unitPrice: <description>`.
const MONEY_FIELDS = new Set(['amountTotal', 'unitPrice', 'orderDiscount']);

function baseField(field: string): { base: string; detail: string } {
  const i = field.indexOf(':');
  return i === -1 ? { base: field, detail: '' } : { base: field.slice(0, i).trim(), detail: field.slice(i + 1).trim() };
}

export function trackingLabel(field: string): string {
  const { base, detail } = baseField(field);
  const label = FIELD_LABELS[base] ?? base;
  return detail ? `${label} (${detail})` : label;
}

export function trackingValue(model: RecordModel, field: string, value: TrackingValue['oldValue'], currency: string | null | undefined): string {
  if (value === null || value === '') return '—';
  const { base } = baseField(field);
  if (typeof value === 'number') return MONEY_FIELDS.has(base) ? formatMoney(value, currency) : formatQuantity(value);
  if (base === 'state') return STATE_LABELS[model]?.[value] ?? value;
  if (base === 'paymentState') return (PAYMENT_STATE_LABELS as Record<string, string>)[value] ?? value;
  return value;
}
