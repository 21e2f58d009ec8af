import type { InferCreationAttributes } from 'sequelize';
import type { InvoicePatch } from '../../../contracts/schemas/invoices';
import { isVendorMoveType, type MoveType } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { ForbiddenError, ValidationError } from '../../http/errors';
import { MAX_AMOUNT, computeLine, lineGross, prorate, withinBounds } from '../../lib/money';
import { can, type Auth } from '../auth/access';
import { productsWithVendors, purchasePrice } from '../catalog/product.service';
import { taxRates, taxesById } from '../catalog/tax.service';
import type { InvoiceLineModel, InvoiceModel, LineTax } from './invoice.model';
import { creditedByLine, isRefund, journalFor, loadInvoice, r3 } from './invoice.ledger';
import { displayName } from './invoice.mapper';

// The lines of a draft: what is asked (from an order, a credit, an edit) becomes lines with their amounts
// computed per line from price, discounts and taxes, within the largest amount; a credit note's lines
// never credit more than is left of the invoice's.

/** A line to draft: amounts are computed from its price and taxes, unless given (a credit note's rest). */
export type DraftLine = {
  saleLineId?: number | null;
  purchaseLineId?: number | null;
  reversedLineId?: number | null;
  productId: number | null;
  description: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  discountAmount?: number;
  orderDiscount?: number;
  taxIds: number[];
  accountId?: number | null;
  fixed?: { subtotal: number; taxAmounts: LineTax[] };
};

export type LineValues = Omit<InferCreationAttributes<InvoiceLineModel>, 'id' | 'invoiceId'>;

/** Rates of taxes, active or not (a credit note repeats the taxes of its invoice). */
async function anyTaxRates(t: Tx, ids: number[]): Promise<Map<number, number>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const taxes = await taxesById(t, unique);
  const rates = new Map([...taxes.values()].map((r) => [r.id, r.rate]));
  const missing = unique.filter((i) => !rates.has(i));
  if (missing.length) throw ValidationError.field('lines.taxIds', `unknown tax ${missing.join(', ')}`);
  return rates;
}

/** The lines' amounts; a line without an account posts to the default account of the document's journal. */
export async function computeLines(t: Tx, moveType: MoveType, lines: DraftLine[]): Promise<LineValues[]> {
  const rates = await anyTaxRates(
    t,
    lines.filter((l) => !l.fixed).flatMap((l) => l.taxIds),
  );
  const journal = await journalFor(t, moveType);
  const values = lines.map((l, i) => {
    const amounts = l.fixed
      ? { subtotal: l.fixed.subtotal, taxes: l.fixed.taxAmounts, amountTax: l.fixed.taxAmounts.reduce((s, x) => s + x.amount, 0) }
      : computeLine(l, rates);
    if (!withinBounds(lineGross(l)) || !withinBounds(amounts.subtotal + amounts.amountTax)) {
      throw ValidationError.field(`lines.${i}.quantity`, `makes the line come to more than the largest amount, ${MAX_AMOUNT} (cents)`);
    }
    return {
      sequence: i,
      saleLineId: l.saleLineId ?? null,
      purchaseLineId: l.purchaseLineId ?? null,
      reversedLineId: l.reversedLineId ?? null,
      productId: l.productId,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      discountAmount: l.discountAmount ?? 0,
      orderDiscount: l.orderDiscount ?? 0,
      taxIds: l.taxIds,
      taxAmounts: amounts.taxes,
      subtotal: amounts.subtotal,
      amountTax: amounts.amountTax,
      total: amounts.subtotal + amounts.amountTax,
      accountId: l.accountId ?? journal.defaultAccountId,
    };
  });
  if (!withinBounds(values.reduce((s, v) => s + Math.abs(v.total), 0))) {
    throw ValidationError.field('lines', `make the document come to more than the largest amount, ${MAX_AMOUNT} (cents)`);
  }
  return values;
}

export function applyTotals(inv: InvoiceModel, lines: { subtotal: number; amountTax: number }[]): void {
  const untaxed = lines.reduce((s, l) => s + l.subtotal, 0);
  const tax = lines.reduce((s, l) => s + l.amountTax, 0);
  inv.set({ amountUntaxed: untaxed, amountTax: tax, amountTotal: untaxed + tax, amountResidual: untaxed + tax });
}

/**
 * The lines of a draft after an edit (the full list; a new draft's lines have no id): a kept line keeps
 * what is not given, a new line takes its product's description, price and taxes (on a vendor bill: the
 * vendor's price and the purchase taxes). Lines from an order or an invoice keep their product; a credit
 * note gets no new line; a negative price only on an invoice or a bill, by who may post it.
 */
