import type { SaleOrderSummary } from '$contracts/schemas/sales';

export type Ticket = { generation: number; epoch: number; page: number };
export type Compare = (a: SaleOrderSummary, b: SaleOrderSummary) => number;

/**
 * The board's rows by absolute position, loaded a page at a time, with holes where a page is not
 * loaded yet. Live inserts and removals shift positions; `epoch` tells a page answer that arrives
 * after such a shift that its offsets are stale.
 */
export class OrderWindow {
  rows: (SaleOrderSummary | undefined)[] = [];
  total = 0;
  /** There are more orders than the server counts: `total` grows a page at a time as the end is reached. */
  estimate = false;
  private generation = 0;
  private epoch = 0;
  private readonly inflight = new Set<string>();

  constructor(readonly pageSize: number) {}

  /** Forgets every loaded row (filters changed, or a resync); the total stays until the next answer. */
  reset(): void {
    this.generation++;
    this.epoch++;
    this.inflight.clear();
    this.rows = [];
    this.rows.length = this.total;
  }

  setTotal(n: number): void {
    this.total = n;
    this.rows.length = n;
  }

  /** The pages with at least one unloaded row between two positions, not already being fetched. */
  missingPages(from: number, to: number): number[] {
    const pages: number[] = [];
    for (let page = Math.floor(from / this.pageSize); page <= Math.floor(to / this.pageSize); page++) {
      if (this.inflight.has(this.key(page))) continue;
      const start = Math.max(page * this.pageSize, from);
      const end = Math.min((page + 1) * this.pageSize, this.total, to + 1);
      for (let i = start; i < end; i++) {
        if (!this.rows[i]) {
          pages.push(page);
          break;
        }
      }
    }
    return pages;
  }

  /** Marks a page as being fetched; null when it already is. */
  begin(page: number): Ticket | null {
    const key = this.key(page);
    if (this.inflight.has(key)) return null;
    this.inflight.add(key);
    return { generation: this.generation, epoch: this.epoch, page };
  }

  /**
   * Stores a page answer. 'stale': the filters changed meanwhile; 'shifted': rows moved, ask again.
   * `estimate`: the server counted up to its limit (`total`) and there are more; a full page reaching the
   * end of the known rows adds a page's worth to scroll to, a short one is the end.
   */
  fill(ticket: Ticket, items: SaleOrderSummary[], total: number, estimate = false): 'ok' | 'stale' | 'shifted' {
    if (ticket.generation !== this.generation) return 'stale';
    this.inflight.delete(this.key(ticket.page));
    if (ticket.epoch !== this.epoch) return 'shifted';
    const end = ticket.page * this.pageSize + items.length;
    const full = items.length === this.pageSize;
    const known = Math.max(this.total, total);
    const next = !estimate ? total : !full ? end : end >= known ? end + this.pageSize : known;
    this.estimate = estimate && full;
    if (next !== this.total) this.setTotal(next);
    items.forEach((o, i) => {
      this.rows[ticket.page * this.pageSize + i] = o;
    });
    return 'ok';
  }

  /** Releases a page that failed to load. */
  fail(ticket: Ticket): boolean {
    if (ticket.generation !== this.generation) return false;
    this.inflight.delete(this.key(ticket.page));
    return true;
  }

  indexOfId(id: number): number {
    for (let i = 0; i < this.rows.length; i++) if (this.rows[i]?.id === id) return i;
    return -1;
  }

  /** Where an order sorts among the loaded rows; `certain` when no unloaded row could come before it. */
  locate(order: SaleOrderSummary, cmp: Compare): { index: number; certain: boolean; prevLoaded: number } {
    let prevLoaded = -1;
    let index = this.total;
    for (let i = 0; i < this.total; i++) {
      const r = this.rows[i];
      if (!r) continue;
      if (cmp(order, r) < 0) {
        index = i;
        break;
      }
      prevLoaded = i;
    }
    return { index, certain: prevLoaded === index - 1, prevLoaded };
  }

  /**
   * Adds an order at its sorted place. A new order whose place is among unloaded rows is counted and
   * the rows from there on are dropped, to be fetched again. Returns the position when it is known.
   */
  insert(order: SaleOrderSummary, isNew: boolean, cmp: Compare): number | null {
    const { index, certain, prevLoaded } = this.locate(order, cmp);
    if (certain) {
      this.epoch++;
      this.rows.splice(index, 0, order);
      this.setTotal(this.total + 1);
      return index;
    }
    if (isNew) {
      this.epoch++;
      this.rows.length = prevLoaded + 1;
      this.setTotal(this.total + 1);
    }
    return null;
  }

  remove(index: number): void {
    this.epoch++;
    this.rows.splice(index, 1);
    this.setTotal(this.total - 1);
  }

  /** The row just before a page (its keyset cursor asks for the page), when it is loaded. */
  before(page: number): SaleOrderSummary | undefined {
    return page > 0 ? this.rows[page * this.pageSize - 1] : undefined;
  }

  /** The rows between two positions, keyed for a keyed each block. */
  slice(from: number, to: number): { index: number; order: SaleOrderSummary | undefined; key: string }[] {
    const out: { index: number; order: SaleOrderSummary | undefined; key: string }[] = [];
    const seen = new Set<number>();
    for (let i = from; i <= to; i++) {
      const order = this.rows[i];
      // An order pushed live can meet its own copy in a page fetched just after; keys must stay unique.
      const key = order && !seen.has(order.id) ? `o${order.id}` : `i${i}`;
      if (order) seen.add(order.id);
      out.push({ index: i, order, key });
    }
    return out;
  }

  private key(page: number): string {
    return `${this.generation}:${page}`;
  }
}
