import type { TrackingValue } from '../../../contracts/schemas/chatter';
import type { Tx } from '../../db/transaction';
import { logTracking } from '../chatter/chatter.service';
import type { PurchaseOrderModel } from './purchase-order.model';

// The tracked fields of a purchase order: state, vendor, lines (quantity, price, planned date), the
// order date and total. A change is logged in its chatter as old → new, in the transaction of the change.

type LineSnapshot = { description: string; quantity: number; unitPrice: number; datePlanned: string };
export type PurchaseSnapshot = {
  state: string;
  vendor: string;
  dateOrder: string;
  amountTotal: number;
  lines: Map<number, LineSnapshot>;
};

const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

export function snapshotPurchase(o: PurchaseOrderModel): PurchaseSnapshot {
  return {
    state: o.state,
    vendor: o.partner?.name ?? String(o.partnerId),
    dateOrder: day(o.dateOrder),
    amountTotal: o.amountTotal,
    lines: new Map(
      (o.lines ?? []).map((l) => [l.id, { description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, datePlanned: day(l.datePlanned) }]),
    ),
  };
}

export function diffPurchase(before: PurchaseSnapshot, after: PurchaseSnapshot): TrackingValue[] {
  const out: TrackingValue[] = [];
  const field = (name: string, oldValue: string | number | null, newValue: string | number | null) => {
    if (oldValue !== newValue) out.push({ field: name, oldValue, newValue });
  };
  field('state', before.state, after.state);
  field('vendor', before.vendor, after.vendor);
  field('dateOrder', before.dateOrder, after.dateOrder);
  for (const [id, old] of before.lines) {
    const now = after.lines.get(id);
    if (!now) {
      field('line', `${old.description} × ${old.quantity}`, null);
      continue;
    }
    field(`quantity: ${now.description}`, old.quantity, now.quantity);
    field(`unitPrice: ${now.description}`, old.unitPrice, now.unitPrice);
    field(`datePlanned: ${now.description}`, old.datePlanned, now.datePlanned);
  }
  for (const [id, now] of after.lines) if (!before.lines.has(id)) field('line', null, `${now.description} × ${now.quantity}`);
  field('amountTotal', before.amountTotal, after.amountTotal);
  return out;
}

export async function trackPurchase(t: Tx, before: PurchaseSnapshot, o: PurchaseOrderModel, authorId: number | null): Promise<void> {
  await logTracking(t, { model: 'purchaseOrder', resId: o.id, authorId }, diffPurchase(before, snapshotPurchase(o)));
}