export async function editedLines(
  t: Tx,
  auth: Auth,
  inv: Pick<InvoiceModel, 'moveType' | 'partnerId' | 'lines'>,
  patchLines: NonNullable<InvoicePatch['lines']>,
): Promise<DraftLine[]> {
  const existing = new Map((inv.lines ?? []).map((l) => [l.id, l]));
  const productIds = patchLines
    .map((l) => (l.productId === undefined ? (l.id !== undefined ? existing.get(l.id)?.productId : null) : l.productId))
    .filter((x): x is number => !!x);
  const products = await productsWithVendors(t, productIds, 'lines.productId');
  const vendor = isVendorMoveType(inv.moveType);
  const newTaxIds = patchLines.flatMap((l) => l.taxIds ?? []);
  if (newTaxIds.length) await taxRates(t, newTaxIds, 'lines.taxIds');
  return patchLines.map((l, i) => {
    const old = l.id !== undefined ? existing.get(l.id) : undefined;
    if (l.id !== undefined && !old) throw ValidationError.field(`lines.${i}.id`, `line ${l.id} is not a line of this invoice`);
    const productId = l.productId === undefined ? (old?.productId ?? null) : l.productId;
    const product = productId ? products.get(productId) : undefined;
    if (old && (old.saleLineId || old.purchaseLineId || old.reversedLineId) && productId !== old.productId) {
      throw ValidationError.field(`lines.${i}.productId`, 'the product of a line from an order or an invoice cannot change');
    }
    const description = l.description ?? old?.description ?? (product ? `[${product.sku}] ${product.name}` : undefined);
    if (!description) throw ValidationError.field(`lines.${i}.description`, 'is required for a line without a product');
    const listed = product ? (vendor ? purchasePrice(product, inv.partnerId, l.quantity).price : product.listPrice) : 0;
    const unitPrice = l.unitPrice ?? old?.unitPrice ?? listed;
    if (isRefund(inv.moveType) && !old?.reversedLineId) {
      throw ValidationError.field(`lines.${i}`, 'a credit note only credits lines of the invoice it credits: a line cannot be added to it');
    }
    if (unitPrice < 0) {
      // A negative line (a goodwill discount) only on an invoice or a bill, by who may post it; a credit note is negative already.
      if (isRefund(inv.moveType)) throw ValidationError.field(`lines.${i}.unitPrice`, 'cannot be negative on a credit note');
      if (!can(auth, 'invoice.write')) throw new ForbiddenError(`Your role (${auth.user.role}) may not put a negative price on an invoice`);
    }
    const discount = l.discount ?? old?.discount ?? 0;
    // Fixed amounts off a line follow its quantity unless given.
    const discountAmount = l.discountAmount ?? (old ? prorate(old.discountAmount, old.quantity, 0, Math.min(l.quantity, old.quantity)) : 0);
    const orderDiscount = old ? prorate(old.orderDiscount, old.quantity, 0, Math.min(l.quantity, old.quantity)) : 0;
    const taxIds = l.taxIds ?? old?.taxIds ?? (vendor ? product?.purchaseTaxIds : product?.taxIds) ?? [];
    const gross = lineGross({ quantity: l.quantity, unitPrice, discount });
    if (discountAmount + orderDiscount > Math.max(gross, 0)) {
      throw ValidationError.field(`lines.${i}.discountAmount`, `is more than the line's ${gross} (cents)`);
    }
    const same =
      old &&
      old.quantity === l.quantity &&
      old.unitPrice === unitPrice &&
      old.discount === discount &&
      old.discountAmount === discountAmount &&
      old.taxIds.join() === taxIds.join();
    return {
      saleLineId: old?.saleLineId ?? null,
      purchaseLineId: old?.purchaseLineId ?? null,
      reversedLineId: old?.reversedLineId ?? null,
      productId,
      description,
      quantity: l.quantity,
      unitPrice,
      discount,
      discountAmount,
      orderDiscount,
      taxIds,
      accountId: old?.accountId ?? null,
      // An untouched line keeps its amounts (a credit note's rest stays exact).
      ...(same && { fixed: { subtotal: old.subtotal, taxAmounts: old.taxAmounts } }),
    };
  });
}

/**
 * A credit note's lines never credit more of an invoice line than is left to credit: its quantity, its
 * unit price (at most the line's), its taxes (the line's own), its amounts (what the line has left,
 * untaxed and taxed, after the other credit notes).
 */
export async function assertCreditable(t: Tx, refund: InvoiceModel, lines: DraftLine[], values: LineValues[]): Promise<void> {
  if (!refund.reversedInvoiceId) return;
  const original = await loadInvoice(t, refund.reversedInvoiceId);
  const credited = await creditedByLine(t, original.id, refund.id);
  const asked = new Map<number, { quantity: number; subtotal: number; tax: number }>();
  lines.forEach((l, i) => {
    const o = original.lines?.find((x) => x.id === l.reversedLineId);
    if (!o) throw ValidationError.field(`lines.${i}`, `is not a line of ${displayName(original)}`);
    if (l.unitPrice > o.unitPrice) {
      throw ValidationError.field(`lines.${i}.unitPrice`, `is more than the ${o.unitPrice} (cents) ${o.description} was invoiced at`);
    }
    if (l.taxIds.join() !== o.taxIds.join()) throw ValidationError.field(`lines.${i}.taxIds`, `are not the taxes ${o.description} was invoiced with`);
    const sum = asked.get(o.id) ?? { quantity: 0, subtotal: 0, tax: 0 };
    asked.set(o.id, { quantity: r3(sum.quantity + l.quantity), subtotal: sum.subtotal + values[i]!.subtotal, tax: sum.tax + values[i]!.amountTax });
  });
  for (const [lineId, ask] of asked) {
    const o = original.lines!.find((l) => l.id === lineId)!;
    const c = credited.get(lineId);
    const left = {
      quantity: r3(o.quantity - (c?.quantity ?? 0)),
      subtotal: o.subtotal - (c?.subtotal ?? 0),
      tax: o.amountTax - [...(c?.taxes.values() ?? [])].reduce((s, x) => s + x, 0),
    };
    if (ask.quantity > left.quantity) throw ValidationError.field('lines', `${o.description}: only ${left.quantity} is left to credit`);
    if (ask.subtotal > left.subtotal || ask.tax > left.tax) {
      throw ValidationError.field('lines', `${o.description}: only ${left.subtotal} (cents, before taxes) and ${left.tax} of taxes are left to credit`);
    }
  }
}
