import type { List } from '$contracts/schemas/common';

type Fetch<T> = (page: { limit: number; offset: number; q?: string; sort?: string }) => Promise<List<T>>;

/** One page of a searchable collection, as the list screens show it. */
export class ListState<T> {
  items: T[] = $state([]);
  total = $state(0);
  offset = $state(0);
  q = $state('');
  loading = $state(false);
  loaded = $state(false);
  error: unknown = $state(null);
  readonly limit: number;
  readonly #fetch: Fetch<T>;
  readonly #sort: string | undefined;
  #seq = 0;

  constructor(fetch: Fetch<T>, opts: { limit?: number; sort?: string } = {}) {
    this.#fetch = fetch;
    this.limit = opts.limit ?? 25;
    this.#sort = opts.sort;
  }

  async load(): Promise<void> {
    const mine = ++this.#seq;
    this.loading = true;
    try {
      const res = await this.#fetch({
        limit: this.limit,
        offset: this.offset,
        q: this.q.trim() || undefined,
        sort: this.#sort,
      });
      if (mine !== this.#seq) return;
      // A page emptied by deletions elsewhere: step back to the last page that has rows.
      if (res.items.length === 0 && this.offset > 0 && res.total > 0) {
        this.offset = Math.max(0, Math.floor((res.total - 1) / this.limit) * this.limit);
        return this.load();
      }
      this.items = res.items;
      this.total = res.total;
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

  search(q: string): Promise<void> {
    this.q = q;
    this.offset = 0;
    return this.load();
  }

  page(offset: number): Promise<void> {
    this.offset = offset;
    return this.load();
  }
}
