import type { Location } from '$contracts/schemas/company';
import type { StockReportItem } from '$contracts/schemas/inventory';

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** What may move out of a row now: on hand less what open deliveries hold. */
export function freeQuantity(item: Pick<StockReportItem, 'onHand' | 'reserved'>): number {
  return Math.max(0, r3(item.onHand - item.reserved));
}

/** The internal locations a row's stock may move to: every one but its own. */
export function destinations(item: Pick<StockReportItem, 'locationId'>, locations: readonly Location[]): Location[] {
  return locations.filter((l) => l.kind === 'internal' && l.id !== item.locationId);
}

/**
 * Where a row's stock most likely goes: from a Returns location, back to the same warehouse's Stock;
 * from a Stock location, to another warehouse's Stock when there is one.
 */
export function defaultDestination(item: Pick<StockReportItem, 'locationId'>, locations: readonly Location[]): number | null {
  const from = locations.find((l) => l.id === item.locationId);
  const others = destinations(item, locations);
  const stocks = others.filter((l) => !l.isReturns);
  const pick = from?.isReturns
    ? (stocks.find((l) => l.warehouseId === from.warehouseId) ?? stocks[0])
    : stocks.find((l) => l.warehouseId !== from?.warehouseId);
  return (pick ?? others[0])?.id ?? null;
}
