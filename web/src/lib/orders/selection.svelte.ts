import { SvelteMap } from 'svelte/reactivity';
import type { SaleOrderSummary } from '$contracts/schemas/sales';

/** The orders ticked on the board, kept across views, filters and scrolling until cleared. */
export class OrderSelection {
  readonly #orders = new SvelteMap<number, SaleOrderSummary>();

  get size(): number {
    return this.#orders.size;
  }

  get ids(): number[] {
    return [...this.#orders.keys()];
  }

  get orders(): SaleOrderSummary[] {
    return [...this.#orders.values()];
  }

  /** The ticked orders an invoice can be made for now: confirmed, with something left to invoice. */
  get invoiceable(): SaleOrderSummary[] {
    return this.orders.filter((o) => (o.state === 'sale' || o.state === 'done') && o.invoiceStatus === 'to_invoice');
  }

  has(id: number): boolean {
    return this.#orders.has(id);
  }

  set(order: SaleOrderSummary, selected: boolean): void {
    if (selected) this.#orders.set(order.id, order);
    else this.#orders.delete(order.id);
  }

  /** A ticked order changed (its invoice status): the selection keeps its latest copy. */
  update(order: SaleOrderSummary): void {
    if (this.#orders.has(order.id)) this.#orders.set(order.id, order);
  }

  clear(): void {
    this.#orders.clear();
  }
}
