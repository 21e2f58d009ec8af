import { SvelteSet } from 'svelte/reactivity';
import type { ReplenishmentItem, ReplenishmentReport } from '$contracts/schemas/purchasing';
import { call, routes } from '$lib/api';
import { parseDecimal } from '$lib/format';
import type { FieldErrors } from '$lib/forms';
import { Loader } from '$lib/loader.svelte';

/** A row of the report: one product in one warehouse. */
export const itemKey = (i: Pick<ReplenishmentItem, 'productId' | 'warehouseId'>) => `${i.productId}:${i.warehouseId}`;

/** An RFQ that ordering (or running the rules) filled, named for its link. */
export type FilledRfq = { id: number; name: string; partnerName: string };

const RELOAD_MS = 800;

/**
 * The replenishment page: the report (per warehouse), the rows chosen and the quantities typed for
 * them (the suggested ones to start with), ordering them, running the reorder rules now, and the
 * RFQs that filled. Reloaded shortly after purchase orders or stock change.
 */
export class ReplenishmentState {
  warehouseId: number | null = $state(null);
  readonly report = new Loader<ReplenishmentReport>(() => call(routes.replenishment.report, { query: { warehouseId: this.warehouseId ?? undefined } }));
  readonly selected = new SvelteSet<string>();
  /** The quantity to order per row, as typed. */
  quantities: Record<string, string> = $state({});
  errors: FieldErrors = $state({});
  busy: 'order' | 'run' | null = $state(null);
  error: unknown = $state(null);
  filled: FilledRfq[] | null = $state(null);
  notice = $state('');
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  items: ReplenishmentItem[] = $derived(this.report.data?.items ?? []);
  withoutVendor = $derived(this.report.data?.withoutVendor ?? []);
  /** Rows that can be ordered: those with a vendor. */
  orderable = $derived(this.items.filter((i) => i.vendorId !== null));
  allSelected = $derived(this.orderable.length > 0 && this.orderable.every((i) => this.selected.has(itemKey(i))));

  async load(): Promise<void> {
    await this.report.load();
    // New rows start at their suggested quantity; what was typed stays.
    for (const i of this.items) this.quantities[itemKey(i)] ??= String(i.suggested);
    const keys = this.items.map(itemKey);
    for (const k of this.selected) if (!keys.includes(k)) this.selected.delete(k);
  }

  /** Something the report reads changed: load it again once the changes settle. */
  changed(): void {
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.load(), RELOAD_MS);
  }

  setWarehouse(id: number | null): void {
    this.warehouseId = id;
    this.selected.clear();
    void this.load();
  }

  toggle(i: ReplenishmentItem, on: boolean): void {
    if (on) this.selected.add(itemKey(i));
    else this.selected.delete(itemKey(i));
  }

  toggleAll(on: boolean): void {
    for (const i of this.orderable) this.toggle(i, on);
  }

  /** Orders the chosen rows at the quantities typed: each fills its vendor's draft RFQ. */
  async order(): Promise<void> {
    const errors: FieldErrors = {};
    const items: { productId: number; warehouseId: number; quantity: number }[] = [];
    for (const i of this.orderable.filter((x) => this.selected.has(itemKey(x)))) {
      const key = itemKey(i);
      const quantity = parseDecimal(this.quantities[key] ?? '');
      if (quantity === null || quantity <= 0) errors[key] = 'A quantity above 0';
      else items.push({ productId: i.productId, warehouseId: i.warehouseId, quantity });
    }
    this.errors = errors;
    if (Object.keys(errors).length || !items.length) return;
    await this.#fill('order', async () => (await call(routes.replenishment.order, { body: { items } })).purchaseOrderIds);
    if (!this.error) this.selected.clear();
  }

  /** Checks every reorder rule now. */
  async run(): Promise<void> {
    await this.#fill('run', async () => (await call(routes.replenishment.run)).purchaseOrderIds);
  }

  async #fill(busy: 'order' | 'run', action: () => Promise<number[]>): Promise<void> {
    this.busy = busy;
    this.error = null;
    this.filled = null;
    this.notice = '';
    try {
      const ids = await action();
      const orders = await Promise.all(ids.map((id) => call(routes.purchaseOrders.get, { params: { id } })));
      this.filled = orders.map((o) => ({ id: o.id, name: o.name, partnerName: o.partnerName }));
      this.notice = ids.length ? `${ids.length === 1 ? 'One RFQ' : `${ids.length} RFQs`} filled:` : 'Nothing needed ordering.';
      for (const k of Object.keys(this.quantities)) delete this.quantities[k];
      await this.load();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = null;
    }
  }
}
