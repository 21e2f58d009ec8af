import type { TrackingValue } from '../../../contracts/schemas/chatter';
import type { Address } from '../../../contracts/schemas/sales';
import type { Tx } from '../../db/transaction';
import { logTracking } from '../chatter/chatter.service';
import type { SaleOrderModel } from './sale-order.model';

// The tracked fields of a sale order: state, customer, shipping address, lines and total. A change to
// any of them is logged in the order's chatter as old → new, in the transaction of the change.

type LineSnapshot = { description: string; quantity: number; unitPrice: number; product: string };
export type SaleOrderSnapshot = {
  state: string;
  customer: string;
  shippingAddress: string | null;
  discountCode: string | null;
  orderDiscount: number;
  amountTotal: number;
  lines: Map<number, LineSnapshot>;
};

function formatAddress(a: Address | null): string | null {
  if (!a) return null;
  const text = [a.name, a.street, a.street2, [a.zip, a.city].filter(Boolean).join(' '), a.state, a.countryCode, a.phone].filter(Boolean).join(', ');
  return text || null;
}

/** A copy of the tracked values, taken before the change (line models are changed in place). */
export function snapshotSaleOrder(o: SaleOrderModel): SaleOrderSnapshot {
  return {
    state: o.state,
    customer: o.partner?.name ?? String(o.partnerId),
    shippingAddress: formatAddress(o.shippingAddress),
    discountCode: o.discountCode ?? null,
    orderDiscount: o.orderDiscount ?? 0,
    amountTotal: o.amountTotal,
    lines: new Map(
      (o.lines ?? []).map((l) => [
        l.id,
        { description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, product: l.product ? `[${l.product.sku}] ${l.product.name}` : 'unmatched' },
      ]),
    ),
  };
}

export function diffSaleOrder(before: SaleOrderSnapshot, after: SaleOrderSnapshot): TrackingValue[] {
  const out: TrackingValue[] = [];
  const field = (name: string, oldValue: string | number | null, newValue: string | number | null) => {
    if (oldValue !== newValue) out.push({ field: name, oldValue, newValue });
  };
  field('state', before.state, after.state);
  field('customer', before.customer, after.customer);
  field('shippingAddress', before.shippingAddress, after.shippingAddress);
  field('discountCode', before.discountCode, after.discountCode);
  field('orderDiscount', before.orderDiscount, after.orderDiscount);
  for (const [id, old] of before.lines) {
    const now = after.lines.get(id);
    if (!now) {
      field('line', `${old.description} × ${old.quantity}`, null);
      continue;
    }
    field(`product: ${now.description}`, old.product, now.product);
    field(`quantity: ${now.description}`, old.quantity, now.quantity);
    field(`unitPrice: ${now.description}`, old.unitPrice, now.unitPrice);
  }
  for (const [id, now] of after.lines) if (!before.lines.has(id)) field('line', null, `${now.description} × ${now.quantity}`);
  field('amountTotal', before.amountTotal, after.amountTotal);
  return out;
}

export async function trackSaleOrder(t: Tx, before: SaleOrderSnapshot, o: SaleOrderModel, authorId: number | null): Promise<void> {
  await logTracking(t, { model: 'saleOrder', resId: o.id, authorId }, diffSaleOrder(before, snapshotSaleOrder(o)));
}
