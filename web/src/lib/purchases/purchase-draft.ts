// The editable copy of a draft RFQ: text as typed, turned into the PATCH on save.
import type { Product } from '$contracts/schemas/catalog';
import type { PurchaseLineInput, PurchaseOrder, PurchaseOrderLine, PurchaseOrderPatch } from '$contracts/schemas/purchasing';
import { moneyInput, parseDecimal, parseMoney } from '$lib/format';
import { newKey, type FieldErrors } from '$lib/forms';

export type PurchaseLineDraft = {
  key: string;
  id?: number;
  productId: number | null;
  productLabel: string;
  description: string;
  quantity: string;
  /** Empty: the vendor's price for the quantity (or the product's cost). */
  unitPrice: string;
  taxIds: number[];
  /** YYYY-MM-DD; empty: the order date plus the vendor's lead days. */
  datePlanned: string;
  // What the server last returned for this line, shown until the line is edited.
  saved: { key: string; line: PurchaseOrderLine } | null;
};

export type PurchaseDraft = {
  partnerId: number | null;
  partnerName: string;
  warehouseId: number | null;
  note: string;
  lines: PurchaseLineDraft[];
};

export function emptyPurchaseDraft(): PurchaseDraft {
  return { partnerId: null, partnerName: '', warehouseId: null, note: '', lines: [] };
}

export function emptyPurchaseLine(): PurchaseLineDraft {
  return { key: newKey(), productId: null, productLabel: '', description: '', quantity: '1', unitPrice: '', taxIds: [], datePlanned: '', saved: null };
}

export function productLabel(p: Pick<Product, 'sku' | 'name'>): string {
  return `${p.sku} · ${p.name}`;
}

/** A line after its product was picked: the vendor's price and the planned date come from the server, the purchase taxes from the product. */
export function withProduct(line: PurchaseLineDraft, p: Product): PurchaseLineDraft {
  return { ...line, productId: p.id, productLabel: productLabel(p), description: '', unitPrice: '', taxIds: [...p.purchaseTaxIds], datePlanned: '' };
}

/** The UTC day of an ISO time, as a date input shows it. */
const dayOf = (iso: string) => iso.slice(0, 10);

const sortedIds = (ids: number[]) => [...ids].sort((a, b) => a - b);

function lineKey(l: Pick<PurchaseLineDraft, 'productId' | 'description' | 'quantity' | 'unitPrice' | 'taxIds' | 'datePlanned'>): string {
  return JSON.stringify([l.productId, l.description.trim(), l.quantity.trim(), l.unitPrice.trim(), sortedIds(l.taxIds), l.datePlanned]);
}

export function isLineEdited(l: PurchaseLineDraft): boolean {
  return !l.saved || l.saved.key !== lineKey(l);
}

export function fromPurchase(o: PurchaseOrder): PurchaseDraft {
  return {
    partnerId: o.partnerId,
    partnerName: o.partnerName,
    warehouseId: o.warehouseId,
    note: o.note ?? '',
    lines: o.lines.map((l) => {
      const line: PurchaseLineDraft = {
        key: `line-${l.id}`,
        id: l.id,
        productId: l.productId,
        productLabel: `${l.sku} · ${l.productName}`,
        description: l.description,
        quantity: String(l.quantity),
        unitPrice: moneyInput(l.unitPrice, o.currency),
        taxIds: [...l.taxIds],
        datePlanned: dayOf(l.datePlanned),
        saved: null,
      };
      line.saved = { key: lineKey(line), line: l };
      return line;
    }),
  };
}

function linesKey(lines: PurchaseLineDraft[]): string {
  return JSON.stringify(lines.map((l) => [l.id ?? null, lineKey(l)]));
}

function changedParts(draft: PurchaseDraft, base: PurchaseDraft) {
  return {
    partner: draft.partnerId !== base.partnerId,
    warehouse: draft.warehouseId !== base.warehouseId,
    note: draft.note !== base.note,
    lines: linesKey(draft.lines) !== linesKey(base.lines),
  };
}

export function isDirty(draft: PurchaseDraft, base: PurchaseDraft): boolean {
  return Object.values(changedParts(draft, base)).some(Boolean);
}

/** A planned day as the API takes it: the line's time of day kept (a new date on a new line: noon UTC, the same day everywhere). */
function plannedTime(day: string, old: PurchaseOrderLine | undefined): string {
  const time = old ? old.datePlanned.slice(10) : 'T12:00:00.000Z';
  return `${day}${time}`;
}

/**
 * The full list of lines as the PATCH wants it, or the problems that keep it from being sent. A kept
 * line sends only what changed: a price left alone follows the vendor's price breaks when the quantity
 * changes, and a price set by hand stays while it does not.
 */
function toLineInputs(lines: PurchaseLineDraft[], currency: string | null): { lines: PurchaseLineInput[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const out: PurchaseLineInput[] = [];
  lines.forEach((l, i) => {
    const at = (f: string) => `lines.${i}.${f}`;
    const old = l.saved?.line;
    const quantity = parseDecimal(l.quantity);
    const unitPrice = l.unitPrice.trim() === '' ? null : parseMoney(l.unitPrice, currency);
    const description = l.description.trim();
    if (l.productId === null) errors[at('productId')] = 'Choose a product';
    if (quantity === null || quantity <= 0) errors[at('quantity')] = 'A quantity above 0';
    if (l.unitPrice.trim() !== '' && unitPrice === null) errors[at('unitPrice')] = 'An amount such as 12.50';
    if (l.productId === null || quantity === null) return;
    const sameProduct = old !== undefined && old.productId === l.productId;
    const input: PurchaseLineInput = { productId: l.productId, quantity };
    if (l.id !== undefined) input.id = l.id;
    if (description !== '' && !(sameProduct && description === old.description)) input.description = description;
    if (unitPrice !== null && !(sameProduct && unitPrice === old.unitPrice)) input.unitPrice = unitPrice;
    if (!(sameProduct && sortedIds(l.taxIds).join() === sortedIds(old.taxIds).join())) input.taxIds = [...l.taxIds];
    if (l.datePlanned !== '' && !(sameProduct && l.datePlanned === dayOf(old.datePlanned))) input.datePlanned = plannedTime(l.datePlanned, old);
    out.push(input);
  });
  return { lines: out, errors };
}

export function toPatch(
  draft: PurchaseDraft,
  base: PurchaseDraft,
  version: number,
  currency: string | null,
): { patch: PurchaseOrderPatch; errors: FieldErrors } {
  const changed = changedParts(draft, base);
  const patch: PurchaseOrderPatch = { version };
  let errors: FieldErrors = {};
  if (changed.partner && draft.partnerId !== null) patch.partnerId = draft.partnerId;
  if (changed.warehouse && draft.warehouseId !== null) patch.warehouseId = draft.warehouseId;
  if (changed.note) patch.note = draft.note.trim() === '' ? null : draft.note;
  if (changed.lines) {
    const r = toLineInputs(draft.lines, currency);
    patch.lines = r.lines;
    errors = r.errors;
  }
  if (draft.partnerId === null) errors.partnerId = 'Choose a vendor';
  return { patch, errors };
}
