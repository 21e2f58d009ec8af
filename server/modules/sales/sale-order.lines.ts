import type { LineInput } from '../../../contracts/schemas/sales';
import type { SaleOrderState } from '../../../contracts/states';
import type { Tx } from '../../db/transaction';
import { InvalidStateError, ValidationError, type FieldError } from '../../http/errors';
import { MAX_AMOUNT, allocate, computeLine, lineGross, orderDiscountWeights, withinBounds } from '../../lib/money';
import { productsByIds } from '../catalog/product.service';
import { taxRates } from '../catalog/tax.service';
import type { InferCreationAttributes } from 'sequelize';
import type { ProductRecord } from '../catalog/product.service';
import { SaleOrderLineModel } from './sale-order.model';

/** A line as the service is given it; an intake may add lines whose product is not known here (unmatched). */
export type ParsedLine = Omit<LineInput, 'discount'> & { discount: number; externalSku?: string | null };

const sameIds = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

type LineFields = Omit<InferCreationAttributes<SaleOrderLineModel>, 'id' | 'orderId' | 'qtyDelivered' | 'qtyInvoiced'>;
type PlannedLine = { old: SaleOrderLineModel | undefined; fields: LineFields; product: ProductRecord | undefined };
export type LinePlan = { lines: PlannedLine[]; removed: number[] };

/** The order discount to spread over the lines; `keep`: the lines keep their shares (a confirmed order). */
export type OrderDiscount = { amount: number; keep: boolean };

/**
 * Works out the order's new lines from `inputs` (the full new list), with their amounts, without
 * writing anything. In a confirmed order only what users expect may change: a quantity (never below
 * what was delivered), a description, and new lines; removing a line or changing a price, discount or
 * tax is refused. The order discount is spread over the lines again, unless it is kept.
 */
export async function planLines(
  state: SaleOrderState,
  existing: SaleOrderLineModel[],
  inputs: ParsedLine[],
  discount: OrderDiscount,
  t: Tx,
): Promise<LinePlan> {
  const products = await productsByIds(
    t,
    inputs.flatMap((l) => (l.productId === null ? [] : [l.productId])),
    'lines.productId',
  );
  const resolved = resolveInputs(state, existing, inputs, products, { newUnmatched: false });
  spreadOrderDiscount(resolved, discount);
  return finishPlan(resolved, existing, inputs, products, await ratesOf([resolved], t));
}

/**
 * The lines of new quotations, many at once: the products and taxes of them all are read once. With
 * `unmatched` (an intake), lines without a product are kept as unmatched lines (a shop's SKU not known
 * here); otherwise they are refused.
 */
export async function planNewOrders(orders: { lines: ParsedLine[]; orderDiscount: number }[], t: Tx, opts: { unmatched: boolean }): Promise<LinePlan[]> {
  const products = await productsByIds(
    t,
    orders.flatMap((o) => o.lines.flatMap((l) => (l.productId === null ? [] : [l.productId]))),
    'lines.productId',
  );
  const resolved = orders.map((o) => {
    const r = resolveInputs('draft', [], o.lines, products, { newUnmatched: opts.unmatched });
    spreadOrderDiscount(r, { amount: o.orderDiscount, keep: false });
    return r;
  });
  const rates = await ratesOf(resolved, t);
  return orders.map((o, i) => finishPlan(resolved[i]!, [], o.lines, products, rates));
}

type Resolved = {
  old: SaleOrderLineModel | undefined;
  values: Omit<LineFields, 'sequence' | 'subtotal' | 'amountTax' | 'total'>;
  changed: boolean;
  index: number;
};

