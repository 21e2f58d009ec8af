import { SvelteSet } from 'svelte/reactivity';

/** The records (orders, invoices, transfers) just changed by someone else, highlighted for a moment. */
export class Flashes {
  readonly #ids = new SvelteSet<number>();

  has(id: number): boolean {
    return this.#ids.has(id);
  }

  flash(id: number): void {
    this.#ids.add(id);
    setTimeout(() => this.#ids.delete(id), 2500);
  }
}
