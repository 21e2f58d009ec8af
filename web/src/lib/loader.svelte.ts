/**
 * What a view loads as a whole and may load again (a report, a settings page, an order's invoices): the
 * answer to the latest request, whether one is under way, and why the last one failed.
 */
export class Loader<T> {
  data: T | null = $state(null);
  loading = $state(false);
  loaded = $state(false);
  error: unknown = $state(null);
  readonly #fetch: () => Promise<T>;
  #seq = 0;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  async load(): Promise<void> {
    const mine = ++this.#seq;
    this.loading = true;
    try {
      const data = await this.#fetch();
      if (mine !== this.#seq) return;
      this.data = data;
      this.error = null;
    } catch (err) {
      if (mine === this.#seq) this.error = err;
    } finally {
      if (mine === this.#seq) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }
}