/** Each input with its final values (defaults from the line or the product), or the refusals of a confirmed order. */
function resolveInputs(
  state: SaleOrderState,
  existing: SaleOrderLineModel[],
  inputs: ParsedLine[],
  products: Map<number, ProductRecord>,
  opts: { newUnmatched: boolean },
): Resolved[] {
  const byId = new Map(existing.map((l) => [l.id, l]));
  const locked = state === 'sale';
  const refusals: FieldError[] = [];

  const seen = new Set<number>();
  inputs.forEach((l, i) => {
    if (l.id === undefined) return;
    if (!byId.has(l.id)) throw ValidationError.field(`lines.${i}.id`, `line ${l.id} is not a line of this order`);
    if (seen.has(l.id)) throw ValidationError.field(`lines.${i}.id`, `line ${l.id} is listed more than once`);
    seen.add(l.id);
  });
  if (locked) {
    for (const l of existing) {
      if (!seen.has(l.id)) refusals.push({ field: 'lines', message: `line "${l.description}" cannot be removed from a confirmed order` });
    }
  }

  const resolved = inputs.map((l, i) => {
    const old = l.id !== undefined ? byId.get(l.id) : undefined;
    const product = l.productId === null ? undefined : products.get(l.productId)!;
    if (!product) {
      // No product: only a shop's unmatched line, kept as it is until someone matches it.
      const keptUnmatched = old !== undefined && old.productId === null;
      if (!keptUnmatched && !opts.newUnmatched) throw ValidationError.field(`lines.${i}.productId`, 'choose a product');
      if (!keptUnmatched && !l.description) throw ValidationError.field(`lines.${i}.description`, 'is required for a line without a product');
    }
    // What is not given comes from the line itself, or from the product when it is new or its product changed.
    // A line matched to a product keeps the shop's description, price and taxes: they are what the customer was charged.
    const fromOld = old !== undefined && (old.productId === l.productId || old.productId === null || !product) ? old : undefined;
    const values = {
      productId: l.productId,
      externalSku: old?.externalSku ?? l.externalSku ?? null,
      description: l.description ?? fromOld?.description ?? (product ? `[${product.sku}] ${product.name}` : ''),
      quantity: l.quantity,
      unitPrice: l.unitPrice ?? fromOld?.unitPrice ?? product?.listPrice ?? 0,
      discount: l.discount,
      discountAmount: l.discountAmount ?? old?.discountAmount ?? 0,
      orderDiscount: 0,
      isShipping: l.isShipping ?? old?.isShipping ?? false,
      taxIds: l.taxIds ?? fromOld?.taxIds ?? product?.taxIds ?? [],
    };
    const gross = lineGross(values);
    if (values.discountAmount > gross) {
      throw ValidationError.field(`lines.${i}.discountAmount`, `is more than the line's ${gross} (cents) after its percentage`);
    }
    if (locked && old) {
      if (values.productId !== old.productId) refusals.push({ field: `lines.${i}.productId`, message: 'the product of a confirmed line cannot change' });
      if (values.quantity < old.qtyDelivered) {
        refusals.push({
          field: `lines.${i}.quantity`,
          message: `${old.description}: the quantity cannot go below the ${old.qtyDelivered} already delivered`,
        });
      }
      if (values.unitPrice !== old.unitPrice) refusals.push({ field: `lines.${i}.unitPrice`, message: 'the price of a confirmed line cannot change' });
      if (values.discount !== old.discount || values.discountAmount !== old.discountAmount) {
        refusals.push({ field: `lines.${i}.discount`, message: 'the discount of a confirmed line cannot change' });
      }
      if (!sameIds(values.taxIds, old.taxIds)) refusals.push({ field: `lines.${i}.taxIds`, message: 'the taxes of a confirmed line cannot change' });
    }
    return { old, values, changed: false, index: i };
  });
  if (refusals.length) throw new InvalidStateError(refusals[0]!.message, refusals);
  return resolved;
}

/**
 * Spreads the order discount over the lines in proportion to what each comes to after its own
 * discounts (shipping lines aside), then marks the lines whose amounts change. A confirmed order's
 * lines keep their shares; its new lines take none.
 */
function spreadOrderDiscount(resolved: Resolved[], discount: OrderDiscount): void {
  if (discount.keep) {
    for (const r of resolved) r.values.orderDiscount = r.old?.orderDiscount ?? 0;
  } else {
    const weights = orderDiscountWeights(resolved.map((r) => r.values));
    const base = weights.reduce((s, w) => s + w, 0);
    if (discount.amount > base) throw ValidationError.field('orderDiscount', `is more than the ${base} (cents) the lines come to`);
    allocate(discount.amount, weights).forEach((share, i) => (resolved[i]!.values.orderDiscount = share));
  }
  for (const r of resolved) {
    const { old, values } = r;
    r.changed =
      !old ||
      old.quantity !== values.quantity ||
      old.unitPrice !== values.unitPrice ||
      old.discount !== values.discount ||
      old.discountAmount !== values.discountAmount ||
      old.orderDiscount !== values.orderDiscount ||
      !sameIds(old.taxIds, values.taxIds);
  }
}

