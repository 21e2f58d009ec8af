import { rooms } from '$contracts/events';
import type { List } from '$contracts/schemas/common';
import { Loader } from './loader.svelte';
import { subscribeRoom } from './socket';

type Summary = { id: number; version: number };

/**
 * The first records of one order (its transfers, its invoices), kept live for as long as the calling
 * component lives: loaded again with each new version of the order, and changed by its room's pushes.
 */
export class OrderRecords<T extends Summary> extends Loader<List<T>> {
  items: T[] = $derived(this.data?.items ?? []);
  total = $derived(this.data?.total ?? 0);

  /**
   * `orderId` and `version` read the component's props; `listen` calls `changed` with each record of
   * the order that is pushed, and returns the function that stops.
   */
  constructor(
    orderId: () => number,
    version: () => number,
    fetch: (orderId: number) => Promise<List<T>>,
    listen: (orderId: number, changed: (record: T) => void) => () => void,
  ) {
    super(() => fetch(orderId()));
    // A new version of the order (confirmed, invoiced, credited) may come with new records.
    $effect(() => {
      version();
      void this.load();
    });
    // The order's room carries the changes of its records.
    $effect(() => {
      const id = orderId();
      const offs = [subscribeRoom(rooms.record('saleOrder', id), { onResync: () => void this.load() }), listen(id, (r) => this.#changed(r))];
      return () => offs.forEach((off) => off());
    });
  }

  has(id: number): boolean {
    return this.items.some((r) => r.id === id);
  }

  /** A record of the order changed: shown as pushed when it is on screen, otherwise the list loads again. */
  #changed(record: T): void {
    const i = this.items.findIndex((r) => r.id === record.id);
    if (i === -1) void this.load();
    else if (this.items[i]!.version < record.version) this.items[i] = record;
  }
}
