import type { InferCreationAttributes } from 'sequelize';
import type { PurchaseLineInput } from '../../../contracts/schemas/purchasing';
import type { Tx } from '../../db/transaction';
import { ValidationError } from '../../http/errors';
import { MAX_AMOUNT, computeLine, lineGross, withinBounds } from '../../lib/money';
import { productsWithVendors, purchasePrice, type ProductRecord } from '../catalog/product.service';
import { taxRates } from '../catalog/tax.service';
import { r3 } from '../inventory/quants';
import type { PurchaseOrderLineModel } from './purchase-order.model';

// The lines of an RFQ: prices from the vendor's price list for the quantity (or the product's cost),
// the product's purchase taxes, the planned date from the vendor's lead time, amounts in cents by the
// same rounding rules as sales (each tax computed and rounded per line).

const DAY = 86_400_000;
// Quantities carry 3 decimals, rounded as the stock engine rounds them.
export { r3 };

export type PurchaseLineFields = Omit<
  InferCreationAttributes<PurchaseOrderLineModel>,
  'id' | 'orderId' | 'qtyReceived' | 'qtyBilled' | 'leadDays' | 'tenderLineId'
> & { tenderLineId?: number | null };
export type PlannedPurchaseLine = { old: PurchaseOrderLineModel | undefined; fields: PurchaseLineFields; product: ProductRecord };

/** Order date plus lead days. */
export const plannedDate = (dateOrder: Date, leadDays: number) => new Date(dateOrder.getTime() + leadDays * DAY);

/** A line's amounts, checked against the largest amount. */
export function priceLine(
  fields: Pick<PurchaseLineFields, 'quantity' | 'unitPrice' | 'taxIds'>,
  rates: Map<number, number>,
  field: string,
): { subtotal: number; amountTax: number; total: number } {
  const amounts = computeLine({ quantity: fields.quantity, unitPrice: fields.unitPrice, discount: 0, taxIds: fields.taxIds }, rates);
  if (!withinBounds(lineGross({ ...fields, discount: 0 })) || !withinBounds(amounts.total)) {
    throw ValidationError.field(field, `makes the line come to more than the largest amount, ${MAX_AMOUNT} (cents)`);
  }
  return { subtotal: amounts.subtotal, amountTax: amounts.amountTax, total: amounts.total };
}

/**
 * Works out a draft's new lines from `inputs` (the full new list) without writing: what is not given
 * comes from the line itself, or from the product and the vendor when the line is new or its product
 * or vendor changed.
 */
export async function planPurchaseLines(
  t: Tx,
  vendorId: number,
  dateOrder: Date,
  existing: PurchaseOrderLineModel[],
  inputs: PurchaseLineInput[],
  vendorChanged = false,
): Promise<{ lines: PlannedPurchaseLine[]; removed: PurchaseOrderLineModel[] }> {
  const byId = new Map(existing.map((l) => [l.id, l]));
  const seen = new Set<number>();
  inputs.forEach((l, i) => {
    if (l.id === undefined) return;
    if (!byId.has(l.id)) throw ValidationError.field(`lines.${i}.id`, `line ${l.id} is not a line of this order`);
    if (seen.has(l.id)) throw ValidationError.field(`lines.${i}.id`, `line ${l.id} is listed more than once`);
    seen.add(l.id);
  });
  const products = await productsWithVendors(
    t,
    inputs.map((l) => l.productId),
    'lines.productId',
  );
  const planned = inputs.map((l, i) => {
    const old = l.id !== undefined ? byId.get(l.id) : undefined;
    const product = products.get(l.productId)!;
    const same = old !== undefined && old.productId === l.productId && !vendorChanged;
    const listed = purchasePrice(product, vendorId, l.quantity);
    // A kept line keeps a price someone set, unless its quantity moved it to another price break.
    const kept = same && old.quantity === l.quantity;
    const unitPrice = l.unitPrice ?? (kept ? old.unitPrice : listed.price);
    const fields = {
      sequence: i,
      productId: l.productId,
      description: l.description ?? (same ? old.description : `[${product.sku}] ${product.name}`),
      quantity: r3(l.quantity),
      unitPrice,
      taxIds: l.taxIds ?? (same ? old.taxIds : product.purchaseTaxIds),
      datePlanned: l.datePlanned ? new Date(l.datePlanned) : kept ? old.datePlanned : plannedDate(dateOrder, listed.leadDays),
      subtotal: 0,
      amountTax: 0,
      total: 0,
    };
    return { old, fields, product, index: i };
  });
  const rates = await taxRates(
    t,
    planned.flatMap((p) => p.fields.taxIds),
    'lines.taxIds',
  );
  for (const p of planned) Object.assign(p.fields, priceLine(p.fields, rates, `lines.${p.index}.quantity`));
  const removed = existing.filter((l) => !seen.has(l.id));
  return { lines: planned.map(({ old, fields, product }) => ({ old, fields, product })), removed };
}

/** An order's totals from its lines. */
export function purchaseTotals(lines: Pick<PurchaseOrderLineModel, 'subtotal' | 'amountTax' | 'total'>[]) {
  const amountUntaxed = lines.reduce((s, l) => s + l.subtotal, 0);
  const amountTax = lines.reduce((s, l) => s + l.amountTax, 0);
  const amountTotal = lines.reduce((s, l) => s + l.total, 0);
  if (!withinBounds(amountTotal)) throw ValidationError.field('lines', `the order comes to more than the largest amount, ${MAX_AMOUNT} (cents)`);
  return { amountUntaxed, amountTax, amountTotal };
}

/** The earliest planned arrival of the lines (the order's planned date). */
export function earliestPlanned(lines: Pick<PurchaseOrderLineModel, 'datePlanned'>[]): Date | null {
  const times = lines.map((l) => new Date(l.datePlanned).getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

/** What a bill may still cover of a line: ordered or received (by the product's bill policy), minus what was billed. */
export function qtyToBill(l: Pick<PurchaseOrderLineModel, 'quantity' | 'qtyReceived' | 'qtyBilled'>, policy: 'ordered' | 'received'): number {
  return r3((policy === 'ordered' ? l.quantity : l.qtyReceived) - l.qtyBilled);
}
