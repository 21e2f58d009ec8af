import type { Picking, PickingSummary, StockMove } from '$contracts/schemas/inventory';
import { isLatePicking, type MoveState, type PickingState, type PickingType } from '$contracts/states';

export { PICKING_TYPE_LABELS } from '$contracts/states';

export const MOVE_STATE_LABELS: Record<MoveState, string> = {
  draft: 'Draft',
  waiting: 'Waiting',
  confirmed: 'Waiting for stock',
  partially_available: 'Partially available',
  assigned: 'Available',
  done: 'Done',
  cancel: 'Cancelled',
};

/** The states a transfer still has work in. */
export const OPEN_PICKING_STATES: readonly PickingState[] = ['draft', 'waiting', 'confirmed', 'assigned'];

export function isOpen(state: PickingState): boolean {
  return OPEN_PICKING_STATES.includes(state);
}

/** Which way the goods go for the warehouse: receipts and customer returns come in, the rest goes out. */
export function direction(type: PickingType): 'inbound' | 'outbound' {
  return type === 'incoming' || type === 'return' ? 'inbound' : 'outbound';
}

/** Late: scheduled in the past and not done yet. The server says so when it sends it; time moves on since. */
export function isLate(p: Pick<PickingSummary, 'late' | 'state' | 'scheduledDate'>, now: number): boolean {
  return isLatePicking(p.state, p.scheduledDate, now);
}

/** Late ones first, then the soonest scheduled. */
export function byUrgency(now: number): (a: PickingSummary, b: PickingSummary) => number {
  return (a, b) => Number(isLate(b, now)) - Number(isLate(a, now)) || Date.parse(a.scheduledDate) - Date.parse(b.scheduledDate) || a.id - b.id;
}

/** A delivered product that may be returned, and how much of it. */
export type ReturnableLine = { productId: number; productName: string; sku: string; delivered: number; returned: number; returnable: number };

/** Sums quantities per product, in the order products first appear. */
function perProduct(moves: StockMove[], qty: (m: StockMove) => number): Map<number, { move: StockMove; qty: number }> {
  const out = new Map<number, { move: StockMove; qty: number }>();
  for (const m of moves) {
    const seen = out.get(m.productId);
    if (seen) seen.qty += qty(m);
    else out.set(m.productId, { move: m, qty: qty(m) });
  }
  return out;
}

/** Per product a done delivery moved: what the returns of it not cancelled (done, or still to receive) have not taken back yet. */
export function returnableLines(delivery: Picking, returns: Picking[]): ReturnableLine[] {
  const returned = perProduct(
    returns.flatMap((r) => r.moves.filter((m) => m.state !== 'cancel')),
    (m) => (m.state === 'done' ? m.quantityDone : m.quantity),
  );
  const delivered = perProduct(
    delivery.moves.filter((m) => m.state === 'done'),
    (m) => m.quantityDone,
  );
  return [...delivered.values()]
    .filter((d) => d.qty > 0)
    .map(({ move, qty }) => {
      const back = returned.get(move.productId)?.qty ?? 0;
      return {
        productId: move.productId,
        productName: move.productName,
        sku: move.sku,
        delivered: qty,
        returned: back,
        returnable: Math.max(0, Number((qty - back).toFixed(3))),
      };
    });
}

/** What an open delivery still misses per move (demand not reserved), while it waits for stock: what "Order more" buys. */
export function shortages(p: Picking): { move: StockMove; short: number }[] {
  if (p.type !== 'outgoing' || !isOpen(p.state)) return [];
  return p.moves
    .flatMap((m) =>
      m.state === 'confirmed' || m.state === 'partially_available' ? [{ move: m, short: Number((m.quantity - m.quantityReserved).toFixed(3)) }] : [],
    )
    .filter((s) => s.short > 0);
}
