// The editable copy of a sale order: text as typed, turned into API input on save.
import type { Partner } from '$contracts/schemas/partners';
import type { Product } from '$contracts/schemas/catalog';
import type { Address, LineInput, SaleOrder, SaleOrderCreate, SaleOrderPatch } from '$contracts/schemas/sales';
import { moneyInput, parseDecimal, parseMoney } from '$lib/format';
import { newKey, type FieldErrors } from '$lib/forms';

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
  /** A fixed amount off the whole line, as typed. */
  discountAmount: string;
  /** A delivery charge: the order discount is not spread over it. */
  isShipping: boolean;
  /**
   * A shop's line whose product is not known here, as saved: `productId` stays null until someone
   * matches it (it is then sent with its id and the product, keeping its description, price and taxes).
   */
  unmatched: { sku: string | null } | null;
  taxIds: number[];
  // What the server last returned for this line, shown until the line is edited.
  saved: {
    key: string;
    subtotal: number;
    amountTax: number;
    total: number;
    qtyDelivered: number;
    qtyInvoiced: number;
    orderDiscount: number;
  } | null;
};

export type OrderDraft = {
  partnerId: number | null;
  partnerName: string;
  /** Null: the server's default (the first warehouse). */
  warehouseId: number | null;
  note: string;
  needsAttention: boolean;
  /** The discount or coupon codes the customer used ("SUMMER10, FREESHIP"). */
  discountCode: string;
  /** A fixed amount off the order before taxes, as typed. */
  orderDiscount: string;
  shippingAddress: AddressDraft;
  lines: LineDraft[];
};

export function emptyAddress(): AddressDraft {
  return { name: '', street: '', street2: '', city: '', zip: '', state: '', countryCode: '', phone: '' };
}

export function emptyDraft(): OrderDraft {
  return {
    partnerId: null,
    partnerName: '',
    warehouseId: null,
    note: '',
    needsAttention: false,
    discountCode: '',
    orderDiscount: '',
    shippingAddress: emptyAddress(),
    lines: [],
  };
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
    discountAmount: '',
    isShipping: false,
    unmatched: null,
    taxIds: [],
    saved: null,
  };
}

export function productLabel(p: Pick<Product, 'sku' | 'name'>): string {
  return `${p.sku} · ${p.name}`;
}

