import { SvelteMap } from 'svelte/reactivity';
import type { ListPage } from '$contracts/schemas/common';

type Fetch<T> = (page: { limit: number; offset: number; q?: string; sort?: string; after?: string }) => Promise<ListPage<T>>;

/**
 * One page of a searchable collection, as the list screens show it. A collection whose answers carry a
 * keyset cursor (`nextCursor`) is paged forward by it (as cheap on page 5,000 as on page 2), and back
 * through the cursors of the pages already seen; a total counted up to the server's limit is an
 * estimate ("10,000+").
 */
export class ListState<T> {
  items: T[] = $state([]);
  total = $state(0);
  /** The server counted up to its limit and there are more: `total` is that limit. */
  estimate = $state(false);
  offset = $state(0);
  q = $state('');
  loading = $state(false);
  loaded = $state(false);
  error: unknown = $state(null);
  readonly limit: number;
  readonly #fetch: Fetch<T>;
  readonly #sort: string | undefined;
  #seq = 0;
  /** The cursor of the page after this one; null: the last page; undefined: the collection has no cursor. */
  #next: string | null | undefined = $state(undefined);
  /** The cursor each page seen was asked with, by its offset. */
  readonly #cursors = new SvelteMap<number, string>();

  constructor(fetch: Fetch<T>, opts: { limit?: number; sort?: string } = {}) {
    this.#fetch = fetch;
    this.limit = opts.limit ?? 25;
    this.#sort = opts.sort;
  }

  /** Whether there is a page after this one. */
  get more(): boolean {
    return this.#next !== undefined ? this.#next !== null : this.offset + this.limit < this.total;
  }

  async load(): Promise<void> {
    const mine = ++this.#seq;
    this.loading = true;
    try {
      const after = this.#cursors.get(this.offset);
      const res = await this.#fetch({
        limit: this.limit,
        offset: this.offset,
        q: this.q.trim() || undefined,
        sort: this.#sort,
        ...(after !== undefined && { after }),
      });
      if (mine !== this.#seq) return;
      // A page emptied by deletions elsewhere: step back to the last page that has rows.
      if (res.items.length === 0 && this.offset > 0 && res.total > 0) {
        this.#cursors.clear();
        this.offset = Math.max(0, Math.floor((res.total - 1) / this.limit) * this.limit);
        return this.load();
      }
      this.items = res.items;
      // Past the counted rows, the total grows with the pages reached; the last page makes it exact.
      const end = this.offset + res.items.length;
      this.estimate = res.totalIsEstimate === true && res.nextCursor !== null;
      this.total = res.totalIsEstimate ? (this.estimate ? Math.max(res.total, end) : end) : res.total;
      this.#next = res.nextCursor;
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
    this.#cursors.clear();
    return this.load();
  }

  /** Another page: the next one by the cursor of this one, when there is one; the first afresh. */
  page(offset: number): Promise<void> {
    if (offset === 0) this.#cursors.clear();
    else if (offset === this.offset + this.limit && this.#next) this.#cursors.set(offset, this.#next);
    this.offset = offset;
    return this.load();
  }
}
