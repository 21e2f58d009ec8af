import type { ExternalOrder } from '../../contracts/schemas/channels';
import type { AttentionReason } from '../../contracts/schemas/sales';
import type { Tx } from '../db/transaction';
import { allocate, computeLine, formatMoney, lineGross, orderDiscountWeights } from '../lib/money';
import { ProductModel, TaxModel } from '../modules/catalog/catalog.model';
import { nameKey, productsByName, productsBySku } from '../modules/catalog/product.service';
import { companyCurrency } from '../modules/company/company.service';
import type { ParsedLine } from '../modules/sales/sale-order.lines';

// An intake's lines: products by SKU (by name when the shop gives none), taxes by rate, discounts as
// the shop gave them, and the shop's totals checked against ours.

const SHIPPING_SKU = 'SHIPPING';

async function shippingProduct(t: Tx, found: ProductModel | undefined): Promise<ProductModel> {
  if (found) return found;
  return ProductModel.create(
    { sku: SHIPPING_SKU, name: 'Shipping', type: 'service', listPrice: 0, cost: 0, taxIds: [], invoicePolicy: 'order', routes: [], active: true },
    { transaction: t },
  );
}

/** What the orders of one intake are matched against, read once for them all. */
export type Catalog = {
  bySku: Map<string, ProductModel>;
  byName: Map<string, ProductModel>;
  taxes: TaxModel[];
  shipping: ProductModel | null;
  currency: string;
};

export async function catalogFor(t: Tx, exts: ExternalOrder[]): Promise<Catalog> {
  const lines = exts.flatMap((e) => e.lines);
  const shipped = exts.some((e) => e.shipping && e.shipping.amount > 0);
  // The shipping product is read with the lines' products, in the same statement.
  const bySku = await productsBySku(t, [...lines.map((l) => l.sku).filter((s): s is string => !!s), ...(shipped ? [SHIPPING_SKU] : [])]);
  return {
    bySku,
    byName: await productsByName(
      t,
      lines.filter((l) => !l.sku).map((l) => l.name),
    ),
    taxes: await TaxModel.findAll({ where: { active: true }, transaction: t }),
    shipping: shipped ? await shippingProduct(t, bySku.get(SHIPPING_SKU)) : null,
    currency: await companyCurrency(t),
  };
}

export type Resolved = { lines: ParsedLine[]; orderDiscount: number; reasons: AttentionReason[] };

/**
 * Our lines for the shop's: products by SKU (by name when the SKU is empty), taxes by rate, each
 * discount as the shop gave it. A product not known here keeps its line, unmatched, with the shop's
 * name, price and taxes; then the totals are checked against the shop's.
 */
export function resolveLines(ext: ExternalOrder, catalog: Catalog): Resolved {
  const { taxes, currency } = catalog;
  const money = (c: number) => formatMoney(c, currency);
  const reasons: AttentionReason[] = [];
  const taxIdsFor = (rates: number[] | undefined, what: string): number[] | undefined => {
    if (!rates) return undefined;
    const ids: number[] = [];
    for (const rate of rates) {
      const tax = taxes.find((x) => Math.abs(x.rate - rate) < 0.0001);
      if (tax) ids.push(tax.id);
      else reasons.push({ code: 'unknown_tax', message: `${what}: the shop charged a ${rate}% tax that has no active tax here (Settings → Taxes)` });
    }
    return ids;
  };
  const lines: ParsedLine[] = [];
  const productOf = new Map<number, ProductModel>();
  for (const l of ext.lines) {
    const product = l.sku ? catalog.bySku.get(l.sku) : catalog.byName.get(nameKey(l.name));
    if (product) productOf.set(product.id, product);
    const gross = lineGross({ quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount });
    lines.push({
      productId: product?.id ?? null,
      externalSku: product ? null : (l.sku ?? null),
      description: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      // A discount beyond the line is the shop's mistake: the totals check below shows it.
      discountAmount: Math.min(l.discountAmount, gross),
      // An unmatched line without the shop's rates has no taxes to take from a product.
      taxIds: taxIdsFor(l.taxRates, l.name) ?? (product ? undefined : []),
    });
  }
  if (ext.shipping && ext.shipping.amount > 0 && catalog.shipping) {
    lines.push({
      productId: catalog.shipping.id,
      description: ext.shipping.name,
      quantity: 1,
      unitPrice: ext.shipping.amount,
      discount: 0,
      discountAmount: Math.min(ext.shipping.discountAmount, ext.shipping.amount),
      taxIds: taxIdsFor(ext.shipping.taxRates, ext.shipping.name) ?? [],
      isShipping: true,
    });
  }
  // The order discount is spread over the lines as the order will spread it (shipping aside).
  const weights = orderDiscountWeights(lines.map((l) => ({ ...l, unitPrice: l.unitPrice ?? 0 })));
  const orderDiscount = Math.min(
    ext.orderDiscount,
    weights.reduce((s, w) => s + w, 0),
  );
  // The shop's totals against ours, computed the same way the order will be.
  if (ext.total != null || ext.taxTotal != null) {
    const rates = new Map(taxes.map((x) => [x.id, x.rate]));
    const shares = allocate(orderDiscount, weights);
    let total = 0;
    let tax = 0;
    lines.forEach((l, i) => {
      const taxIds = l.taxIds ?? (l.productId !== null ? productOf.get(l.productId)?.taxIds : undefined) ?? [];
      const amounts = computeLine(
        {
          quantity: l.quantity,
          unitPrice: l.unitPrice ?? 0,
          discount: l.discount,
          discountAmount: l.discountAmount,
          orderDiscount: shares[i]!,
          taxIds: taxIds.filter((id) => rates.has(id)),
        },
        rates,
      );
      total += amounts.total;
      tax += amounts.amountTax;
    });
    const shipping = ext.shipping ? ext.shipping.amount - ext.shipping.discountAmount : 0;
    if ((ext.total != null && ext.total !== total) || (ext.taxTotal != null && ext.taxTotal !== tax)) {
      const theirs = [ext.total != null ? money(ext.total) : null, ext.taxTotal != null ? `taxes ${money(ext.taxTotal)}` : null, `shipping ${money(shipping)}`];
      reasons.push({
        code: 'total_mismatch',
        message: `The shop's total is ${theirs.filter(Boolean).join(', ')}; ours is ${money(total)}, taxes ${money(tax)}, shipping ${money(shipping)}: check prices, discounts and taxes`,
      });
    }
  }
  return { lines, orderDiscount, reasons };
}
