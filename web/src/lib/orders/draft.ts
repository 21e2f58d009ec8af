// The editable copy of a sale order: text as typed, turned into API input on save.
import type { Partner } from '$contracts/schemas/partners';
import type { Product } from '$contracts/schemas/catalog';
import type { Address, LineInput, SaleOrder, SaleOrderCreate, SaleOrderPatch } from '$contracts/schemas/sales';
import { moneyInput, parseDecimal, parseMoney } from '$lib/format';

export const ADDRESS_FIELDS = ['name', 'street', 'street2', 'city', 'zip', 'state', 'countryCode', 'phone'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];
export type AddressDraft = Record<AddressField, string>;

export type LineDraft = {
  key: string;
  id?: number;
  productId: number | null;
  productLabel: string;
  description: string;
  quantity: string;
  unitPrice: string;
  discount: string;
  taxIds: number[];
  // What the server last returned for this line, shown until the line is edited.
  saved: { key: string; subtotal: number; amountTax: number; total: number; qtyDelivered: number; qtyInvoiced: number } | null;
};

export type OrderDraft = {
  partnerId: number | null;
  partnerName: string;
  /** Null: the server's default (the first warehouse). */
  warehouseId: number | null;
  note: string;
  needsAttention: boolean;
  shippingAddress: AddressDraft;
  lines: LineDraft[];
};

export type FieldErrors = Record<string, string>;

let keySeq = 0;
export function newKey(): string {
  keySeq += 1;
  return `new-${keySeq}`;
}

export function emptyAddress(): AddressDraft {
  return { name: '', street: '', street2: '', city: '', zip: '', state: '', countryCode: '', phone: '' };
}

export function emptyDraft(): OrderDraft {
  return { partnerId: null, partnerName: '', warehouseId: null, note: '', needsAttention: false, shippingAddress: emptyAddress(), lines: [] };
}

export function emptyLine(): LineDraft {
  return {
    key: newKey(),
    productId: null,
    productLabel: '',
    description: '',
    quantity: '1',
    unitPrice: '',
    discount: '0',
    taxIds: [],
    saved: null,
  };
}

export function productLabel(p: Pick<Product, 'sku' | 'name'>): string {
  return `${p.sku} · ${p.name}`;
}

/** A line after its product was picked: the product's price, taxes and name as defaults. */
export function withProduct(line: LineDraft, p: Product, currency: string | null): LineDraft {
  return {
    ...line,
    productId: p.id,
    productLabel: productLabel(p),
    // Empty: the server fills in its default description for the product.
    description: '',
    unitPrice: moneyInput(p.listPrice, currency),
    taxIds: [...p.taxIds],
  };
}

export function addressFromPartner(p: Partner): AddressDraft {
  return {
    name: p.name,
    street: p.street ?? '',
    street2: '',
    city: p.city ?? '',
    zip: p.zip ?? '',
    state: '',
    countryCode: p.countryCode ?? '',
    phone: p.phone ?? '',
  };
}

export function isAddressEmpty(a: AddressDraft): boolean {
  return ADDRESS_FIELDS.every((f) => a[f].trim() === '');
}

function lineKey(l: Pick<LineDraft, 'productId' | 'description' | 'quantity' | 'unitPrice' | 'discount' | 'taxIds'>): string {
  return JSON.stringify([l.productId, l.description.trim(), l.quantity.trim(), l.unitPrice.trim(), l.discount.trim(), [...l.taxIds].sort((a, b) => a - b)]);
}

export function isLineEdited(l: LineDraft): boolean {
  return !l.saved || l.saved.key !== lineKey(l);
}

export function fromOrder(o: SaleOrder): OrderDraft {
  const address = emptyAddress();
  for (const f of ADDRESS_FIELDS) address[f] = o.shippingAddress?.[f] ?? '';
  return {
    partnerId: o.partnerId,
    partnerName: o.partnerName,
    warehouseId: o.warehouseId,
    note: o.note ?? '',
    needsAttention: o.needsAttention,
    shippingAddress: address,
    lines: o.lines.map((l) => {
      const line: LineDraft = {
        key: `line-${l.id}`,
        id: l.id,
        productId: l.productId,
        productLabel: l.sku ? `${l.sku}` : `Product #${l.productId}`,
        description: l.description,
        quantity: String(l.quantity),
        unitPrice: moneyInput(l.unitPrice, o.currency),
        discount: String(l.discount),
        taxIds: [...l.taxIds],
        saved: null,
      };
      line.saved = {
        key: lineKey(line),
        subtotal: l.subtotal,
        amountTax: l.amountTax,
        total: l.total,
        qtyDelivered: l.qtyDelivered,
        qtyInvoiced: l.qtyInvoiced,
      };
      return line;
    }),
  };
}