/** Lines whose amounts change need active taxes; untouched lines keep the amounts they were sold at. */
function ratesOf(orders: Resolved[][], t: Tx): Promise<Map<number, number>> {
  return taxRates(
    t,
    orders.flatMap((resolved) => resolved.filter((r) => r.changed).flatMap((r) => r.values.taxIds)),
    'lines.taxIds',
  );
}

function finishPlan(
  resolved: Resolved[],
  existing: SaleOrderLineModel[],
  inputs: ParsedLine[],
  products: Map<number, ProductRecord>,
  rates: Map<number, number>,
): LinePlan {
  const kept = new Set(inputs.map((l) => l.id).filter((id): id is number => id !== undefined));
  const removed = existing.filter((l) => !kept.has(l.id)).map((l) => l.id);
  const lines = resolved.map((r) => {
    const amounts = r.changed ? computeLine(r.values, rates) : { subtotal: r.old!.subtotal, amountTax: r.old!.amountTax, total: r.old!.total };
    if (!withinBounds(lineGross(r.values)) || !withinBounds(amounts.total)) {
      throw ValidationError.field(`lines.${r.index}.quantity`, `makes the line come to more than the largest amount, ${MAX_AMOUNT} (cents)`);
    }
    const fields: LineFields = { ...r.values, sequence: r.index, subtotal: amounts.subtotal, amountTax: amounts.amountTax, total: amounts.total };
    return { old: r.old, fields, product: r.values.productId === null ? undefined : products.get(r.values.productId) };
  });
  if (!withinBounds(lines.reduce((s, l) => s + l.fields.total, 0))) {
    throw ValidationError.field('lines', `make the order come to more than the largest amount, ${MAX_AMOUNT} (cents)`);
  }
  return { lines, removed };
}

/** Writes a plan: removed lines go, changed lines are updated, new lines are inserted in one statement. */
export async function applyLines(orderId: number, plan: LinePlan, t: Tx): Promise<SaleOrderLineModel[]> {
  if (plan.removed.length) await SaleOrderLineModel.destroy({ where: { id: plan.removed }, transaction: t });
  const fresh = plan.lines.filter((p) => !p.old);
  const created = fresh.length
    ? await SaleOrderLineModel.bulkCreate(
        fresh.map((p) => ({ orderId, ...p.fields })),
        { transaction: t },
      )
    : [];
  const result: SaleOrderLineModel[] = [];
  let next = 0;
  for (const p of plan.lines) {
    let line: SaleOrderLineModel;
    if (p.old) {
      p.old.set(p.fields);
      line = p.old.changed() ? await p.old.save({ transaction: t }) : p.old;
    } else {
      line = created[next++]!;
    }
    line.product = p.product;
    result.push(line);
  }
  return result;
}

/** The lines of new orders, all in one statement; each order's lines in its plan's order. */
export async function insertNewLines(orders: { orderId: number; plan: LinePlan }[], t: Tx): Promise<SaleOrderLineModel[][]> {
  const rows = orders.flatMap(({ orderId, plan }) => plan.lines.map((p) => ({ orderId, ...p.fields })));
  const created = rows.length ? await SaleOrderLineModel.bulkCreate(rows, { transaction: t }) : [];
  let next = 0;
  return orders.map(({ plan }) =>
    plan.lines.map((p) => {
      const line = created[next++]!;
      line.product = p.product;
      return line;
    }),
  );
}

/** Everything taken off the lines before taxes: percentages, fixed amounts and the order discount's shares. */
export function discountTotal(lines: { quantity: number; unitPrice: number; subtotal: number }[]): number {
  return lines.reduce((s, l) => s + lineGross({ quantity: l.quantity, unitPrice: l.unitPrice, discount: 0 }) - l.subtotal, 0);
}

export function totals(lines: { subtotal: number; amountTax: number }[]): { amountUntaxed: number; amountTax: number; amountTotal: number } {
  const amountUntaxed = lines.reduce((s, l) => s + l.subtotal, 0);
  const amountTax = lines.reduce((s, l) => s + l.amountTax, 0);
  return { amountUntaxed, amountTax, amountTotal: amountUntaxed + amountTax };
}
