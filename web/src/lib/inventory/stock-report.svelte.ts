import type { StockReportItem } from '$contracts/schemas/inventory';
import { call, routes, urlOf } from '$lib/api';
import { ListState } from '$lib/list.svelte';

const RELOAD_MS = 400;

/** A report row's key: one product in one location. */
export function stockKey(i: Pick<StockReportItem, 'productId' | 'locationId'>): string {
  return `${i.productId}:${i.locationId}`;
}

/** The stock report: quantities per product and location, filtered, kept live from the stock board. */
export class StockReportState {
  locationId: number | null = $state(null);
  readonly list = new ListState<StockReportItem>(
    ({ limit, offset, q }) => call(routes.stock.report, { query: { limit, offset, q, locationId: this.locationId ?? undefined } }),
    { limit: 50 },
  );
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  /** The CSV of the report as filtered now. */
  csvUrl = $derived(urlOf(routes.stock.reportCsv, { query: { q: this.list.q.trim() || undefined, locationId: this.locationId ?? undefined } }));

  filterLocation(id: number | null): void {
    this.locationId = id;
    void this.list.page(0);
  }

  /** Quantities moved (a validation, a reservation, a count): the page loads again, once for a burst. */
  onChanged(): void {
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.list.load(), RELOAD_MS);
  }

  /** Shows a row as the server now has it. */
  replace(item: StockReportItem): void {
    const i = this.list.items.findIndex((x) => stockKey(x) === stockKey(item));
    if (i !== -1) this.list.items[i] = item;
  }
}
