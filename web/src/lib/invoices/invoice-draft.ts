// The editable copy of a draft invoice: text as typed, turned into the PATCH on save.
import type { Invoice, InvoiceLine, InvoicePatch } from '$contracts/schemas/invoices';
import { moneyInput, parseDecimal, parseMoney } from '$lib/format';
import { newKey, type FieldErrors } from '$lib/forms';

export type InvoiceLineDraft = {
  key: string;
  id?: number;
  productId: number | null;
  sku: string | null;
  /** From an order line or a credited invoice line: it keeps its product. */
  linked: boolean;
  description: string;
  quantity: string;
  unitPrice: string;
  discount: string;
  /** A fixed amount off the whole line, as typed. */
  discountAmount: string;
  taxIds: number[];
  // What the server last returned for this line, shown until the line is edited.
  saved: { key: string; line: InvoiceLine } | null;
};

export type InvoiceDraft = {
  invoiceDate: string;
  dueDate: string;
  note: string;
  lines: InvoiceLineDraft[];
};

export function emptyInvoiceDraft(): InvoiceDraft {
  return { invoiceDate: '', dueDate: '', note: '', lines: [] };
}

/** A line of its own, without a product: a fee, a goodwill discount. */
export function freeLine(): InvoiceLineDraft {
  return {
    key: newKey(),
    productId: null,
    sku: null,
    linked: false,
    description: '',
    quantity: '1',
    unitPrice: '',
    discount: '0',
    discountAmount: '',
    taxIds: [],
    saved: null,
  };
}

const sortedIds = (ids: number[]) => [...ids].sort((a, b) => a - b);

function lineKey(l: Pick<InvoiceLineDraft, 'description' | 'quantity' | 'unitPrice' | 'discount' | 'discountAmount' | 'taxIds'>): string {
  return JSON.stringify([l.description.trim(), l.quantity.trim(), l.unitPrice.trim(), l.discount.trim(), l.discountAmount.trim(), sortedIds(l.taxIds)]);
}

export function isLineEdited(l: InvoiceLineDraft): boolean {
  return !l.saved || l.saved.key !== lineKey(l);
}

export function fromInvoice(inv: Invoice): InvoiceDraft {
  return {
    invoiceDate: inv.invoiceDate ?? '',
    dueDate: inv.dueDate ?? '',
    note: inv.note ?? '',
    lines: inv.lines.map((l) => {
      const line: InvoiceLineDraft = {
        key: `line-${l.id}`,
        id: l.id,
        productId: l.productId,
        sku: l.sku,
        linked: l.saleLineId !== null || l.purchaseLineId !== null || l.reversedLineId !== null,
        description: l.description,
        quantity: String(l.quantity),
        unitPrice: moneyInput(l.unitPrice, inv.currency),
        discount: String(l.discount),
        discountAmount: l.discountAmount ? moneyInput(l.discountAmount, inv.currency) : '',
        taxIds: [...l.taxIds],
        saved: null,
      };
      line.saved = { key: lineKey(line), line: l };
      return line;
    }),
  };
}

function linesKey(lines: InvoiceLineDraft[]): string {
  return JSON.stringify(lines.map((l) => [l.id ?? null, lineKey(l)]));
}

function changedParts(draft: InvoiceDraft, base: InvoiceDraft) {
  return {
    invoiceDate: draft.invoiceDate !== base.invoiceDate,
    dueDate: draft.dueDate !== base.dueDate,
    note: draft.note !== base.note,
    lines: linesKey(draft.lines) !== linesKey(base.lines),
  };
}

export function isDirty(draft: InvoiceDraft, base: InvoiceDraft): boolean {
  return Object.values(changedParts(draft, base)).some(Boolean);
}

/** An amount typed with an optional minus sign (a free line may take something off). */
function parseSignedMoney(text: string, currency: string | null): number | null {
  const t = text.trim();
  const minor = parseMoney(t.replace(/^-/, ''), currency);
  return minor === null ? null : t.startsWith('-') ? -minor : minor;
}

type LineInput = NonNullable<InvoicePatch['lines']>[number];

/**
 * The full list of lines as the PATCH wants it, or the problems that keep it from being sent. A kept
 * line sends only what changed: its taxes may have been archived since, and are refused when sent again.
 */
function toLineInputs(lines: InvoiceLineDraft[], currency: string | null): { lines: LineInput[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const out: LineInput[] = [];
  lines.forEach((l, i) => {
    const at = (f: string) => `lines.${i}.${f}`;
    const old = l.saved?.line;
    const quantity = parseDecimal(l.quantity);
    const unitPrice = parseSignedMoney(l.unitPrice, currency);
    const discount = l.discount.trim() === '' ? 0 : parseDecimal(l.discount);
    const discountAmount = l.discountAmount.trim() === '' ? 0 : parseMoney(l.discountAmount, currency);
    const description = l.description.trim();
    if (quantity === null || quantity <= 0) errors[at('quantity')] = 'A quantity above 0';
    if (unitPrice === null && (l.unitPrice.trim() !== '' || !old)) errors[at('unitPrice')] = 'An amount such as 12.50';
    if (discount === null || discount < 0 || discount > 100) errors[at('discount')] = 'A percentage from 0 to 100';
    if (discountAmount === null) errors[at('discountAmount')] = 'An amount such as 5.00';
    if (description === '' && (l.productId === null || old)) errors[at('description')] = 'Describe the line';
    if (quantity === null || discount === null || discountAmount === null) return;
    const input: LineInput = { quantity };
    if (l.id !== undefined) input.id = l.id;
    if (description !== '' && description !== old?.description) input.description = description;
    if (unitPrice !== null && unitPrice !== old?.unitPrice) input.unitPrice = unitPrice;
    if (discount !== old?.discount) input.discount = discount;
    if (discountAmount !== (old?.discountAmount ?? 0)) input.discountAmount = discountAmount;
    if (!old || sortedIds(l.taxIds).join() !== sortedIds(old.taxIds).join()) input.taxIds = [...l.taxIds];
    out.push(input);
  });
  if (lines.length === 0) errors.lines = 'An invoice needs at least one line.';
  return { lines: out, errors };
}

export function toPatch(draft: InvoiceDraft, base: InvoiceDraft, version: number, currency: string | null): { patch: InvoicePatch; errors: FieldErrors } {
  const changed = changedParts(draft, base);
  const patch: InvoicePatch = { version };
  let errors: FieldErrors = {};
  if (changed.invoiceDate) patch.invoiceDate = draft.invoiceDate || null;
  if (changed.dueDate) patch.dueDate = draft.dueDate || null;
  if (changed.note) patch.note = draft.note.trim() === '' ? null : draft.note;
  if (changed.lines) {
    const r = toLineInputs(draft.lines, currency);
    patch.lines = r.lines;
    errors = r.errors;
  }
  if (draft.invoiceDate && draft.dueDate && draft.dueDate < draft.invoiceDate) errors.dueDate = 'On or after the invoice date';
  return { patch, errors };
}