function addressKey(a: AddressDraft): string {
  return JSON.stringify(ADDRESS_FIELDS.map((f) => a[f].trim()));
}

function linesKey(lines: LineDraft[]): string {
  return JSON.stringify(lines.map((l) => [l.id ?? null, lineKey(l)]));
}

/** Which parts of the draft differ from another (the last saved state). */
export function changedParts(draft: OrderDraft, base: OrderDraft) {
  return {
    partner: draft.partnerId !== base.partnerId,
    warehouse: draft.warehouseId !== base.warehouseId,
    note: draft.note !== base.note,
    needsAttention: draft.needsAttention !== base.needsAttention,
    address: addressKey(draft.shippingAddress) !== addressKey(base.shippingAddress),
    lines: linesKey(draft.lines) !== linesKey(base.lines),
  };
}

export function isDirty(draft: OrderDraft, base: OrderDraft): boolean {
  return Object.values(changedParts(draft, base)).some(Boolean);
}

function toAddress(a: AddressDraft): Address | null {
  if (isAddressEmpty(a)) return null;
  const out: Address = {};
  for (const f of ADDRESS_FIELDS) {
    const v = a[f].trim();
    out[f] = v === '' ? null : f === 'countryCode' ? v.toUpperCase() : v;
  }
  return out;
}

/** The lines as API input, or the problems that keep them from being sent. */
export function toLineInputs(lines: LineDraft[], currency: string | null): { lines: LineInput[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const out: LineInput[] = [];
  lines.forEach((l, i) => {
    const at = (f: string) => `lines.${i}.${f}`;
    const quantity = parseDecimal(l.quantity);
    const unitPrice = parseMoney(l.unitPrice, currency);
    const discount = l.discount.trim() === '' ? 0 : parseDecimal(l.discount);
    if (l.productId === null) errors[at('productId')] = 'Choose a product';
    if (quantity === null || quantity <= 0) errors[at('quantity')] = 'A quantity above 0';
    if (l.unitPrice.trim() !== '' && unitPrice === null) errors[at('unitPrice')] = 'An amount such as 12.50';
    if (discount === null || discount < 0 || discount > 100) errors[at('discount')] = 'A percentage from 0 to 100';
    if (l.productId === null || quantity === null || discount === null) return;
    out.push({
      ...(l.id !== undefined && { id: l.id }),
      productId: l.productId,
      ...(l.description.trim() !== '' && { description: l.description.trim() }),
      quantity,
      ...(unitPrice !== null && { unitPrice }),
      discount,
      taxIds: [...l.taxIds],
    });
  });
  return { lines: out, errors };
}

export function toPatch(draft: OrderDraft, base: OrderDraft, version: number, currency: string | null): { patch: SaleOrderPatch; errors: FieldErrors } {
  const changed = changedParts(draft, base);
  const patch: SaleOrderPatch = { version };
  let errors: FieldErrors = {};
  if (changed.partner && draft.partnerId !== null) patch.partnerId = draft.partnerId;
  if (changed.warehouse && draft.warehouseId !== null) patch.warehouseId = draft.warehouseId;
  if (changed.note) patch.note = draft.note.trim() === '' ? null : draft.note;
  if (changed.needsAttention) patch.needsAttention = draft.needsAttention;
  if (changed.address) patch.shippingAddress = toAddress(draft.shippingAddress);
  if (changed.lines) {
    const r = toLineInputs(draft.lines, currency);
    patch.lines = r.lines;
    errors = r.errors;
  }
  if (draft.partnerId === null) errors.partnerId = 'Choose a customer';
  return { patch, errors };
}

export function toCreate(draft: OrderDraft, currency: string | null): { input: SaleOrderCreate | null; errors: FieldErrors } {
  const r = toLineInputs(draft.lines, currency);
  const errors = { ...r.errors };
  if (draft.partnerId === null) {
    errors.partnerId = 'Choose a customer';
    return { input: null, errors };
  }
  const address = toAddress(draft.shippingAddress);
  return {
    input: {
      partnerId: draft.partnerId,
      ...(address && { shippingAddress: address }),
      ...(draft.warehouseId !== null && { warehouseId: draft.warehouseId }),
      ...(draft.note.trim() !== '' && { note: draft.note }),
      needsAttention: draft.needsAttention,
      lines: r.lines,
    },
    errors,
  };
}