/** A line after its product was picked: the product's price, taxes and name as defaults. */
export function withProduct(line: LineDraft, p: Product, currency: string | null): LineDraft {
  // A shop's unmatched line keeps what the customer was charged: only its product changes.
  if (line.unmatched) return matchedTo(line, p);
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

/** A shop's line not matched to a product yet (nor in the draft). */
export function isUnmatched(line: LineDraft): boolean {
  return line.unmatched !== null && line.productId === null;
}

/** A shop's unmatched line matched to a product: its description, price and taxes stay as the shop gave them. */
export function matchedTo(line: LineDraft, p: Product): LineDraft {
  return { ...line, productId: p.id, productLabel: productLabel(p) };
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

function lineKey(l: Pick<LineDraft, 'productId' | 'description' | 'quantity' | 'unitPrice' | 'discount' | 'discountAmount' | 'isShipping' | 'taxIds'>): string {
  return JSON.stringify([
    l.productId,
    l.description.trim(),
    l.quantity.trim(),
    l.unitPrice.trim(),
    l.discount.trim(),
    l.discountAmount.trim(),
    l.isShipping,
    [...l.taxIds].sort((a, b) => a - b),
  ]);
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
    discountCode: o.discountCode ?? '',
    orderDiscount: o.orderDiscount ? moneyInput(o.orderDiscount, o.currency) : '',
    shippingAddress: address,
    lines: o.lines.map((l) => {
      const line: LineDraft = {
        key: `line-${l.id}`,
        id: l.id,
        productId: l.productId,
        productLabel: l.productId === null ? '' : l.sku ? `${l.sku}` : `Product #${l.productId}`,
        description: l.description,
        quantity: String(l.quantity),
        unitPrice: moneyInput(l.unitPrice, o.currency),
        discount: String(l.discount),
        discountAmount: l.discountAmount ? moneyInput(l.discountAmount, o.currency) : '',
        isShipping: l.isShipping,
        unmatched: l.productId === null ? { sku: l.sku } : null,
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
        orderDiscount: l.orderDiscount,
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
    discountCode: draft.discountCode.trim() !== base.discountCode.trim(),
    orderDiscount: draft.orderDiscount.trim() !== base.orderDiscount.trim(),
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
    const discountAmount = l.discountAmount.trim() === '' ? 0 : parseMoney(l.discountAmount, currency);
    // A shop's unmatched line goes back as it is (its id, no product) until it is matched.
    const keptUnmatched = isUnmatched(l) && l.id !== undefined;
    if (l.productId === null && !keptUnmatched) errors[at('productId')] = 'Choose a product';
    if (quantity === null || quantity <= 0) errors[at('quantity')] = 'A quantity above 0';
    if (l.unitPrice.trim() !== '' && unitPrice === null) errors[at('unitPrice')] = 'An amount such as 12.50';
    if (discount === null || discount < 0 || discount > 100) errors[at('discount')] = 'A percentage from 0 to 100';
    if (discountAmount === null) errors[at('discountAmount')] = 'An amount such as 5.00';
    if ((l.productId === null && !keptUnmatched) || quantity === null || discount === null || discountAmount === null) return;
    out.push({
      ...(l.id !== undefined && { id: l.id }),
      productId: l.productId,
      ...(l.description.trim() !== '' && { description: l.description.trim() }),
      quantity,
      ...(unitPrice !== null && { unitPrice }),
      discount,
      discountAmount,
      taxIds: [...l.taxIds],
      isShipping: l.isShipping,
    });
  });
  return { lines: out, errors };
}

/** The order discount as typed: minor units (0 when empty), or null when it is not an amount. */
function parseOrderDiscount(text: string, currency: string | null): number | null {
  return text.trim() === '' ? 0 : parseMoney(text, currency);
}

export function toPatch(draft: OrderDraft, base: OrderDraft, version: number, currency: string | null): { patch: SaleOrderPatch; errors: FieldErrors } {
  const changed = changedParts(draft, base);
  const patch: SaleOrderPatch = { version };
  let errors: FieldErrors = {};
  if (changed.partner && draft.partnerId !== null) patch.partnerId = draft.partnerId;
  if (changed.warehouse && draft.warehouseId !== null) patch.warehouseId = draft.warehouseId;
  if (changed.note) patch.note = draft.note.trim() === '' ? null : draft.note;
  if (changed.needsAttention) patch.needsAttention = draft.needsAttention;
  if (changed.discountCode) patch.discountCode = draft.discountCode.trim() === '' ? null : draft.discountCode.trim();
  if (changed.address) patch.shippingAddress = toAddress(draft.shippingAddress);
  if (changed.lines) {
    const r = toLineInputs(draft.lines, currency);
    patch.lines = r.lines;
    errors = r.errors;
  }
  if (changed.orderDiscount) {
    const amount = parseOrderDiscount(draft.orderDiscount, currency);
    if (amount === null) errors.orderDiscount = 'An amount such as 10.00';
    else patch.orderDiscount = amount;
  }
  if (draft.partnerId === null) errors.partnerId = 'Choose a customer';
  return { patch, errors };
}

export function toCreate(draft: OrderDraft, currency: string | null): { input: SaleOrderCreate | null; errors: FieldErrors } {
  const r = toLineInputs(draft.lines, currency);
  const errors = { ...r.errors };
  const orderDiscount = parseOrderDiscount(draft.orderDiscount, currency);
  if (orderDiscount === null) errors.orderDiscount = 'An amount such as 10.00';
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
      ...(draft.discountCode.trim() !== '' && { discountCode: draft.discountCode.trim() }),
      ...(orderDiscount && { orderDiscount }),
      lines: r.lines,
    },
    errors,
  };
}
